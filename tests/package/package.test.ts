// The package as a larger program imports it: built with `npm run build`, loaded through package.json's main.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../support/files";
import * as mocks from "../support/mocks";

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    main: string;
    types: string;
    exports: { ".": Record<string, string> };
};

describe("the built package", function () {
    this.timeout(180000);
    let library: Record<string, unknown>;
    before(() => {
        // A clean build: files left by an older layout would shadow the new folders.
        fs.rmSync(path.join(repoRoot, "bin"), { recursive: true, force: true });
        execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: repoRoot, stdio: "pipe" });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        library = require(path.join(repoRoot, packageJson.main)) as Record<string, unknown>;
    });

    it("exports the components and helpers from `main`, with type declarations at `types`", () => {
        for (const name of [
            "GoWindowsImage",
            "EcsWindowsService",
            "WindowsContainerGroup",
            "checkCompatibility",
            "renderDockerfile",
            "hashContext",
        ]) {
            assert.strictEqual(typeof library[name], "function", name);
        }
        const types = fs.readFileSync(path.join(repoRoot, packageJson.types), "utf8");
        assert.match(types, /GoWindowsImageArgs/);
        assert.match(types, /EcsWindowsServiceArgs/);
    });

    it("has an exports map that agrees with `main` and `types`, and names the TypeScript entry last", () => {
        const root = packageJson.exports["."];
        assert.deepStrictEqual(Object.keys(root), ["types", "require", "import", "default"]);
        assert.strictEqual(root.types, `./${packageJson.types}`);
        assert.strictEqual(root.require, `./${packageJson.main}`);
        assert.strictEqual(root.import, `./${packageJson.main}`);
        // Node takes `require` or `import` before `default`, which the SDK's component analyzer reads for the source.
        assert.match(root.default, /\.ts$/);
        for (const target of Object.values(root)) assert.ok(fs.existsSync(path.join(repoRoot, target)), target);
    });

    it("creates a GoWindowsImage from the compiled JavaScript", async () => {
        mocks.setupMocks();
        type ImageClass = new (name: string, args: object) => { imageRef: import("@pulumi/pulumi").Output<string> };
        const Image = library.GoWindowsImage as ImageClass;
        const image = new Image("consumer", { context: "app", registry: { server: "localhost:5000" } });
        assert.match(await mocks.valueOf(image.imageRef), /^localhost:5000\/consumer@sha256:[a-f0-9]{64}$/);
        assert.strictEqual(mocks.resources[0].type, "go-windows-containers:index:GoWindowsImage");
    });
});
