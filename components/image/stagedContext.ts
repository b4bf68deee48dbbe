// The build context handed to the build provider: a copy of exactly the Go build's inputs, with modes normalised.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Where staged contexts live, relative to the Pulumi project (ignore it in git, as `.go-windows/`). */
export const stagingRoot = ".go-windows";

/**
 * The folder of a component's staged context, relative to the project: the same on every machine, since the build
 * provider compares its context path between runs. `source` (the context and package as given) tells apart two
 * components of the same name.
 */
export function stagingDir(componentName: string, source: string): string {
    const id = crypto.createHash("sha256").update(source).digest("hex").slice(0, 8);
    return path.posix.join(stagingRoot, `${componentName.replace(/[^A-Za-z0-9_.-]/g, "-")}-${id}`, "context");
}

/**
 * Makes `stagedDir` hold exactly the given files (relative path → content): a file whose content is already there
 * is left alone, others are written, and anything else is removed. Files are 0644 and folders 0755 whatever the
 * checkout's umask, since the build provider hashes file modes. A symbolic link in the sources arrives as the
 * content it points to, which is what the build reads.
 */
export function stageContext(contents: ReadonlyMap<string, Buffer>, stagedDir: string): void {
    const wanted = new Set(contents.keys());
    fs.mkdirSync(stagedDir, { recursive: true });
    removeOthers(stagedDir, "", wanted);
    for (const [rel, content] of contents) {
        const target = path.join(stagedDir, rel);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        if (!fs.existsSync(target) || !content.equals(fs.readFileSync(target))) fs.writeFileSync(target, content);
        fs.chmodSync(target, 0o644);
    }
    normaliseFolders(stagedDir);
}

/** Removes every file and folder under `dir/rel` that is not (and holds nothing) wanted. */
function removeOthers(dir: string, rel: string, wanted: Set<string>): void {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
        const full = path.join(dir, child);
        if (entry.isDirectory()) {
            removeOthers(dir, child, wanted);
            if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
        } else if (!wanted.has(child)) {
            fs.rmSync(full, { force: true });
        }
    }
}

function normaliseFolders(dir: string): void {
    fs.chmodSync(dir, 0o755);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) normaliseFolders(path.join(dir, entry.name));
    }
}

/** The files under `dir` (relative path → content), as `stageContext` wrote them. */
export function readStagedContext(dir: string): Map<string, Buffer> {
    const files = new Map<string, Buffer>();
    const walk = (rel: string): void => {
        for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
            const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
            if (entry.isDirectory()) walk(child);
            else files.set(child, fs.readFileSync(path.join(dir, child)));
        }
    };
    walk("");
    return files;
}

/** SHA-256 of files given with their contents: paths and contents only, in path order. */
export function hashStagedContents(contents: ReadonlyMap<string, Buffer>): string {
    const hash = crypto.createHash("sha256");
    for (const rel of [...contents.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const content = contents.get(rel)!;
        hash.update(`${rel}\u0000${content.length}\u0000`);
        hash.update(content);
    }
    return hash.digest("hex");
}
