// Test helpers: snapshot files, temporary copies of Go modules, and the sample app's location.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "../..");
export const sampleApp = path.join(repoRoot, "app");
const snapshotDir = path.join(repoRoot, "tests", "snapshots");

/**
 * Compares text with a committed snapshot; only `UPDATE_SNAPSHOTS=1`, which `npm run test:update-snapshots` sets (and
 * `npm test` refuses to inherit), writes one, so a missing snapshot fails.
 */
export function matchSnapshot(name: string, actual: string): void {
    const file = path.join(snapshotDir, name);
    if (process.env.UPDATE_SNAPSHOTS === "1") {
        fs.mkdirSync(snapshotDir, { recursive: true });
        fs.writeFileSync(file, actual);
        return;
    }
    if (!fs.existsSync(file))
        assert.fail(`snapshot ${name} is missing; run npm run test:update-snapshots and commit it`);
    assert.strictEqual(
        actual,
        fs.readFileSync(file, "utf8"),
        `${name} differs from its snapshot (npm run test:update-snapshots rewrites it)`,
    );
}

const tempDirs: string[] = [];
process.on("exit", () => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gwc-${prefix}-`));
    tempDirs.push(dir);
    return dir;
}

/** Writes a Go module from a map of relative paths to contents. */
export function writeModule(dir: string, files: Record<string, string>): string {
    for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
    return dir;
}

/** A minimal module with its main package at the root. */
export function minimalModule(extra: Record<string, string> = {}): string {
    return writeModule(tempDir("mod"), {
        "go.mod": "module example.com/minimal\n\ngo 1.23\n",
        "main.go": "package main\n\nfunc main() {}\n",
        ...extra,
    });
}

/**
 * A one-line change to the sample service's Go code (the default greeting), `variant` making each change distinct.
 * Fails loudly if the line is gone, so that a test never "changes" the code without changing it.
 */
export function changeOneLineOfGo(appDir: string, variant = "again"): void {
    const main = path.join(appDir, "main.go");
    const before = fs.readFileSync(main, "utf8");
    const after = before.replace(/s\.Greeting = "hello[^"]*"/, `s.Greeting = "hello ${variant}"`);
    if (after === before) throw new Error(`${main} has no default greeting line to change`);
    fs.writeFileSync(main, after);
}
