// The context hash: stable across checkouts, modes, mtimes and umask; changed by anything that changes the image.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ImageInputs, contextFiles, hashContext, tagForHash } from "../../components/image";
import { sampleApp, tempDir } from "../support/files";

const inputs: ImageInputs = {
    dockerfile: "FROM scratch\n",
    buildArgs: { VERSION: "1.0.0", REVISION: "abc" },
    builderImageRef: "golang:1.23",
    baseImageRef: "mcr.microsoft.com/windows/nanoserver:ltsc2022",
    platform: "windows/amd64",
};

/** Copies the sample app (without .git) into a fresh folder. */
function copyOfApp(): string {
    const dir = tempDir("ctx");
    fs.cpSync(sampleApp, dir, { recursive: true });
    return dir;
}

function edit(dir: string, rel: string, content: string): void {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
}

describe("hashContext", () => {
    const reference = hashContext(sampleApp, inputs);

    it("is a SHA-256 hex digest, and the tag is derived from it", () => {
        assert.match(reference, /^[a-f0-9]{64}$/);
        assert.strictEqual(tagForHash(reference), `ctx-${reference.slice(0, 24)}`);
    });

    it("is the same in another checkout path, with other mtimes, file modes and umask", () => {
        const copy = copyOfApp();
        const oldUmask = process.umask(0o077);
        try {
            for (const rel of contextFiles(copy)) {
                const file = path.join(copy, rel);
                fs.chmodSync(file, 0o600);
                fs.utimesSync(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
            }
            fs.chmodSync(path.join(copy, "main.go"), 0o755);
            edit(copy, "new-dir/../main.go", fs.readFileSync(path.join(copy, "main.go"), "utf8"));
        } finally {
            process.umask(oldUmask);
        }
        assert.strictEqual(hashContext(copy, inputs), reference);
    });

    it("ignores what cannot change the binary: tests, VCS metadata, editor folders, generated Dockerfiles", () => {
        const copy = copyOfApp();
        edit(copy, "main_test.go", "package main\n// changed test\n");
        edit(copy, ".git/HEAD", "ref: refs/heads/other\n");
        edit(copy, ".vscode/settings.json", "{}");
        edit(copy, ".go-windows/api.Dockerfile", "FROM x\n");
        assert.strictEqual(hashContext(copy, inputs), reference);
    });

    const changes: [string, (dir: string) => void][] = [
        [
            "one line of a .go file",
            (d) => edit(d, "main.go", fs.readFileSync(path.join(d, "main.go"), "utf8").replace("dev", "dev2")),
        ],
        ["go.mod", (d) => edit(d, "go.mod", "module example.com/hello\n\ngo 1.23.4\n")],
        ["a new go.sum", (d) => edit(d, "go.sum", "example.com/x v1.0.0 h1:abc=\n")],
        ["an embeddable file", (d) => edit(d, "static/index.html", "<p>hi</p>\n")],
        ["a renamed file", (d) => fs.renameSync(path.join(d, "main.go"), path.join(d, "server.go"))],
    ];
    for (const [what, change] of changes) {
        it(`changes with ${what}`, () => {
            const copy = copyOfApp();
            change(copy);
            assert.notStrictEqual(hashContext(copy, inputs), reference);
        });
    }

    const inputChanges: [string, Partial<ImageInputs>][] = [
        ["the Dockerfile text", { dockerfile: "FROM scratch\nUSER ContainerUser\n" }],
        ["a build argument", { buildArgs: { VERSION: "1.0.1", REVISION: "abc" } }],
        ["the builder reference", { builderImageRef: "golang:1.24" }],
        ["the base reference", { baseImageRef: "mcr.microsoft.com/windows/servercore:ltsc2022" }],
        ["the platform", { platform: "windows/arm64" }],
    ];
    for (const [what, change] of inputChanges) {
        it(`changes with ${what}`, () => {
            assert.notStrictEqual(hashContext(sampleApp, { ...inputs, ...change }), reference);
        });
    }

    it("follows the module's .dockerignore, including `!` exceptions", () => {
        const copy = copyOfApp();
        edit(
            copy,
            ".dockerignore",
            fs.readFileSync(path.join(copy, ".dockerignore"), "utf8") + "docs\n!docs/embedded.txt\n",
        );
        const before = hashContext(copy, inputs);
        edit(copy, "docs/notes.md", "ignored\n");
        assert.strictEqual(hashContext(copy, inputs), before);
        edit(copy, "docs/embedded.txt", "kept\n");
        assert.notStrictEqual(hashContext(copy, inputs), before);
        assert.deepStrictEqual(contextFiles(copy), [
            "docs/embedded.txt",
            "go.mod",
            "main.go",
            "tracecontext.go",
            "tracing.go",
        ]);
    });

    it("counts a symbolic link as the content the build reads through it", () => {
        const copy = copyOfApp();
        edit(copy, "a.txt", "same content\n");
        edit(copy, "b.txt", "same content\n");
        fs.symlinkSync("a.txt", path.join(copy, "link.txt"));
        const toA = hashContext(copy, inputs);
        fs.unlinkSync(path.join(copy, "link.txt"));
        fs.symlinkSync("b.txt", path.join(copy, "link.txt"));
        assert.strictEqual(hashContext(copy, inputs), toA, "a.txt and b.txt hold the same content");
        edit(copy, "b.txt", "other content\n");
        const throughLink = hashContext(copy, inputs);
        fs.unlinkSync(path.join(copy, "b.txt"));
        edit(copy, "b.txt", "same content\n");
        assert.notStrictEqual(throughLink, toA);
    });
});
