// Reads what a build needs from a Go module on disk: go.mod and go.work directives, and which packages are main.
import * as fs from "fs";
import * as path from "path";
import { scanGoFile } from "./goSource";

/** A `replace` directive: `path [version] => target [version]`; a target starting with `.` or `/` is a folder. */
export interface GoReplace {
    readonly path: string;
    readonly target: string;
    /** The target is a folder on disk (relative to the module) rather than a module version. */
    readonly local: boolean;
}

/** What go.mod says about the module, its toolchain and its local replacements. */
export interface GoModFile {
    /** The module path from the `module` line. */
    readonly module: string;
    /** The `go` directive, e.g. `1.23` or `1.23.4`. */
    readonly go?: string;
    /** The `toolchain` directive without its `go` prefix, e.g. `1.23.4`. */
    readonly toolchain?: string;
    readonly replaces: readonly GoReplace[];
}

const goVersionPattern = /^1\.\d+(\.\d+)?$/;

/** True for Go release versions such as `1.23` or `1.23.4` (the forms golang image tags use). */
export function isGoVersion(value: string): boolean {
    return goVersionPattern.test(value);
}

/**
 * The directives of a go.mod or go.work file as `[keyword, ...arguments]`, with `keyword ( ... )` blocks
 * flattened into one directive per line and comments and quotes removed.
 */
export function goDirectives(text: string): string[][] {
    const directives: string[][] = [];
    let block: string | undefined;
    for (const raw of text.split(/\r?\n/)) {
        const words = (raw.replace(/\/\/.*$/, "").match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? []).map((w) =>
            /^["`]/.test(w) ? w.slice(1, -1) : w,
        );
        if (words.length === 0) continue;
        if (block !== undefined) {
            if (words[0] === ")") block = undefined;
            else directives.push([block, ...words]);
        } else if (words[1] === "(") {
            block = words[0];
        } else {
            directives.push(words);
        }
    }
    return directives;
}

/** A replace directive's words after the keyword: `path [version] => target [version]`. */
function parseReplace(words: string[]): GoReplace | undefined {
    const arrow = words.indexOf("=>");
    if (arrow < 1 || arrow + 1 >= words.length) return undefined;
    const target = words[arrow + 1];
    return { path: words[0], target, local: /^(\.|\/)/.test(target) || path.isAbsolute(target) };
}

/** Parses the directives of a go.mod file that decide the module, the Go version and local replacements. */
export function parseGoMod(text: string): GoModFile {
    let module = "";
    let go: string | undefined;
    let toolchain: string | undefined;
    const replaces: GoReplace[] = [];
    for (const [keyword, ...args] of goDirectives(text)) {
        if (keyword === "module" && args[0]) module = args[0];
        else if (keyword === "go" && args[0]) go = args[0];
        else if (keyword === "toolchain" && args[0]) toolchain = args[0].replace(/^go/, "");
        else if (keyword === "replace") {
            const replace = parseReplace(args);
            if (replace) replaces.push(replace);
        }
    }
    return { module, go, toolchain, replaces };
}

/** The folders a go.work file's `use` directives name, relative to the go.work folder. */
export function parseGoWorkUses(text: string): string[] {
    return goDirectives(text)
        .filter(([keyword, folder]) => keyword === "use" && folder !== undefined)
        .map(([, folder]) => folder);
}

/**
 * The Go version to build with when none is given: the `toolchain` directive if it names a release,
 * else the `go` directive. `undefined` when go.mod names neither.
 */
export function defaultGoVersion(goMod: GoModFile): string | undefined {
    if (goMod.toolchain && isGoVersion(goMod.toolchain)) return goMod.toolchain;
    return goMod.go;
}

/** Reads and parses `<moduleDir>/go.mod`. */
export function readGoMod(moduleDir: string): GoModFile {
    return parseGoMod(fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8"));
}

/** The package clause of a Go source file, or `undefined` if it has none. */
export function packageClause(source: string): string | undefined {
    return scanGoFile(source).packageName;
}

/** True when the directory holds a non-test Go file whose package clause is `package main`. */
export function isMainPackage(packageDir: string): boolean {
    if (!fs.existsSync(packageDir) || !fs.statSync(packageDir).isDirectory()) return false;
    return fs
        .readdirSync(packageDir)
        .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
        .some((f) => packageClause(fs.readFileSync(path.join(packageDir, f), "utf8")) === "main");
}
