// Checks GoWindowsImage arguments before anything is created and decides every default, once.
import * as fs from "fs";
import * as path from "path";
import {
    ArgumentError,
    baseImageFlavours,
    checkVariableName,
    checkWholeNumber,
    defaultBaseImage,
    defaultWindowsVersion,
    fail,
    findWindowsRelease,
    oneOf,
    windowsVersionNames,
} from "../core";
import { ResolvedRegistry, resolveRegistry } from "../registries";
import { GoWindowsImageArgs } from "./args";
import { GoBuildLayout } from "./buildInputs";
import { BuildStrategy, DockerfileSpec, HealthCheckSpec, dockerfileBuildArgs, sourceDateEpoch } from "./dockerfile";
import { defaultGoVersion, isGoVersion, isMainPackage, readGoMod } from "./goModule";

/** Validated arguments with their defaults filled in. */
export interface ResolvedImageArgs {
    /** The context as the user gave it; kept relative so that state does not depend on the checkout path. */
    readonly context: string;
    readonly contextDir: string;
    /** Where the build's sources are, for finding exactly the files it reads. */
    readonly layout: GoBuildLayout;
    readonly spec: DockerfileSpec;
    readonly buildArgs: Readonly<Record<string, string>>;
    readonly registry: ResolvedRegistry;
    readonly builderName?: string;
    readonly buildOnPreview: boolean;
    readonly trackBaseImages: boolean;
}

const strategies: readonly BuildStrategy[] = ["cross", "native"];
const imageRefPattern =
    /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const buildTagPattern = /^[A-Za-z0-9_.]+$/;
const goVariablePattern = /^[\w./-]+\.[A-Za-z_]\w*$/;
// Characters that the build stage's shell (sh or cmd) or the Dockerfile would interpret inside -ldflags "...".
const unsafeFlagCharacters = /["`$%\r\n\\]/;

interface ResolvedModule {
    readonly contextDir: string;
    readonly packageDir: string;
    readonly packagePath: string;
    readonly binaryName: string;
    readonly goVersion: string;
}

function resolveContextDir(context: string): string {
    if (typeof context !== "string" || context.trim() === "") {
        fail("context", context, "it must be the path of a Go module folder (the one holding go.mod)");
    }
    const contextDir = path.resolve(context);
    if (!fs.existsSync(contextDir) || !fs.statSync(contextDir).isDirectory()) {
        fail(
            "context",
            context,
            `no folder exists at ${contextDir}`,
            "Give the path of the Go module, relative to the Pulumi project.",
        );
    }
    if (!fs.existsSync(path.join(contextDir, "go.mod"))) {
        fail(
            "context",
            context,
            "the folder has no go.mod",
            "Point `context` at the module root, or run `go mod init` there.",
        );
    }
    return contextDir;
}

/** The main package inside the module, in Go's `./dir` form, and the binary name it gives. */
function resolvePackage(
    contextDir: string,
    pkg: string,
    modulePath: string,
): { packageDir: string; packagePath: string; binaryName: string } {
    if (path.isAbsolute(pkg) || /^[A-Za-z]:/.test(pkg)) {
        fail("package", pkg, "it must be a path relative to the module, such as `.` or `./cmd/server`");
    }
    const packageDir = path.resolve(contextDir, pkg);
    const relative = path.relative(contextDir, packageDir);
    if (relative.startsWith("..") || path.isAbsolute(relative)) {
        fail(
            "package",
            pkg,
            "it points outside the module in `context`",
            "Use a folder inside the module, such as `./cmd/server`.",
        );
    }
    if (!isMainPackage(packageDir)) {
        fail("package", pkg, `${packageDir} holds no \`package main\` Go file`, "Name the folder of the main package.");
    }
    const posixRelative = relative.split(path.sep).join("/");
    const lastElement = (posixRelative === "" ? modulePath : posixRelative).split("/").pop() ?? "";
    return {
        packageDir,
        packagePath: posixRelative === "" ? "." : `./${posixRelative}`,
        binaryName: `${lastElement.replace(/[^A-Za-z0-9._-]/g, "-") || "app"}.exe`,
    };
}

function resolveModule(args: GoWindowsImageArgs): ResolvedModule {
    const contextDir = resolveContextDir(args.context);
    const goMod = readGoMod(contextDir);
    const { packageDir, packagePath, binaryName } = resolvePackage(contextDir, args.package ?? ".", goMod.module);
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
    return { contextDir, packageDir, packagePath, binaryName, goVersion };
}

function resolveHealthCheck(given: GoWindowsImageArgs["healthCheck"]): HealthCheckSpec | undefined {
    // On unless turned off: scanners (CKV_DOCKER_2) flag images without a HEALTHCHECK.
    const h = given ?? {};
    if (h.enabled === false) return undefined;
    const spec: HealthCheckSpec = {
        args: h.args ?? ["healthcheck"],
        intervalSeconds: h.intervalSeconds ?? 30,
        timeoutSeconds: h.timeoutSeconds ?? 5,
        startPeriodSeconds: h.startPeriodSeconds ?? 10,
        retries: h.retries ?? 3,
    };
    checkWholeNumber("healthCheck.intervalSeconds", spec.intervalSeconds, 1, 86400);
    checkWholeNumber("healthCheck.timeoutSeconds", spec.timeoutSeconds, 1, 86400);
    checkWholeNumber("healthCheck.startPeriodSeconds", spec.startPeriodSeconds, 0, 86400);
    checkWholeNumber("healthCheck.retries", spec.retries, 1, 100);
    return spec;
}

/** Build tags, linker flags, the version variable and the version: all reach the Go command line. */
function checkGoFlags(args: GoWindowsImageArgs): void {
    for (const [i, tag] of (args.buildTags ?? []).entries()) {
        if (!buildTagPattern.test(tag)) fail(`buildTags[${i}]`, tag, "Go build tags are letters, digits, `_` and `.`");
    }
    for (const [i, flag] of (args.ldflags ?? []).entries()) {
        if (unsafeFlagCharacters.test(flag)) {
            fail(
                `ldflags[${i}]`,
                flag,
                "linker flags may not contain quotes, backslashes, `$`, `%` or line breaks (the build shell would read them)",
            );
        }
    }
    if (args.versionVariable !== undefined && !goVariablePattern.test(args.versionVariable)) {
        fail("versionVariable", args.versionVariable, "it must be a Go package variable such as `main.version`");
    }
    if (args.version !== undefined && !/^[A-Za-z0-9._+-]{1,128}$/.test(args.version)) {
        fail("version", args.version, "versions are 1 to 128 letters, digits and `._+-` (it is passed to the linker)");
    }
}

/** ENV, EXPOSE and the Windows-stage commands. */
function checkRuntimeStage(args: GoWindowsImageArgs, strategy: BuildStrategy): void {
    for (const [key, value] of Object.entries(args.env ?? {})) {
        checkVariableName("env", key);
        if (key.toUpperCase() === "PATH") {
            fail(
                "env",
                key,
                "PATH cannot be set: Windows base images keep PATH in the registry, and an ENV would replace it",
                "Call the binary by its absolute path instead.",
            );
        }
        if (typeof value !== "string" || /[\r\n]/.test(value))
            fail(`env.${key}`, value, "values must be strings on one line");
    }
    const ports = args.ports ?? [];
    ports.forEach((port, i) => checkWholeNumber(`ports[${i}]`, port, 1, 65535));
    if (new Set(ports).size !== ports.length) fail("ports", ports.join(", "), "each port may be listed once");

    const runtimeSetup = args.runtimeSetup ?? [];
    if (strategy === "cross" && runtimeSetup.length > 0) {
        fail(
            "runtimeSetup",
            runtimeSetup.join("; "),
            "the `cross` strategy cannot RUN commands in the Windows stage (a Linux BuildKit cannot execute Windows programs)",
            'Use `strategy: "native"` on a Windows Docker engine, or drop `runtimeSetup`.',
        );
    }
    for (const [i, command] of runtimeSetup.entries()) {
        if (typeof command !== "string" || command.trim() === "" || /[\r\n]/.test(command)) {
            fail(`runtimeSetup[${i}]`, command, "each command must be one non-empty line");
        }
    }
}

/** Image references and the builder selection. */
function checkBuilder(args: GoWindowsImageArgs, strategy: BuildStrategy): void {
    for (const refArg of ["builderImageRef", "baseImageRef"] as const) {
        const ref = args[refArg];
        if (ref !== undefined && !imageRefPattern.test(ref)) {
            fail(
                refArg,
                ref,
                "it must be an image reference such as `registry.example.com/golang:1.23` or `name@sha256:<digest>`",
            );
        }
    }
    if (args.builderName !== undefined && strategy !== "cross") {
        fail("builderName", args.builderName, "it selects a BuildKit builder, which only the `cross` strategy uses");
    }
    if (args.builderName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(args.builderName)) {
        fail("builderName", args.builderName, "builder names are letters, digits and `_.-`");
    }
}

/** The values of the Dockerfile's build arguments; a cross build also stamps its files with a fixed time. */
function buildArgsFor(args: GoWindowsImageArgs, strategy: BuildStrategy): Record<string, string> {
    const values: Record<(typeof dockerfileBuildArgs)[number], string> = {
        VERSION: args.version ?? "dev",
        REVISION: args.revision ?? "unknown",
        SOURCE: args.source ?? "unknown",
    };
    return strategy === "cross" ? { ...values, SOURCE_DATE_EPOCH: sourceDateEpoch } : values;
}

/** Validates every argument and resolves defaults; throws ArgumentError naming the first bad argument. */
export function resolveImageArgs(args: GoWindowsImageArgs, componentName: string): ResolvedImageArgs {
    if (args === undefined || args === null) {
        throw new ArgumentError("args", "GoWindowsImage needs arguments: at least `context` and one registry.");
    }
    const strategy = oneOf("strategy", args.strategy, strategies, "cross");
    const windowsVersion = oneOf("windowsVersion", args.windowsVersion, windowsVersionNames, defaultWindowsVersion);
    const baseImage = oneOf("baseImage", args.baseImage, baseImageFlavours, defaultBaseImage);
    const module = resolveModule(args);
    checkGoFlags(args);
    checkRuntimeStage(args, strategy);
    checkBuilder(args, strategy);
    const healthCheck = resolveHealthCheck(args.healthCheck);
    const registry = resolveRegistry(args, componentName);

    const spec: DockerfileSpec = {
        strategy,
        goVersion: module.goVersion,
        windows: findWindowsRelease(windowsVersion)!,
        baseImage,
        packagePath: module.packagePath,
        binaryName: module.binaryName,
        buildTags: args.buildTags ?? [],
        ldflags: args.ldflags ?? [],
        versionVariable: args.versionVariable ?? "main.version",
        env: args.env ?? {},
        ports: args.ports ?? [],
        args: args.args ?? [],
        healthCheck,
        runtimeSetup: args.runtimeSetup ?? [],
        builderImageRef: args.builderImageRef,
        baseImageRef: args.baseImageRef,
    };
    return {
        context: args.context,
        contextDir: module.contextDir,
        spec,
        layout: {
            contextDir: module.contextDir,
            moduleDir: module.contextDir,
            packageDir: module.packageDir,
            target: { goos: "windows", goarch: "amd64", cgo: false, goVersion: module.goVersion, tags: spec.buildTags },
        },
        buildArgs: buildArgsFor(args, strategy),
        registry,
        builderName: args.builderName,
        buildOnPreview: args.buildOnPreview ?? false,
        trackBaseImages: args.trackBaseImages ?? true,
    };
}
