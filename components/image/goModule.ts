// Reads what a build needs from a Go module on disk: its go.mod versions and whether a package is a main package.
import * as fs from "fs";
import * as path from "path";

/** What go.mod says about the toolchain. */
export interface GoModFile {
    /** The module path from the `module` line. */
    readonly module: string;
    /** The `go` directive, e.g. `1.23` or `1.23.4`. */
    readonly go?: string;
    /** The `toolchain` directive without its `go` prefix, e.g. `1.23.4`. */
    readonly toolchain?: string;
}

const goVersionPattern = /^1\.\d+(\.\d+)?$/;

/** True for Go release versions such as `1.23` or `1.23.4` (the forms golang image tags use). */
export function isGoVersion(value: string): boolean {
    return goVersionPattern.test(value);
}

/** Parses the directives of a go.mod file that decide the Go version. */
export function parseGoMod(text: string): GoModFile {
    let module = "";
    let go: string | undefined;
    let toolchain: string | undefined;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/\/\/.*$/, "").trim();
        const [keyword, value] = line.split(/\s+/, 2);
        if (!value) continue;
        if (keyword === "module") module = value.replace(/^"|"$/g, "");
        else if (keyword === "go") go = value;
        else if (keyword === "toolchain") toolchain = value.replace(/^go/, "");
    }
    return { module, go, toolchain };
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
    // Strip comments so that a `package` word inside them is not taken for the clause.
    const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
    return /^\s*package\s+([A-Za-z_]\w*)/m.exec(code)?.[1];
}

/** True when the directory holds a non-test Go file whose package clause is `package main`. */
export function isMainPackage(packageDir: string): boolean {
    if (!fs.existsSync(packageDir) || !fs.statSync(packageDir).isDirectory()) return false;
    return fs
        .readdirSync(packageDir)
        .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
        .some((f) => packageClause(fs.readFileSync(path.join(packageDir, f), "utf8")) === "main");
}
