// Go's build constraints for the one target this project builds: whether a file takes part in a Windows build.
import { GoFileFacts } from "./goSource";

/** What decides which files a build uses: the target platform, cgo, the Go release and the build tags. */
export interface GoBuildTarget {
    readonly goos: string;
    readonly goarch: string;
    readonly cgo: boolean;
    /** The Go release, e.g. `1.23` or `1.23.4`: it makes `go1.1` to `go1.23` true. */
    readonly goVersion: string;
    readonly tags: readonly string[];
}

/** Operating systems and architectures Go knows, as file name suffixes and constraint words (go/build's lists). */
const knownOS = new Set(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos".split(
        " ",
    ),
);
const knownArch = new Set(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split(
        " ",
    ),
);
const unixOS = new Set("aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris".split(" "));

/** Whether a constraint word holds for the target, as go/build's `matchTag` decides it. */
function tagHolds(tag: string, target: GoBuildTarget): boolean {
    if (tag === target.goos || tag === target.goarch || tag === "gc") return true;
    if (tag === "unix") return unixOS.has(target.goos);
    if (tag === "cgo") return target.cgo;
    const release = /^go1\.(\d+)$/.exec(tag);
    if (release) return Number(release[1]) <= Number(target.goVersion.split(".")[1]);
    return target.tags.includes(tag);
}

/** Evaluates a `//go:build` expression: words, `!`, `&&`, `||` and parentheses. */
export function evaluateGoBuild(expression: string, target: GoBuildTarget): boolean {
    const tokens = expression.match(/[A-Za-z0-9_.]+|&&|\|\||!|\(|\)/g) ?? [];
    let i = 0;
    const or = (): boolean => {
        let value = and();
        while (tokens[i] === "||") {
            i++;
            value = and() || value;
        }
        return value;
    };
    const and = (): boolean => {
        let value = not();
        while (tokens[i] === "&&") {
            i++;
            value = not() && value;
        }
        return value;
    };
    const not = (): boolean => {
        if (tokens[i] === "!") {
            i++;
            return !not();
        }
        if (tokens[i] === "(") {
            i++;
            const value = or();
            i++;
            return value;
        }
        return tagHolds(tokens[i++] ?? "", target);
    };
    return or();
}

/** Evaluates `// +build` lines: every line must hold; a line holds when one option does; `a,b` needs both. */
function evaluatePlusBuild(lines: readonly string[], target: GoBuildTarget): boolean {
    const term = (word: string) => (word.startsWith("!") ? !tagHolds(word.slice(1), target) : tagHolds(word, target));
    return lines.every((line) => line.split(/\s+/).some((option) => option.split(",").every(term)));
}

/** Whether the file name's `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` suffix admits the target. */
export function fileNameHolds(fileName: string, target: GoBuildTarget): boolean {
    const stem = fileName.replace(/\.[^.]*$/, "").replace(/_test$/, "");
    const parts = stem.split("_").slice(1);
    const last = parts[parts.length - 1];
    const beforeLast = parts[parts.length - 2];
    if (parts.length >= 2 && knownOS.has(beforeLast) && knownArch.has(last))
        return beforeLast === target.goos && last === target.goarch;
    if (last !== undefined && knownOS.has(last)) return last === target.goos;
    if (last !== undefined && knownArch.has(last)) return last === target.goarch;
    return true;
}

/**
 * Whether a Go file takes part in the target's build: its name, its `//go:build` line (or, without one, its
 * `// +build` lines), and cgo for a file that imports "C".
 */
export function goFileHolds(fileName: string, facts: GoFileFacts, target: GoBuildTarget): boolean {
    if (!fileNameHolds(fileName, target)) return false;
    if (facts.imports.includes("C") && !target.cgo) return false;
    if (facts.goBuild !== undefined) return evaluateGoBuild(facts.goBuild, target);
    return evaluatePlusBuild(facts.plusBuild, target);
}
