// Checks where the Go sources are and how modules are fetched: context, module, package, Go version, Go environment,
// private module credentials and cgo; decides their defaults.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { fail } from "../core";
import { GoWindowsImageArgs } from "./args";
import { vendorManifest } from "./buildInputs";
import { BuildStrategy } from "./dockerfile";
import { defaultGoVersion, isGoVersion, isMainPackage, readGoMod } from "./goModule";

/** Private module credentials with their defaults decided; the secrets stay Inputs. */
export interface ResolvedModuleAuth {
    readonly netrc?: pulumi.Input<string>;
    readonly gitToken?: pulumi.Input<string>;
    readonly gitHost: string;
    readonly sshAgent: boolean;
}

export interface ResolvedSource {
    readonly contextDir: string;
    readonly moduleDir: string;
    /** The module's folder relative to the context, `/` separators, `.` for the context itself. */
    readonly moduleRelative: string;
    readonly packageDir: string;
    /** The main package relative to the module, in Go's `./dir` form. */
    readonly packagePath: string;
    readonly binaryName: string;
    readonly goVersion: string;
    readonly vendored: boolean;
    readonly goEnv: Readonly<Record<string, string>>;
    readonly cgo: boolean;
    readonly moduleAuth?: ResolvedModuleAuth;
}

const goEnvNames = ["GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOFLAGS"];

/** `dir` inside `root` (or `root` itself), as a path relative to it; undefined when it lies outside. */
function inside(root: string, dir: string): string | undefined {
    const relative = path.relative(root, dir);
    return relative.startsWith("..") || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join("/");
}

function resolveFolders(args: GoWindowsImageArgs): { contextDir: string; moduleDir: string; moduleRelative: string } {
    if (typeof args.context !== "string" || args.context.trim() === "") {
        fail("context", args.context, "it must be the path of a folder that holds the Go module");
    }
    const contextDir = path.resolve(args.context);
    if (!fs.existsSync(contextDir) || !fs.statSync(contextDir).isDirectory()) {
        fail(
            "context",
            args.context,
            `no folder exists at ${contextDir}`,
            "Give a path relative to the Pulumi project.",
        );
    }
    const module = args.module ?? ".";
    if (path.isAbsolute(module) || /^[A-Za-z]:/.test(module)) {
        fail("module", module, "it must be a path relative to `context`, such as `.` or `services/api`");
    }
    const moduleDir = path.resolve(contextDir, module);
    const moduleRelative = inside(contextDir, moduleDir);
    if (moduleRelative === undefined) {
        fail("module", module, "it points outside `context`, and the builder sees only what the context holds");
    }
    if (!fs.existsSync(path.join(moduleDir, "go.mod"))) {
        const [argument, given] = args.module === undefined ? ["context", args.context] : ["module", module];
        fail(argument, given, "the folder has no go.mod", "Point it at the module root, or run `go mod init` there.");
    }
    return { contextDir, moduleDir, moduleRelative: moduleRelative === "" ? "." : moduleRelative };
}

/** The main package inside the module, in Go's `./dir` form, and the binary name it gives. */
function resolvePackage(moduleDir: string, pkg: string, modulePath: string) {
    if (path.isAbsolute(pkg) || /^[A-Za-z]:/.test(pkg)) {
        fail("package", pkg, "it must be a path relative to the module, such as `.` or `./cmd/server`");
    }
    const packageDir = path.resolve(moduleDir, pkg);
    const relative = inside(moduleDir, packageDir);
    if (relative === undefined) {
        fail("package", pkg, "it points outside the module", "Use a folder inside the module, such as `./cmd/server`.");
    }
    if (!isMainPackage(packageDir)) {
        fail("package", pkg, `${packageDir} holds no \`package main\` Go file`, "Name the folder of the main package.");
    }
    const lastElement = (relative === "" ? modulePath : relative).split("/").pop() ?? "";
    return {
        packageDir,
        packagePath: relative === "" ? "." : `./${relative}`,
        binaryName: `${lastElement.replace(/[^A-Za-z0-9._-]/g, "-") || "app"}.exe`,
    };
}

/** The Go environment: known names, one-line values, and no GOFLAGS that would break this build. */
function resolveGoEnv(given: GoWindowsImageArgs["goEnv"], vendored: boolean): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(given ?? {})) {
        if (!goEnvNames.includes(name)) fail("goEnv", name, `allowed names: ${goEnvNames.join(", ")}`);
        if (value === undefined) continue;
        if (typeof value !== "string" || /[\r\n]/.test(value)) fail(`goEnv.${name}`, value, "values are one line");
        env[name] = value;
    }
    const flags = (env.GOFLAGS ?? "").split(/\s+/).filter(Boolean);
    for (const flag of flags) {
        const mode = /^-mod=(.*)$/.exec(flag)?.[1];
        if (mode !== undefined && vendored && mode !== "vendor")
            fail(
                "goEnv.GOFLAGS",
                env.GOFLAGS,
                `\`${flag}\` would ignore the module's vendor/ folder and need the network`,
            );
        if (mode === "vendor" && !vendored)
            fail("goEnv.GOFLAGS", env.GOFLAGS, "`-mod=vendor` needs a vendor/modules.txt, and the module has none");
        if (/^-(ldflags|tags|o|buildmode)(=|$)/.test(flag))
            fail(
                "goEnv.GOFLAGS",
                env.GOFLAGS,
                `\`${flag}\` is decided by the component`,
                "Use `ldflags` or `buildTags`.",
            );
    }
    return env;
}

/** Credentials are secrets: a plain string would sit unencrypted in the program and in the state. */
function resolveModuleAuth(given: GoWindowsImageArgs["moduleAuth"]): ResolvedModuleAuth | undefined {
    if (!given) return undefined;
    for (const key of ["netrc", "gitToken"] as const) {
        if (typeof given[key] === "string") {
            fail(
                `moduleAuth.${key}`,
                "a plain string",
                "credentials must be secrets, so that they stay encrypted in the state",
                "Pass `config.requireSecret(...)` or `pulumi.secret(...)`.",
            );
        }
    }
    const gitHost = given.gitHost ?? "github.com";
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(gitHost)) fail("moduleAuth.gitHost", gitHost, "it must be a host name");
    return { netrc: given.netrc, gitToken: given.gitToken, gitHost, sshAgent: given.sshAgent ?? false };
}

/** What only the `cross` strategy (BuildKit) can do, and why each other strategy cannot. */
function checkCrossOnly(args: GoWindowsImageArgs, strategy: BuildStrategy): void {
    if (strategy === "cross") return;
    const native = strategy === "native";
    const crossOnly: [keyof GoWindowsImageArgs, boolean, string][] = [
        [
            "cgo",
            args.cgo === true,
            native
                ? "the classic builder on a Windows engine has no MinGW-w64 stage"
                : "`daemonless` compiles with cgo off on this machine, with no MinGW-w64 stage or Windows stage to link in",
        ],
        [
            "moduleAuth",
            args.moduleAuth !== undefined,
            native
                ? "the classic builder has no secret mounts"
                : "`daemonless` runs this machine's Go, which fetches private modules with this machine's own " +
                  "credentials (~/.netrc, git's credential helpers, the SSH agent): give them there instead",
        ],
        [
            "registryCache",
            args.registryCache === true,
            native ? "the classic builder cannot export a cache" : "`daemonless` uses this machine's Go build cache",
        ],
    ];
    for (const [argument, given, why] of crossOnly) {
        if (given) fail(argument, true, `only the \`cross\` strategy supports it: ${why}`, 'Use `strategy: "cross"`.');
    }
}

/** Validates the source arguments and resolves their defaults; throws ArgumentError naming the first bad one. */
export function resolveSource(args: GoWindowsImageArgs, strategy: BuildStrategy): ResolvedSource {
    const folders = resolveFolders(args);
    const goMod = readGoMod(folders.moduleDir);
    const pkg = resolvePackage(folders.moduleDir, args.package ?? ".", goMod.module);
    const goVersion = args.goVersion ?? defaultGoVersion(goMod);
    if (goVersion === undefined) {
        fail(
            "goVersion",
            goVersion,
            "go.mod has no `go` or `toolchain` line to take it from",
            'Pass `goVersion`, e.g. "1.23".',
        );
    }
    if (!isGoVersion(goVersion)) fail("goVersion", goVersion, 'it must be a Go release such as "1.23" or "1.23.4"');
    checkCrossOnly(args, strategy);
    const vendored = vendorManifest(folders) !== undefined;
    return {
        ...folders,
        ...pkg,
        goVersion,
        vendored,
        goEnv: resolveGoEnv(args.goEnv, vendored),
        cgo: args.cgo ?? false,
        moduleAuth: resolveModuleAuth(args.moduleAuth),
    };
}
