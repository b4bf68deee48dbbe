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
