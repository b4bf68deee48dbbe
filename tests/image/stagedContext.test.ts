// The staged build context holds exactly the Go build's inputs: a source deleted since the last stage is gone from it,
// so it can never reach `COPY . .` and be compiled while the tag describes the new sources.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { stageContext } from "../../components/image/stagedContext";
import { tempDir } from "../support/files";

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, rel = ""): string[] {
    return fs
        .readdirSync(path.join(dir, rel), { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory() ? filesUnder(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)],
        )
        .sort();
}

describe("stageContext", () => {
    const file = (text: string) => Buffer.from(text);

    it("removes a source deleted since the last stage, and a folder left empty", () => {
        const staged = path.join(tempDir("staged"), "context");
        stageContext(
            new Map([
                ["go.mod", file("module example.com/app\n")],
                ["main.go", file("package main\n")],
                ["old.go", file("package main\n\nfunc old() {}\n")],
                ["internal/legacy/legacy.go", file("package legacy\n")],
            ]),
            staged,
        );
        assert.deepStrictEqual(filesUnder(staged), ["go.mod", "internal/legacy/legacy.go", "main.go", "old.go"]);
        stageContext(
            new Map([
                ["go.mod", file("module example.com/app\n")],
                ["main.go", file("package main\n\nfunc main() {}\n")],
            ]),
            staged,
        );
        assert.deepStrictEqual(filesUnder(staged), ["go.mod", "main.go"]);
        assert.ok(!fs.existsSync(path.join(staged, "internal")), "the emptied folder is gone too");
        assert.strictEqual(fs.readFileSync(path.join(staged, "main.go"), "utf8"), "package main\n\nfunc main() {}\n");
    });

    it("removes a file someone put into the staged context by hand", () => {
        const staged = path.join(tempDir("staged"), "context");
        const contents = new Map([["main.go", file("package main\n")]]);
        stageContext(contents, staged);
        fs.writeFileSync(path.join(staged, "stray.go"), "package main\n");
        stageContext(contents, staged);
        assert.deepStrictEqual(filesUnder(staged), ["main.go"]);
    });

    it("stages files 0644 and folders 0755, whatever was there", () => {
        const staged = path.join(tempDir("staged"), "context");
        const contents = new Map([["cmd/api/main.go", file("package main\n")]]);
        stageContext(contents, staged);
        fs.chmodSync(path.join(staged, "cmd/api/main.go"), 0o600);
        fs.chmodSync(path.join(staged, "cmd"), 0o700);
        stageContext(contents, staged);
        assert.strictEqual(fs.statSync(path.join(staged, "cmd/api/main.go")).mode & 0o777, 0o644);
        assert.strictEqual(fs.statSync(path.join(staged, "cmd")).mode & 0o777, 0o755);
    });
});
