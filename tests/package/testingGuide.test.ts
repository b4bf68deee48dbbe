// The example of docs/guides/testing.md, run as printed: its files are written out, the package name pointed at this
// checkout's components, and its tests run here under its own plain `pulumi.runtime.setMocks` (its type check is in
// readmeExamples.test.ts). The network is refused meanwhile: the guide says a unit test reaches nothing.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { codeBlocks } from "../support/docs";
import { repoRoot, tempDir } from "../support/files";

const guide = "docs/guides/testing.md";

/** Writes the guide's named files to a fresh folder that resolves this repository's packages; returns the folder. */
function writeGuideExample(): { dir: string; files: string[] } {
    const blocks = codeBlocks(guide, "ts").filter((b) => b.file);
    const dir = tempDir("testing-guide");
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
    const components = path.join(repoRoot, "components");
    for (const block of blocks) {
        const code = block.code.replace(/from "go-windows-containers"/g, `from ${JSON.stringify(components)}`);
        fs.writeFileSync(path.join(dir, block.file!), code);
    }
    return { dir, files: blocks.map((b) => b.file!) };
}

describe(`the example of ${guide}`, () => {
    const example = writeGuideExample();
    const requests: string[] = [];
    const realFetch = globalThis.fetch;
    before(() => {
        globalThis.fetch = (async (url: string | URL | Request) => {
            requests.push(String(url instanceof Request ? url.url : url));
            throw new Error("a unit test reaches no network");
        }) as typeof fetch;
    });
    after(() => {
        globalThis.fetch = realFetch;
    });

    it("is a program and its test file", () => {
        assert.deepStrictEqual(example.files, ["index.ts", "index.test.ts"]);
    });

    // The guide's own describe and its tests, registered here and run by mocha like any other.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(example.dir, "index.test.ts"));

    // A suite of its own, so that it runs after the guide's (mocha runs a suite's tests before its child suites).
    describe("once the guide's tests ran", () => {
        it("reached no network", () => {
            assert.deepStrictEqual(requests, []);
        });
    });
});
