// Checks GoWindowsImage arguments before anything is created and resolves their defaults.
import * as fs from "fs";
import * as path from "path";
import { BuildStrategy, DockerfileSpec, HealthCheckSpec, dockerfileBuildArgs } from "./dockerfile";
import { defaultGoVersion, isGoVersion, isMainPackage, readGoMod } from "./goModule";
import {
    baseImageFlavours,
    defaultBaseImage,
    defaultWindowsVersion,
    findWindowsRelease,
    windowsVersionNames,
} from "./windowsVersions";

/** An argument that cannot be used; `argument` is its name as the user wrote it (e.g. `ecr.repositoryName`). */
export class ArgumentError extends Error {
    constructor(
        public readonly argument: string,
        message: string,
    ) {
        super(message);
        this.name = "ArgumentError";
    }
}

/** Throws an ArgumentError that names the argument, shows what was given and says what is allowed. */
export function fail(argument: string, given: unknown, allowed: string, fix?: string): never {
    const shown = typeof given === "string" ? JSON.stringify(given) : String(given);
    throw new ArgumentError(argument, `\`${argument}\` is ${shown}; ${allowed}.${fix ? ` ${fix}` : ""}`);
}

/** The argument values validation reads; GoWindowsImageArgs is assignable to it. */
export interface ImageArgsToValidate {
    readonly context: string;
    readonly package?: string;
    readonly goVersion?: string;
    readonly windowsVersion?: string;
    readonly baseImage?: string;
    readonly strategy?: string;
    readonly buildTags?: readonly string[];
    readonly ldflags?: readonly string[];
    readonly versionVariable?: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly ports?: readonly number[];
    readonly args?: readonly string[];
    readonly healthCheck?: {
        readonly enabled?: boolean;
        readonly args?: readonly string[];
        readonly intervalSeconds?: number;
        readonly timeoutSeconds?: number;
        readonly startPeriodSeconds?: number;
        readonly retries?: number;
    };
    readonly runtimeSetup?: readonly string[];
    readonly builderImageRef?: string;
    readonly baseImageRef?: string;
    readonly builderName?: string;
    readonly version?: string;
    readonly revision?: string;
    readonly source?: string;
    readonly ecr?: {
        readonly repositoryName?: string;
        readonly untaggedExpiryDays?: number;
        readonly keepTaggedImages?: number;
    };
    readonly acr?: {
        readonly registryName: string;
        readonly repositoryName?: string;
        readonly sku?: string;
        readonly zoneRedundancy?: boolean;
        readonly retentionDays?: number;
    };
    readonly registry?: {
        readonly server: string;
        readonly repositoryName?: string;
        readonly username?: unknown;
        readonly password?: unknown;
    };
}

/** Which registry argument was given. */
export type RegistryKind = "ecr" | "acr" | "registry";

/** Validated arguments with their defaults filled in. */
export interface ResolvedImageArgs {
    /** The context as the user gave it; kept relative so that state does not depend on the checkout path. */
    readonly context: string;
    readonly contextDir: string;
    readonly spec: DockerfileSpec;
    readonly buildArgs: Readonly<Record<string, string>>;
    readonly registryKind: RegistryKind;
    readonly repositoryName: string;
}

const strategies: readonly BuildStrategy[] = ["cross", "native"];
const acrSkus = ["Basic", "Standard", "Premium"];
// ECR's own rule for repository names.
const ecrRepositoryPattern = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// OCI distribution's rule for repository path components.
const repositoryPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const imageRefPattern =
    /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const serverPattern = /^(?:\[[0-9a-fA-F:]+\]|[a-zA-Z0-9.-]+)(?::\d{1,5})?$/;
/** Environment variable names: letters, digits and `_`, not starting with a digit. */
export const envKeyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const buildTagPattern = /^[A-Za-z0-9_.]+$/;
const goVariablePattern = /^[\w./-]+\.[A-Za-z_]\w*$/;
// Characters that the build stage's shell (sh or cmd) or the Dockerfile would interpret inside -ldflags "...".
const unsafeFlagCharacters = /["`$%\r\n\\]/;

export function checkWholeNumber(argument: string, value: number | undefined, min: number, max: number): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
        fail(argument, value, `it must be a whole number from ${min} to ${max}`);
    }
}

function resolveModule(args: ImageArgsToValidate): {
    contextDir: string;
    packagePath: string;
    binaryName: string;
    goVersion: string;
} {
    if (typeof args.context !== "string" || args.context.trim() === "") {
        fail("context", args.context, "it must be the path of a Go module folder (the one holding go.mod)");
    }
    const contextDir = path.resolve(args.context);
    if (!fs.existsSync(contextDir) || !fs.statSync(contextDir).isDirectory()) {
        fail(
            "context",
            args.context,
            `no folder exists at ${contextDir}`,
            "Give the path of the Go module, relative to the Pulumi project.",
        );
    }
    if (!fs.existsSync(path.join(contextDir, "go.mod"))) {
        fail(
            "context",
            args.context,
            "the folder has no go.mod",
            "Point `context` at the module root, or run `go mod init` there.",
        );
    }
    const goMod = readGoMod(contextDir);

    const pkg = args.package ?? ".";
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
    const packagePath = posixRelative === "" ? "." : `./${posixRelative}`;
    const lastElement = (posixRelative === "" ? goMod.module : posixRelative).split("/").pop() ?? "";
    const binaryName = `${lastElement.replace(/[^A-Za-z0-9._-]/g, "-") || "app"}.exe`;

    const goVersion = args.goVersion ?? defaultGoVersion(goMod);
    if (goVersion === undefined) {
        fail(
            "goVersion",
            goVersion,
            "go.mod has no `go` or `toolchain` line to take it from",
            'Pass `goVersion`, e.g. "1.23".',
        );
    }
    if (!isGoVersion(goVersion)) {
        fail("goVersion", goVersion, 'it must be a Go release such as "1.23" or "1.23.4"');
    }
    return { contextDir, packagePath, binaryName, goVersion };
}

function resolveHealthCheck(given: ImageArgsToValidate["healthCheck"]): HealthCheckSpec | undefined {
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

function resolveRegistry(
    args: ImageArgsToValidate,
    componentName: string,
): { kind: RegistryKind; repositoryName: string } {
    const given = (["ecr", "acr", "registry"] as const).filter((k) => args[k] !== undefined);
    if (given.length !== 1) {
        throw new ArgumentError(
            "ecr",
            `Exactly one of \`ecr\`, \`acr\` or \`registry\` must be given; ${given.length === 0 ? "none was" : `${given.map((g) => `\`${g}\``).join(" and ")} were`}. ` +
                "Pass `ecr: {}` for AWS, `acr: { resourceGroupName, registryName }` for Azure, or `registry: { server }` for an existing registry.",
        );
    }
    const kind = given[0];
    const defaultRepository = componentName.toLowerCase();
    if (kind === "ecr") {
        const ecr = args.ecr!;
        const repositoryName = ecr.repositoryName ?? defaultRepository;
        if (repositoryName.length < 2 || repositoryName.length > 256 || !ecrRepositoryPattern.test(repositoryName)) {
            fail(
                "ecr.repositoryName",
                repositoryName,
                "ECR repository names are 2 to 256 lowercase letters, digits and `._-/` separators",
                ecr.repositoryName === undefined
                    ? "It defaults to the component name: pass `ecr.repositoryName`."
                    : undefined,
            );
        }
        checkWholeNumber("ecr.untaggedExpiryDays", ecr.untaggedExpiryDays, 1, 3650);
        checkWholeNumber("ecr.keepTaggedImages", ecr.keepTaggedImages, 1, 10000);
        return { kind, repositoryName };
    }
    if (kind === "acr") {
        const acr = args.acr!;
        if (typeof acr.registryName !== "string" || !/^[a-zA-Z0-9]{5,50}$/.test(acr.registryName)) {
            fail(
                "acr.registryName",
                acr.registryName,
                "ACR registry names are 5 to 50 letters and digits, unique across Azure",
            );
        }
        const sku = acr.sku ?? "Standard";
        if (!acrSkus.includes(sku)) fail("acr.sku", sku, `allowed values: ${acrSkus.join(", ")}`);
        if (acr.zoneRedundancy && sku !== "Premium") {
            fail("acr.zoneRedundancy", true, `zone redundancy needs the Premium SKU, and \`acr.sku\` is "${sku}"`);
        }
        if (acr.retentionDays !== undefined && sku !== "Premium") {
            fail(
                "acr.retentionDays",
                acr.retentionDays,
                `retention of untagged manifests needs the Premium SKU, and \`acr.sku\` is "${sku}"`,
            );
        }
        checkWholeNumber("acr.retentionDays", acr.retentionDays, 0, 365);
        const repositoryName = acr.repositoryName ?? defaultRepository;
        if (!repositoryPattern.test(repositoryName)) {
            fail(
                "acr.repositoryName",
                repositoryName,
                "repository names are lowercase letters and digits with `._-/` separators",
            );
        }
        return { kind, repositoryName };
    }
    const registry = args.registry!;
    if (typeof registry.server !== "string" || !serverPattern.test(registry.server)) {
        fail(
            "registry.server",
            registry.server,
            "it must be a registry host with an optional port, such as `localhost:5000`, without a scheme or path",
        );
    }
    if ((registry.username === undefined) !== (registry.password === undefined)) {
        const missing = registry.username === undefined ? "registry.username" : "registry.password";
        fail(
            missing,
            undefined,
            "a user name and a password go together",
            "Give both, or neither for a registry without authentication.",
        );
    }
    const repositoryName = registry.repositoryName ?? defaultRepository;
    if (!repositoryPattern.test(repositoryName)) {
        fail(
            "registry.repositoryName",
            repositoryName,
            "repository names are lowercase letters and digits with `._-/` separators",
        );
    }
    return { kind, repositoryName };
}

/** Validates every argument and resolves defaults; throws ArgumentError naming the first bad argument. */
export function resolveImageArgs(args: ImageArgsToValidate, componentName: string): ResolvedImageArgs {
    if (args === undefined || args === null) {
        throw new ArgumentError("args", "GoWindowsImage needs arguments: at least `context` and one registry.");
    }
    const strategy = args.strategy ?? "cross";
    if (!(strategies as readonly string[]).includes(strategy))
        fail("strategy", strategy, `allowed values: ${strategies.join(", ")}`);

    const windowsVersion = args.windowsVersion ?? defaultWindowsVersion;
    const windows = findWindowsRelease(windowsVersion);
    if (!windows) fail("windowsVersion", windowsVersion, `allowed values: ${windowsVersionNames.join(", ")}`);

    const baseImage = args.baseImage ?? defaultBaseImage;
    if (!baseImageFlavours.includes(baseImage))
        fail("baseImage", baseImage, `allowed values: ${baseImageFlavours.join(", ")}`);

    const module = resolveModule(args);

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
    const versionVariable = args.versionVariable ?? "main.version";
    if (!goVariablePattern.test(versionVariable)) {
        fail("versionVariable", versionVariable, "it must be a Go package variable such as `main.version`");
    }
    const env = args.env ?? {};
    for (const [key, value] of Object.entries(env)) {
        if (!envKeyPattern.test(key))
            fail("env", key, "variable names are letters, digits and `_`, not starting with a digit");
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
    if (args.version !== undefined && !/^[A-Za-z0-9._+-]{1,128}$/.test(args.version)) {
        fail("version", args.version, "versions are 1 to 128 letters, digits and `._+-` (it is passed to the linker)");
    }
    const healthCheck = resolveHealthCheck(args.healthCheck);
    const registry = resolveRegistry(args, componentName);

    const spec: DockerfileSpec = {
        strategy: strategy as BuildStrategy,
        goVersion: module.goVersion,
        windows,
        baseImage,
        packagePath: module.packagePath,
        binaryName: module.binaryName,
        buildTags: args.buildTags ?? [],
        ldflags: args.ldflags ?? [],
        versionVariable,
        env,
        ports,
        args: args.args ?? [],
        healthCheck,
        runtimeSetup,
        builderImageRef: args.builderImageRef,
        baseImageRef: args.baseImageRef,
    };
    const buildArgValues: Record<(typeof dockerfileBuildArgs)[number], string> = {
        VERSION: args.version ?? "dev",
        REVISION: args.revision ?? "unknown",
        SOURCE: args.source ?? "unknown",
    };
    return {
        context: args.context,
        contextDir: module.contextDir,
        spec,
        buildArgs: buildArgValues,
        registryKind: registry.kind,
        repositoryName: registry.repositoryName,
    };
}
