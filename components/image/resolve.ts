// Checks GoWindowsImage arguments before anything is created and decides every default, once.
import {
    ArgumentError,
    baseImageFlavours,
    checkImageReleases,
    checkVariableName,
    checkWholeNumber,
    defaultBaseImage,
    defaultWindowsVersion,
    fail,
    findWindowsRelease,
    oneOf,
    windowsVersionNames,
    WindowsRelease,
} from "../core";
import { ResolvedRegistry, checkKeepTaggedImages, resolveRegistry } from "../registries";
import { BaseImageRegistryArgs, GoWindowsImageArgs } from "./args";
import { GoBuildLayout } from "./buildInputs";
import { BuildStrategy, DockerfileSpec, HealthCheckSpec, dockerfileBuildArgs, sourceDateEpoch } from "./dockerfile";
import { readGoMod } from "./goModule";
import { LocalGoRequirement } from "./localGo";
import { ResolvedSource, resolveSource } from "./resolveSource";

/** Validated arguments with their defaults filled in. */
export interface ResolvedImageArgs {
    /** The context as the user gave it; kept relative so that state does not depend on the checkout path. */
    readonly context: string;
    readonly contextDir: string;
    /** Where the build's sources are, for finding exactly the files it reads. */
    readonly layout: GoBuildLayout;
    /** The image's Dockerfile spec; with `windowsVersions`, that of the newest release. */
    readonly spec: DockerfileSpec;
    /**
     * With `windowsVersions` only: one spec per release, oldest first. They differ in `windows` and `baseImageRef`
     * alone, so their build stages are the same text.
     */
    readonly releaseSpecs?: readonly DockerfileSpec[];
    readonly buildArgs: Readonly<Record<string, string>>;
    readonly registry: ResolvedRegistry;
    readonly builderName?: string;
    readonly buildOnPreview: boolean;
    readonly trackBaseImages: boolean;
    /** Credentials for the registries builder and base images come from, checked: one per address. */
    readonly baseImageRegistries: readonly BaseImageRegistryArgs[];
    readonly registryCache: boolean;
    /** Where the sources are and how modules are fetched, credentials included. */
    readonly source: ResolvedSource;
    /** `daemonless` only: the Go release this machine must have (go.mod's `go` line, `goVersion` if given). */
    readonly localGo?: LocalGoRequirement;
}

const strategies: readonly BuildStrategy[] = ["cross", "native", "daemonless"];
const registryAddressPattern = /^(?:\[[0-9a-fA-F:]+\]|[a-zA-Z0-9.-]+)(?::\d{1,5})?$/;

/** Checks `baseImageRegistries`: a host[:port] each, no address twice, a user name and a password each. */
function resolveBaseImageRegistries(given: GoWindowsImageArgs["baseImageRegistries"]): BaseImageRegistryArgs[] {
    if (given === undefined) return [];
    if (!Array.isArray(given))
        fail("baseImageRegistries", given, "it must be a list of `{ address, username, password }`");
    const seen = new Set<string>();
    given.forEach((registry, i) => {
        const at = `baseImageRegistries[${i}]`;
        if (typeof registry?.address !== "string" || !registryAddressPattern.test(registry.address))
            fail(
                `${at}.address`,
                registry?.address,
                "it must be a registry host with an optional port, without a scheme or path",
            );
        if (seen.has(registry.address)) fail(`${at}.address`, registry.address, "each registry is given once");
        seen.add(registry.address);
        if (registry.username === undefined || registry.password === undefined)
            fail(
                `${at}.${registry.username === undefined ? "username" : "password"}`,
                undefined,
                "a user name and a password go together",
            );
    });
    return given;
}
const imageRefPattern =
    /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const buildTagPattern = /^[A-Za-z0-9_.]+$/;
const goVariablePattern = /^[\w./-]+\.[A-Za-z_]\w*$/;
// Characters that the build stage's shell (sh or cmd) or the Dockerfile would interpret inside -ldflags "...".
const unsafeFlagCharacters = /["`$%\r\n\\]/;

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
    const noWindowsStage: Partial<Record<BuildStrategy, string>> = {
        cross: "the `cross` strategy cannot RUN commands in the Windows stage (a Linux BuildKit cannot execute Windows programs)",
        daemonless:
            "the `daemonless` strategy has no Windows stage to RUN commands in (it writes the image's one layer itself)",
    };
    const refusal = noWindowsStage[strategy];
    if (refusal && runtimeSetup.length > 0)
        fail(
            "runtimeSetup",
            runtimeSetup.join("; "),
            refusal,
            'Use `strategy: "native"` on a Windows Docker engine, or drop `runtimeSetup`.',
        );
    for (const [i, command] of runtimeSetup.entries()) {
        if (typeof command !== "string" || command.trim() === "" || /[\r\n]/.test(command)) {
            fail(`runtimeSetup[${i}]`, command, "each command must be one non-empty line");
        }
    }
}

/** Fails unless `ref` is an image reference; `undefined` passes. */
function checkImageRef(argument: string, ref: unknown): void {
    if (ref !== undefined && !(typeof ref === "string" && imageRefPattern.test(ref))) {
        fail(
            argument,
            ref,
            "it must be an image reference such as `registry.example.com/golang:1.23` or `name@sha256:<digest>`",
        );
    }
}

/** Image references and the builder selection. */
function checkBuilder(args: GoWindowsImageArgs, strategy: BuildStrategy): void {
    checkImageRef("builderImageRef", args.builderImageRef);
    if (args.builderImageRef !== undefined && strategy === "daemonless")
        fail(
            "builderImageRef",
            args.builderImageRef,
            "the `daemonless` strategy compiles with the Go on the machine that runs Pulumi, in no builder image",
            'Drop `builderImageRef`, or use `strategy: "cross"`.',
        );
    checkImageRef("baseImageRef", args.baseImageRef);
    if (args.builderName !== undefined && strategy !== "cross") {
        fail("builderName", args.builderName, "it selects a BuildKit builder, which only the `cross` strategy uses");
    }
    if (args.builderName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(args.builderName)) {
        fail("builderName", args.builderName, "builder names are letters, digits and `_.-`");
    }
}

/**
 * The releases of an image index (`windowsVersions`), oldest first, with the base each is built on; undefined for
 * one image (`windowsVersion`). Exactly one of the two is given; an index needs the `cross` strategy, whose build
 * stage runs on Linux for every release alike.
 */
function resolveIndexReleases(
    args: GoWindowsImageArgs,
    strategy: BuildStrategy,
): { release: WindowsRelease; baseImageRef?: string }[] | undefined {
    const bases = args.baseImageRefs;
    if (bases !== undefined && (typeof bases !== "object" || bases === null || Array.isArray(bases)))
        fail("baseImageRefs", bases, 'it must map releases to image references, e.g. `{ ltsc2022: "..." }`');
    if (args.windowsVersions === undefined) {
        if (bases !== undefined)
            fail(
                "baseImageRefs",
                Object.keys(bases),
                "it gives the base of each release of `windowsVersions`, which is not given",
                "Use `baseImageRef` for the one release of `windowsVersion`.",
            );
        return undefined;
    }
    const { releases, given } = checkImageReleases(args.windowsVersion, args.windowsVersions);
    if (strategy === "native") {
        fail(
            "windowsVersions",
            given,
            "only the `cross` and `daemonless` strategies build several releases from one Go compile (a Windows engine's classic builder builds for its own release)",
            'Use `strategy: "cross"` or `"daemonless"`, or one GoWindowsImage per release.',
        );
    }
    if (args.baseImageRef !== undefined) {
        fail(
            "baseImageRef",
            args.baseImageRef,
            "one base cannot serve several releases",
            'Give each release\'s base in `baseImageRefs`, e.g. `{ ltsc2022: "mirror.example.com/windows/nanoserver:ltsc2022" }`.',
        );
    }
    for (const [name, ref] of Object.entries(bases ?? {})) {
        if (!given.includes(name))
            fail(
                "baseImageRefs",
                Object.keys(bases!),
                `"${name}" is not a release of \`windowsVersions\` (${given.join(", ")})`,
            );
        checkImageRef(`baseImageRefs.${name}`, ref);
    }
    return [...releases].reverse().map((release) => ({ release, baseImageRef: bases?.[release.name] }));
}

/** The values of the Dockerfile's build arguments; a cross (or daemonless) build also stamps its files with a fixed time. */
function buildArgsFor(args: GoWindowsImageArgs, strategy: BuildStrategy): Record<string, string> {
    const values: Record<(typeof dockerfileBuildArgs)[number], string> = {
        VERSION: args.version ?? "dev",
        REVISION: args.revision ?? "unknown",
        SOURCE: args.source ?? "unknown",
    };
    return strategy === "native" ? values : { ...values, SOURCE_DATE_EPOCH: sourceDateEpoch };
}

/** Validates every argument and resolves defaults; throws ArgumentError naming the first bad argument. */
export function resolveImageArgs(args: GoWindowsImageArgs, componentName: string): ResolvedImageArgs {
    if (args === undefined || args === null) {
        throw new ArgumentError("args", "GoWindowsImage needs arguments: at least `context` and one registry.");
    }
    const strategy = oneOf("strategy", args.strategy, strategies, "cross");
    const indexReleases = resolveIndexReleases(args, strategy);
    const windowsVersion = indexReleases
        ? indexReleases[indexReleases.length - 1].release.name
        : oneOf("windowsVersion", args.windowsVersion, windowsVersionNames, defaultWindowsVersion);
    const baseImage = oneOf("baseImage", args.baseImage, baseImageFlavours, defaultBaseImage);
    const source = resolveSource(args, strategy);
    checkGoFlags(args);
    checkRuntimeStage(args, strategy);
    checkBuilder(args, strategy);
    const healthCheck = resolveHealthCheck(args.healthCheck);
    const registry = resolveRegistry(args, componentName);
    if (registry.kind === "ecr")
        checkKeepTaggedImages(registry.keepTaggedImages, {
            releases: indexReleases?.length ?? 1,
            index: indexReleases !== undefined,
            cache: args.registryCache ?? false,
        });

    const spec: DockerfileSpec = {
        strategy,
        goVersion: source.goVersion,
        windows: findWindowsRelease(windowsVersion)!,
        baseImage,
        packagePath: source.packagePath,
        binaryName: source.binaryName,
        buildTags: args.buildTags ?? [],
        ldflags: args.ldflags ?? [],
        versionVariable: args.versionVariable ?? "main.version",
        env: args.env ?? {},
        ports: args.ports ?? [],
        args: args.args ?? [],
        healthCheck,
        runtimeSetup: args.runtimeSetup ?? [],
        builderImageRef: args.builderImageRef,
        baseImageRef: indexReleases ? indexReleases[indexReleases.length - 1].baseImageRef : args.baseImageRef,
        source: {
            moduleDir: source.moduleRelative,
            moduleFiles: [],
            vendored: source.vendored,
            goEnv: source.goEnv,
            cgo: source.cgo,
            netrc:
                source.moduleAuth !== undefined &&
                (source.moduleAuth.netrc !== undefined || source.moduleAuth.gitToken !== undefined),
            sshAgent: source.moduleAuth?.sshAgent ?? false,
        },
    };
    return {
        context: args.context,
        contextDir: source.contextDir,
        source,
        spec,
        releaseSpecs: indexReleases?.map(({ release, baseImageRef }) => ({ ...spec, windows: release, baseImageRef })),
        layout: {
            contextDir: source.contextDir,
            moduleDir: source.moduleDir,
            packageDir: source.packageDir,
            target: {
                goos: "windows",
                goarch: "amd64",
                cgo: source.cgo,
                goVersion: source.goVersion,
                tags: spec.buildTags,
            },
        },
        buildArgs: buildArgsFor(args, strategy),
        registry,
        builderName: args.builderName,
        buildOnPreview: args.buildOnPreview ?? false,
        trackBaseImages: args.trackBaseImages ?? true,
        baseImageRegistries: resolveBaseImageRegistries(args.baseImageRegistries),
        registryCache: args.registryCache ?? false,
        localGo:
            strategy === "daemonless"
                ? { minimum: readGoMod(source.moduleDir).go, release: args.goVersion }
                : undefined,
    };
}
