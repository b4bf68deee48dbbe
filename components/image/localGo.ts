// The `daemonless` strategy's Go compile: the Go on this machine, checked against what the module needs, run with the
// flags and target of every other strategy and an environment in which nothing of this machine's Go settings can
// change the executable.
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The Go release a `daemonless` build needs on this machine. */
export interface LocalGoRequirement {
    /** go.mod's `go` line: the oldest Go that builds the module. */
    readonly minimum?: string;
    /** `goVersion` as given: the machine's Go must be that release (`1.23`: any 1.23.x; `1.23.4`: exactly). */
    readonly release?: string;
}

/** A Go version taken apart as Go's own `gover` orders them: 1.21 < 1.21rc1 < 1.21.0 < 1.21.1. */
interface GoVersion {
    readonly major: number;
    readonly minor: number;
    /** -1: the language version (`1.21`); then prereleases below 0 by kind, releases at their patch. */
    readonly patch?: number;
    readonly prerelease?: { kind: "beta" | "rc"; number: number };
}

/** Reads `1.23`, `1.23.4`, `1.24rc1` and the same with a `go` prefix; undefined for anything else. */
export function parseGoVersion(text: string): GoVersion | undefined {
    const match = /^(?:go)?(\d+)\.(\d+)(?:\.(\d+)|(beta|rc)(\d+))?$/.exec(text.trim());
    if (!match) return undefined;
    return {
        major: Number(match[1]),
        minor: Number(match[2]),
        patch: match[3] === undefined ? undefined : Number(match[3]),
        prerelease: match[4] ? { kind: match[4] as "beta" | "rc", number: Number(match[5]) } : undefined,
    };
}

/** Orders two Go versions as Go does. */
export function compareGoVersions(a: GoVersion, b: GoVersion): number {
    const rank = (v: GoVersion): number[] => [
        v.major,
        v.minor,
        // The language version, then betas, then release candidates, then releases by patch.
        v.patch !== undefined ? 3 : v.prerelease ? (v.prerelease.kind === "beta" ? 1 : 2) : 0,
        v.patch ?? v.prerelease?.number ?? 0,
    ];
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
}

/**
 * The Go release on this machine (`go env GOVERSION`, e.g. `go1.23.5`), run as the build will run it. Throws when
 * there is no `go` on PATH, naming what to install.
 */
export function localGoVersion(env: NodeJS.ProcessEnv = process.env): string {
    const result = spawnSync("go", ["env", "GOVERSION"], { env: { ...env, GOTOOLCHAIN: "local" }, encoding: "utf8" });
    if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(
            '`strategy: "daemonless"` compiles with the Go of the machine that runs Pulumi, and there is no `go` on ' +
                'its PATH. Install Go (https://go.dev/dl/) or use `strategy: "cross"`, which compiles in a builder image.',
        );
    }
    if (result.error || result.status !== 0)
        throw new Error(`\`go env GOVERSION\` failed: ${result.error?.message ?? result.stderr.trim()}`);
    // A development build says `devel go1.24-abcdef ...`.
    const version = /go\d+\.\d+(?:\.\d+|(?:beta|rc)\d+)?/.exec(result.stdout)?.[0];
    if (!version) throw new Error(`\`go env GOVERSION\` printed ${JSON.stringify(result.stdout.trim())}`);
    return version;
}

/**
 * Fails unless `version` (this machine's Go, e.g. `go1.23.5`) meets `requirement`: the release `goVersion` names,
 * and go.mod's `go` line. Go would refuse an older release itself (`GOTOOLCHAIN=local`), but only once it runs.
 */
export function checkLocalGo(version: string, requirement: LocalGoRequirement): void {
    const local = parseGoVersion(version);
    if (!local) throw new Error(`This machine's Go reports the version ${JSON.stringify(version)}, which is unknown.`);
    const release = requirement.release === undefined ? undefined : parseGoVersion(requirement.release);
    if (release) {
        const sameLine = release.major === local.major && release.minor === local.minor;
        const samePatch = release.patch === undefined || release.patch === local.patch;
        if (!sameLine || !samePatch || (release.patch !== undefined && local.prerelease))
            throw new Error(
                `\`goVersion\` is "${requirement.release}", and this machine's Go is ${version}: ` +
                    '`strategy: "daemonless"` compiles with the Go on this machine. Install that release, ' +
                    "change `goVersion`, or leave it out to build with this machine's Go.",
            );
    }
    const minimum = requirement.minimum === undefined ? undefined : parseGoVersion(requirement.minimum);
    if (minimum && compareGoVersions(local, minimum) < 0)
        throw new Error(
            `The module needs Go ${requirement.minimum} or later (go.mod's \`go\` line), and this machine's Go is ` +
                `${version}: \`strategy: "daemonless"\` compiles with the Go on this machine. Install Go ` +
                `${requirement.minimum} or later, or use \`strategy: "cross"\`, which compiles in a builder image.`,
        );
}

/** Settings of this machine's Go that say where modules come from and where caches live: they cannot change code. */
export const machineGoSettings = [
    "GOPROXY",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOSUMDB",
    "GOINSECURE",
    "GOAUTH",
    "GOVCS",
    "GOPATH",
    "GOMODCACHE",
    "GOCACHE",
    "GOTMPDIR",
] as const;

/**
 * The environment of the compile: this machine's environment without any Go or cgo variable (GOFLAGS, GOAMD64 or
 * GOEXPERIMENT would change the executable), its Go configuration file switched off (`GOENV=off`: `go env -w` may set
 * the same), its module and cache settings (`settings`, read with `go env` before) kept, then the build's own
 * environment (`build`: the target, GOTOOLCHAIN, the user's `goEnv`), which wins.
 */
export function compileEnvironment(
    machine: NodeJS.ProcessEnv,
    settings: Readonly<Record<string, string>>,
    build: readonly (readonly [string, string])[],
): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(machine)) {
        if (value === undefined || /^(GO|CGO_)/i.test(name)) continue;
        env[name] = value;
    }
    // GOROOT picks the toolchain whose version was checked; keep it as the machine has it.
    if (machine.GOROOT) env.GOROOT = machine.GOROOT;
    for (const name of machineGoSettings) if (settings[name]) env[name] = settings[name];
    env.GOENV = "off";
    for (const [name, value] of build) env[name] = value;
    return env;
}

/** Runs a command to completion; resolves with stdout, rejects with what it printed. */
function runGo(args: string[], options: { cwd: string; env: Record<string, string> }): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile("go", args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (!error) return resolve(stdout);
            const output = `${stderr}${stdout}`.trim().split("\n").slice(-40).join("\n");
            reject(new Error(`\`go ${args.join(" ")}\` failed in ${options.cwd}:\n${output || error.message}`));
        });
    });
}

/** What one compile needs: where, what, and how. */
export interface LocalGoCompile {
    /** The module's folder (absolute, or relative to the working directory). */
    readonly moduleDir: string;
    /** The main package, relative to the module, e.g. `.` or `./cmd/server`. */
    readonly packagePath: string;
    /** The executable's file name, e.g. `hello.exe`. */
    readonly binaryName: string;
    /** The flags of `go build` (goBuildFlags). */
    readonly flags: readonly string[];
    /** The build's environment (goBuildEnv). */
    readonly env: readonly (readonly [string, string])[];
}

/** Compiles the main package with this machine's Go; returns the executable's bytes. */
export async function compileWithLocalGo(compile: LocalGoCompile): Promise<Buffer> {
    const cwd = path.resolve(compile.moduleDir);
    const machine = { ...process.env, GOTOOLCHAIN: "local" } as Record<string, string>;
    const settingsJson = await runGo(["env", "-json", ...machineGoSettings], { cwd, env: machine });
    const settings = JSON.parse(settingsJson) as Record<string, string>;
    const env = compileEnvironment(process.env, settings, compile.env);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "gwc-daemonless-"));
    try {
        const output = path.join(outDir, compile.binaryName);
        await runGo(["build", ...compile.flags, "-o", output, compile.packagePath], { cwd, env });
        return fs.readFileSync(output);
    } finally {
        fs.rmSync(outDir, { recursive: true, force: true });
    }
}
