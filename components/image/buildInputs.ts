// The files a Go build of one main package reads, found without Go: they alone decide the image and reach the builder.
import * as fs from "fs";
import * as path from "path";
import { Minimatch } from "minimatch";
import { GoBuildTarget, fileNameHolds, goFileHolds } from "./buildConstraints";
import { parseGoMod, parseGoWorkUses, readGoMod } from "./goModule";
import { scanGoFile } from "./goSource";

/** Where a build's sources are: the folder sent to the builder, the module in it, and the main package. */
export interface GoBuildLayout {
    /** The build context: everything the build may read lies inside it. */
    readonly contextDir: string;
    /** The main module's folder (holding go.mod), inside `contextDir`. */
    readonly moduleDir: string;
    /** The main package's folder, inside the module. */
    readonly packageDir: string;
    /** The platform, cgo, Go release and tags that decide which files take part. */
    readonly target: GoBuildTarget;
}

/**
 * Files that `go build` reads from a package folder besides its Go files: cgo sources and headers, assembly, SWIG
 * and `.syso` objects. Only their names' constraints are evaluated: every such file the name admits counts.
 */
const packageSourceExtensions = new Set([
    ".c",
    ".cc",
    ".cpp",
    ".cxx",
    ".h",
    ".hh",
    ".hpp",
    ".hxx",
    ".m",
    ".s",
    ".S",
    ".sx",
    ".f",
    ".F",
    ".for",
    ".f90",
    ".syso",
    ".swig",
    ".swigcxx",
]);

const isFile = (file: string) => fs.existsSync(file) && fs.statSync(file).isFile();
const isDir = (dir: string) => fs.existsSync(dir) && fs.statSync(dir).isDirectory();
/** Go ignores files and folders whose names begin with `.` or `_`. */
const ignoredByGo = (name: string) => name.startsWith(".") || name.startsWith("_");

/** The go.work that governs `moduleDir`, if one lies between it and the context root. */
function findGoWork(layout: Pick<GoBuildLayout, "contextDir" | "moduleDir">): string | undefined {
    for (let dir = layout.moduleDir; ; dir = path.dirname(dir)) {
        if (isFile(path.join(dir, "go.work"))) return path.join(dir, "go.work");
        if (path.relative(layout.contextDir, dir) === "" || dir === path.dirname(dir)) return undefined;
    }
}

/**
 * The vendor/modules.txt a build uses, if any: in a workspace (a go.work governs the module) the workspace's own
 * vendor folder (`go work vendor`), since Go ignores the modules' vendor folders there; otherwise the module's.
 */
export function vendorManifest(layout: Pick<GoBuildLayout, "contextDir" | "moduleDir">): string | undefined {
    const work = findGoWork(layout);
    const manifest = path.join(work ? path.dirname(work) : layout.moduleDir, "vendor", "modules.txt");
    return isFile(manifest) ? manifest : undefined;
}

/** Import path prefixes of the modules on disk (the main one, workspace ones, local replacements) → their folders. */
function localModules(layout: GoBuildLayout, add: (file: string) => void): Map<string, string> {
    const modules = new Map<string, string>();
    const addModule = (dir: string): string | undefined => {
        if (!isFile(path.join(dir, "go.mod"))) return undefined;
        for (const file of ["go.mod", "go.sum"]) add(path.join(dir, file));
        return readGoMod(dir).module;
    };
    const main = readGoMod(layout.moduleDir);
    addModule(layout.moduleDir);
    modules.set(main.module, layout.moduleDir);
    const work = findGoWork(layout);
    const replaces = main.replaces.map((r) => ({ ...r, from: layout.moduleDir }));
    if (work) {
        for (const file of [work, `${work}.sum`]) add(file);
        const text = fs.readFileSync(work, "utf8");
        for (const use of parseGoWorkUses(text)) {
            const dir = path.resolve(path.dirname(work), use);
            const module = addModule(dir);
            if (module) modules.set(module, dir);
        }
        replaces.push(...parseGoMod(text).replaces.map((r) => ({ ...r, from: path.dirname(work) })));
    }
    for (const replace of replaces.filter((r) => r.local)) {
        const dir = path.resolve(replace.from, replace.target);
        addModule(dir);
        modules.set(replace.path, dir);
    }
    return modules;
}

/** The folder of an import path: in a module on disk, else in vendor/, else nowhere (standard library, downloads). */
function packageFolder(importPath: string, modules: Map<string, string>, vendorDir?: string): string | undefined {
    let best: string | undefined;
    for (const prefix of modules.keys()) {
        if ((importPath === prefix || importPath.startsWith(`${prefix}/`)) && prefix.length > (best?.length ?? -1))
            best = prefix;
    }
    if (best !== undefined) return path.join(modules.get(best)!, importPath.slice(best.length));
    if (vendorDir && isDir(path.join(vendorDir, importPath))) return path.join(vendorDir, importPath);
    return undefined;
}

/** Every file below `dir`, as paths relative to it, with `/` separators. */
function walk(dir: string, rel = ""): string[] {
    return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((entry) => {
        const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) return [child + "/", ...walk(dir, child)];
        return entry.isFile() || entry.isSymbolicLink() ? [child] : [];
    });
}

/**
 * The files a //go:embed pattern names in a package folder: files it matches, and the files below folders it
 * matches, except (unless `all:`) those below such a folder whose names begin with `.` or `_`.
 */
export function embeddedFiles(packageDir: string, pattern: string): string[] {
    const all = pattern.startsWith("all:");
    const matcher = new Minimatch(all ? pattern.slice(4) : pattern, {
        dot: true,
        noglobstar: true,
        nobrace: true,
        noext: true,
        nocomment: true,
        nonegate: true,
    });
    const entries = walk(packageDir);
    const files = new Set<string>();
    for (const entry of entries) {
        const isFolder = entry.endsWith("/");
        const rel = isFolder ? entry.slice(0, -1) : entry;
        if (!matcher.match(rel)) continue;
        if (!isFolder) files.add(rel);
        else {
            for (const below of entries.filter((e) => !e.endsWith("/") && e.startsWith(entry))) {
                const hidden = below.slice(entry.length).split("/").some(ignoredByGo);
                if (all || !hidden) files.add(below);
            }
        }
    }
    return [...files].map((rel) => path.join(packageDir, rel));
}

/**
 * The files that `go build` of the main package reads, as sorted paths relative to the context with `/`
 * separators: go.mod, go.sum and go.work of the modules on disk, the Go files that take part in the target's build
 * (build constraints evaluated as Go does) of every package the main package imports from them or from vendor/
 * (with vendor/modules.txt), the files they embed, and their cgo, assembly and `.syso` files (only their names'
 * constraints evaluated). Test files, testdata/, documentation and other main packages are not. Files outside the
 * context are left out: the builder could not read them either.
 */
export function goBuildInputs(layout: GoBuildLayout): string[] {
    return [...readGoBuildInputs(layout).keys()];
}

/** The files of `goBuildInputs` with their contents, read once, in the same order. */
export function readGoBuildInputs(layout: GoBuildLayout): Map<string, Buffer> {
    const files = new Map<string, Buffer>();
    const add = (file: string, content?: Buffer) => {
        const rel = path.relative(layout.contextDir, file);
        if (rel.startsWith("..") || path.isAbsolute(rel)) return;
        const key = rel.split(path.sep).join("/");
        if (!files.has(key) && (content || isFile(file))) files.set(key, content ?? fs.readFileSync(file));
    };
    const modules = localModules(layout, add);
    const vendorModules = vendorManifest(layout);
    if (vendorModules) add(vendorModules);
    const queue = [layout.packageDir];
    const seen = new Set(queue);
    while (queue.length > 0) {
        const dir = queue.pop()!;
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (ignoredByGo(entry.name) || entry.isDirectory() || entry.name.endsWith("_test.go")) continue;
            if (!fileNameHolds(entry.name, layout.target)) continue;
            if (packageSourceExtensions.has(path.extname(entry.name))) add(file);
            if (!entry.name.endsWith(".go")) continue;
            const content = fs.readFileSync(file);
            const facts = scanGoFile(content.toString("utf8"));
            if (!goFileHolds(entry.name, facts, layout.target)) continue;
            add(file, content);
            for (const pattern of facts.embeds) for (const embedded of embeddedFiles(dir, pattern)) add(embedded);
            for (const imported of facts.imports) {
                const folder = packageFolder(imported, modules, vendorModules && path.dirname(vendorModules));
                if (folder && !seen.has(folder) && isDir(folder)) {
                    seen.add(folder);
                    queue.push(folder);
                }
            }
        }
    }
    const sorted = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new Map(sorted.map((rel) => [rel, files.get(rel)!]));
}

/** The module files (go.mod, go.sum, go.work, go.work.sum) among the build inputs: what the download step needs. */
export function moduleFilesOf(inputs: Iterable<string>): string[] {
    return [...inputs].filter((rel) => /(^|\/)(go\.mod|go\.sum|go\.work|go\.work\.sum)$/.test(rel));
}
