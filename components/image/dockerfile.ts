// Renders the multi-stage Dockerfile (Go compile, then a Windows runtime stage) and its .dockerignore.
import type { RuntimeSettings } from "../assembly/imageConfig";
import { WindowsRelease, nonAdminUser, runtimeBaseImageRef } from "../core";

/**
 * How the image is built: `cross` (Linux BuildKit, no RUN on Windows), `native` (Windows engine, classic builder) or
 * `daemonless` (Go on this machine, the image written by the component: its Dockerfile is the `cross` one, which
 * describes the same image).
 */
export type BuildStrategy = "cross" | "native" | "daemonless";

/** The health check the image declares; the binary checks itself, since nanoserver has no PowerShell or curl. */
export interface HealthCheckSpec {
    /** Arguments passed to the binary, e.g. `["healthcheck"]`. */
    readonly args: readonly string[];
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly startPeriodSeconds: number;
    readonly retries: number;
}

/** Where the Go sources are in the context and how the build stage fetches modules. */
export interface GoSourceSpec {
    /** The module's folder relative to the context, with `/` separators; `.` for the context itself. */
    readonly moduleDir: string;
    /** go.mod, go.sum and go.work files of the modules on disk, relative to the context: copied before the download. */
    readonly moduleFiles: readonly string[];
    /** The module vendors its dependencies (vendor/modules.txt): no download step, `-mod=vendor`, no network. */
    readonly vendored: boolean;
    /** GOPROXY, GOPRIVATE, GOFLAGS and the like, for the build stage only. */
    readonly goEnv: Readonly<Record<string, string>>;
    /** Compile with cgo and MinGW-w64, statically linked. */
    readonly cgo: boolean;
    /** Mount the `netrc` BuildKit secret as the build stage's ~/.netrc for module downloads. */
    readonly netrc: boolean;
    /** Forward the SSH agent to module downloads. */
    readonly sshAgent: boolean;
}

/** The module at the context's root, fetched from Go's default proxy. */
export const defaultGoSource: GoSourceSpec = {
    moduleDir: ".",
    moduleFiles: ["go.mod", "go.sum"],
    vendored: false,
    goEnv: {},
    cgo: false,
    netrc: false,
    sshAgent: false,
};

/** Everything the Dockerfile depends on, already validated and defaulted. */
export interface DockerfileSpec {
    /** Where the Go sources are and how modules are fetched. @default defaultGoSource */
    readonly source?: GoSourceSpec;
    readonly strategy: BuildStrategy;
    readonly goVersion: string;
    readonly windows: WindowsRelease;
    /** `nanoserver` or `servercore`. */
    readonly baseImage: string;
    /** The main package, relative to the module, in Go's `./dir` form. */
    readonly packagePath: string;
    /** The file name of the binary, e.g. `app.exe`. */
    readonly binaryName: string;
    readonly buildTags: readonly string[];
    /** Linker flags added after `-s -w`. */
    readonly ldflags: readonly string[];
    /** The Go variable that receives the `VERSION` build argument through `-X`. */
    readonly versionVariable: string;
    readonly env: Readonly<Record<string, string>>;
    readonly ports: readonly number[];
    readonly args: readonly string[];
    readonly healthCheck?: HealthCheckSpec;
    /** Commands run in the Windows runtime stage (native builds only: a cross build cannot RUN on Windows). */
    readonly runtimeSetup: readonly string[];
    /** Overrides the Go builder image reference (private mirror, pull-through cache). */
    readonly builderImageRef?: string;
    /** Overrides the Windows runtime base image reference. */
    readonly baseImageRef?: string;
}

/** The build arguments every Dockerfile declares; their values come from the component. */
export const dockerfileBuildArgs = ["VERSION", "REVISION", "SOURCE"] as const;

/**
 * The time a cross build stamps on the files it produces and, from BuildKit 0.11, on the image's configuration and
 * history, so that the same inputs give the same image: BuildKit reads the `SOURCE_DATE_EPOCH` build argument.
 * Zero (1970), as ko uses.
 */
export const sourceDateEpoch = "0";

/** The folder in the image that holds the binary, as Windows programs see it. */
const appDirWindows = "C:\\app";

/** Where the binary is in the image, as Windows programs see it, e.g. `C:\\app\\hello.exe`. */
export function binaryPath(spec: DockerfileSpec): string {
    return `${appDirWindows}\\${spec.binaryName}`;
}

/** The default Go builder image for a strategy. */
export function defaultBuilderImageRef(strategy: BuildStrategy, goVersion: string, windows: WindowsRelease): string {
    return strategy !== "native" ? `golang:${goVersion}` : `golang:${goVersion}-${windows.golangServercoreSuffix}`;
}

/** The builder and runtime base references a spec resolves to. */
export function imageRefs(spec: DockerfileSpec): { builder: string; base: string } {
    return {
        builder: spec.builderImageRef ?? defaultBuilderImageRef(spec.strategy, spec.goVersion, spec.windows),
        base: spec.baseImageRef ?? runtimeBaseImageRef(spec.windows, spec.baseImage),
    };
}

/** Exec-form JSON array; JSON escaping is independent of the Dockerfile escape directive. */
function execForm(words: readonly string[]): string {
    return JSON.stringify(words).replace(/","/g, '", "');
}

/** Quotes an ENV value so that the escape character, quotes and `$` stay literal. */
function quoteEnvValue(value: string, escapeChar: string): string {
    let out = "";
    for (const ch of value) {
        out += ch === escapeChar || ch === '"' || ch === "$" ? escapeChar + ch : ch;
    }
    return `"${out}"`;
}

/**
 * The flags of `go build` for every strategy: no file system paths (`-trimpath`) and no VCS stamp
 * (`-buildvcs=false`: a build on this machine would otherwise stamp the checkout's commit), stripped (`-s -w`),
 * `version` in the version variable. The same sources and Go release then give the same executable everywhere.
 */
export function goBuildFlags(spec: DockerfileSpec, version: string): string[] {
    const source = spec.source ?? defaultGoSource;
    const static_ = source.cgo ? ["-extldflags=-static"] : [];
    const ldflags = ["-s", "-w", `-X ${spec.versionVariable}=${version}`, ...static_, ...spec.ldflags].join(" ");
    return [
        "-trimpath",
        "-buildvcs=false",
        ...(source.vendored ? ["-mod=vendor"] : []),
        ...(spec.buildTags.length > 0 ? ["-tags", spec.buildTags.join(",")] : []),
        "-ldflags",
        ldflags,
    ];
}

function goBuildCommand(spec: DockerfileSpec, output: string, versionRef: string): string {
    const flags = goBuildFlags(spec, versionRef);
    // The values of -tags and -ldflags are quoted for the build stage's shell; the checks keep quotes out of them.
    const words = flags.map((flag, i) =>
        flags[i - 1] === "-tags" || flags[i - 1] === "-ldflags" ? `"${flag}"` : flag,
    );
    return `go build ${words.join(" ")} -o ${output} ${spec.packagePath}`;
}

/** The target of the Go build for every strategy: Windows on amd64, and cgo with MinGW-w64 or none. */
function goTargetEnv(source: GoSourceSpec): [string, string][] {
    const cgo: [string, string][] = source.cgo
        ? [
              ["CGO_ENABLED", "1"],
              ["CC", "x86_64-w64-mingw32-gcc"],
              ["CXX", "x86_64-w64-mingw32-g++"],
          ]
        : [["CGO_ENABLED", "0"]];
    return [...cgo, ["GOOS", "windows"], ["GOARCH", "amd64"]];
}

/** The user's Go environment (GOPROXY, GOFLAGS, ...), sorted by name. */
const userGoEnv = (source: GoSourceSpec): [string, string][] =>
    Object.keys(source.goEnv)
        .sort()
        .map((k) => [k, source.goEnv[k]]);

/**
 * The environment of the Go build for every strategy: the target, no toolchain downloads (`GOTOOLCHAIN=local`: the Go
 * release chosen is the one that compiles), then the user's Go environment.
 */
export function goBuildEnv(source: GoSourceSpec): [string, string][] {
    return [...goTargetEnv(source), ["GOTOOLCHAIN", "local"], ...userGoEnv(source)];
}

/** The ENV lines of a build stage: the target, the caches, no toolchain downloads, and the user's Go environment. */
function buildEnv(source: GoSourceSpec, escapeChar: string, caches: boolean): string[] {
    const target = goTargetEnv(source).map(([k, v]) => `${k}=${v}`);
    const cacheDirs = caches ? ["GOMODCACHE=/go/pkg/mod", "GOCACHE=/root/.cache/go-build"] : [];
    const lines = [`ENV ${[...target, ...cacheDirs, "GOTOOLCHAIN=local"].join(" ")}`];
    const user = userGoEnv(source);
    if (user.length > 0) lines.push(`ENV ${user.map(([k, v]) => `${k}=${quoteEnvValue(v, escapeChar)}`).join(" ")}`);
    if (source.sshAgent) lines.push('ENV GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=accept-new"');
    return lines;
}

/** The COPY of the module files before the download: the short form for a module at the root. */
function copyModuleFiles(source: GoSourceSpec, root: string): string[] {
    const plain = source.moduleDir === "." && source.moduleFiles.every((f) => f === "go.mod" || f === "go.sum");
    if (plain) return ["COPY go.mod go.sum* ./"];
    return source.moduleFiles.map((file) => `COPY ${execForm([file, `${root}/${file}`])}`);
}

/** Where the module is in the build stage. */
const moduleRoot = (source: GoSourceSpec) => (source.moduleDir === "." ? "/src" : `/src/${source.moduleDir}`);

function crossBuildStage(spec: DockerfileSpec, builder: string): string[] {
    const source = spec.source ?? defaultGoSource;
    const mounts = [
        "--mount=type=cache,target=/go/pkg/mod",
        ...(source.netrc ? ["--mount=type=secret,id=netrc,target=/root/.netrc"] : []),
        ...(source.sshAgent ? ["--mount=type=ssh"] : []),
    ].join(" ");
    const buildCache = "--mount=type=cache,target=/root/.cache/go-build";
    const download = source.vendored
        ? ["# The module vendors its dependencies: nothing to download."]
        : [
              "# Modules download in their own layer, so a source change does not download them again.",
              ...copyModuleFiles(source, "/src"),
              `RUN ${mounts} go mod download`,
          ];
    return [
        `FROM --platform=$BUILDPLATFORM ${builder} AS build`,
        ...(source.cgo
            ? [
                  "# MinGW-w64 cross-compiles the cgo parts for Windows; a builder image that has it skips the install.",
                  "RUN command -v x86_64-w64-mingw32-gcc >/dev/null || (apt-get update && " +
                      "apt-get install -y --no-install-recommends gcc-mingw-w64-x86-64 && rm -rf /var/lib/apt/lists/*)",
              ]
            : []),
        `WORKDIR ${moduleRoot(source)}`,
        ...buildEnv(source, "\\", true),
        ...download,
        source.moduleDir === "." ? "COPY . ." : "COPY . /src/",
        "ARG VERSION=dev",
        "# The output folder and the binary get a fixed time, so that the same inputs give the same layer.",
        `ARG SOURCE_DATE_EPOCH=${sourceDateEpoch}`,
        `RUN ${mounts} ${buildCache} \\`,
        `    mkdir -p /out/app && \\`,
        `    ${goBuildCommand(spec, `/out/app/${spec.binaryName}`, "${VERSION}")} && \\`,
        `    touch -d "@\${SOURCE_DATE_EPOCH}" /out/app /out/app/${spec.binaryName}`,
    ];
}

function nativeBuildStage(spec: DockerfileSpec, builder: string): string[] {
    const source = spec.source ?? defaultGoSource;
    const windowsPath = (posix: string) => posix.split("/").join("\\");
    const download = source.vendored
        ? ["# The module vendors its dependencies: nothing to download."]
        : [
              "# Modules download in their own layer, so a source change does not download them again.",
              ...copyModuleFiles(source, "C:/src"),
              "RUN go mod download",
          ];
    return [
        `FROM ${builder} AS build`,
        'SHELL ["cmd", "/S", "/C"]',
        `WORKDIR C:\\src${source.moduleDir === "." ? "" : `\\${windowsPath(source.moduleDir)}`}`,
        ...buildEnv(source, "`", false),
        ...download,
        source.moduleDir === "." ? "COPY . ." : "COPY . C:/src/",
        "ARG VERSION=dev",
        `RUN ${goBuildCommand(spec, `C:\\out\\${spec.binaryName}`, "%VERSION%")}`,
    ];
}

/**
 * The COPY of the binary into the Windows stage. A cross build copies the build stage's whole output folder onto the
 * root, so the app folder keeps the fixed time it was given (a COPY to /app/ would create it at copy time).
 */
function copyBinary(spec: DockerfileSpec): string {
    return spec.strategy !== "native"
        ? "COPY --from=build /out/ /"
        : `COPY --from=build /out/${spec.binaryName} /app/${spec.binaryName}`;
}

function runtimeStage(spec: DockerfileSpec, base: string, escapeChar: string): string[] {
    const binary = binaryPath(spec);
    const lines = [
        `FROM ${base}`,
        "ARG VERSION=dev",
        "ARG REVISION=unknown",
        "ARG SOURCE=unknown",
        'LABEL org.opencontainers.image.source="${SOURCE}" ' +
            'org.opencontainers.image.revision="${REVISION}" ' +
            'org.opencontainers.image.version="${VERSION}"',
    ];
    for (const command of spec.runtimeSetup) lines.push(`RUN ${command}`);
    // Destinations are written without a drive letter: Windows resolves them on C:, and BuildKit would
    // otherwise make a folder named `C:`.
    lines.push(copyBinary(spec));
    for (const [key, value] of Object.entries(spec.env)) lines.push(`ENV ${key}=${quoteEnvValue(value, escapeChar)}`);
    for (const port of spec.ports) lines.push(`EXPOSE ${port}/tcp`);
    lines.push(`USER ${nonAdminUser}`);
    if (spec.healthCheck) {
        const h = spec.healthCheck;
        lines.push(
            `HEALTHCHECK --interval=${h.intervalSeconds}s --timeout=${h.timeoutSeconds}s ` +
                `--start-period=${h.startPeriodSeconds}s --retries=${h.retries} ` +
                `CMD ${execForm([binary, ...h.args])}`,
        );
    }
    lines.push(`ENTRYPOINT ${execForm([binary])}`);
    if (spec.args.length > 0) lines.push(`CMD ${execForm(spec.args)}`);
    return lines;
}

/**
 * What the runtime stage sets on the image (ENV, EXPOSE, USER, HEALTHCHECK, ENTRYPOINT, CMD and the OCI labels), from
 * the same spec and build arguments (`VERSION`, `REVISION`, `SOURCE`) it is rendered from: the configuration a
 * `daemonless` build writes itself.
 */
export function runtimeSettings(spec: DockerfileSpec, buildArgs: Readonly<Record<string, string>>): RuntimeSettings {
    const binary = binaryPath(spec);
    const h = spec.healthCheck;
    return {
        env: Object.entries(spec.env),
        exposedPorts: spec.ports.map((port) => `${port}/tcp`),
        user: nonAdminUser,
        healthcheck: h && {
            test: ["CMD", binary, ...h.args],
            intervalSeconds: h.intervalSeconds,
            timeoutSeconds: h.timeoutSeconds,
            startPeriodSeconds: h.startPeriodSeconds,
            retries: h.retries,
        },
        entrypoint: [binary],
        cmd: spec.args.length > 0 ? [...spec.args] : undefined,
        labels: {
            "org.opencontainers.image.source": buildArgs.SOURCE ?? "unknown",
            "org.opencontainers.image.revision": buildArgs.REVISION ?? "unknown",
            "org.opencontainers.image.version": buildArgs.VERSION ?? "dev",
        },
    };
}

/**
 * Renders the Dockerfile for a validated spec, FROM the given builder and base references (the spec's, or those
 * pinned to digests). The output is deterministic: same spec and references, same text.
 */
export function renderDockerfile(
    spec: DockerfileSpec,
    refs: { readonly builder: string; readonly base: string } = imageRefs(spec),
): string {
    // A daemonless image is the one a cross build of this Dockerfile makes; the component writes it without Docker.
    const cross = spec.strategy !== "native";
    const escapeChar = cross ? "\\" : "`";
    const header = [
        ...(cross ? [] : ["# escape=`"]),
        `# Generated by go-windows-containers: a ${spec.strategy} build of ${spec.packagePath} ` +
            `for Windows Server ${spec.windows.name} (${spec.windows.build}), ${spec.baseImage} runtime.`,
        ...(spec.strategy === "daemonless"
            ? [
                  "# The component writes this image itself, with no Docker; the `cross` strategy builds it from this file.",
              ]
            : []),
        "",
    ];
    const build = cross ? crossBuildStage(spec, refs.builder) : nativeBuildStage(spec, refs.builder);
    return [...header, ...build, "", ...runtimeStage(spec, refs.base, escapeChar), ""].join("\n");
}

/**
 * Files a build never needs. Sent to the builder they would only slow it and invalidate `COPY . .`;
 * nothing listed here can change the binary (Go ignores tests when building).
 */
export const defaultIgnorePatterns: readonly string[] = [
    ".git",
    ".hg",
    ".svn",
    ".idea",
    ".vscode",
    ".go-windows",
    "**/*_test.go",
    "Dockerfile*",
    ".dockerignore",
];

/** Renders the `.dockerignore` to commit beside go.mod. */
export function renderDockerignore(extraPatterns: readonly string[] = []): string {
    return [
        "# Generated by go-windows-containers: files that cannot change the Go binary.",
        ...defaultIgnorePatterns,
        ...extraPatterns,
        "",
    ].join("\n");
}
