// GoWindowsImage: builds a Go module into a Windows container image, pushes it, and outputs a digest-pinned reference.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as dockerbuild from "@pulumi/docker-build";
import { hashContext, tagForHash } from "./contextHash";
import { binaryPath, imageRefs, renderDockerfile } from "./dockerfile";
import {
    AcrRegistryArgs,
    DeclaredRegistry,
    EcrRepositoryArgs,
    ExistingRegistryArgs,
    declareAcrRegistry,
    declareEcrRepository,
    useExistingRegistry,
} from "./registries";
import { ResolvedImageArgs, resolveImageArgs } from "./validation";
import { resolveArgsFor } from "./resolveArgs";

/** The image's HEALTHCHECK: the binary is run with `args` and must exit 0 while the service is healthy. */
export interface GoWindowsImageHealthCheckArgs {
    /**
     * Declare the HEALTHCHECK. Turn it off only for a binary that cannot check itself; scanners flag images without one.
     * @default true
     */
    readonly enabled?: boolean;
    /**
     * Arguments passed to the service binary for the check.
     * @default ["healthcheck"]
     */
    readonly args?: string[];
    /**
     * Seconds between checks.
     * @default 30
     */
    readonly intervalSeconds?: number;
    /**
     * Seconds a check may take before it counts as failed.
     * @default 5
     */
    readonly timeoutSeconds?: number;
    /**
     * Seconds after start during which failures do not count.
     * @default 10
     */
    readonly startPeriodSeconds?: number;
    /**
     * Consecutive failures before the container is unhealthy.
     * @default 3
     */
    readonly retries?: number;
}

/** Arguments of GoWindowsImage. Exactly one of `ecr`, `acr` and `registry` is required. */
export interface GoWindowsImageArgs {
    /** Path of the Go module to build (the folder holding go.mod), relative to the Pulumi project. */
    readonly context: string;
    /**
     * The main package, relative to the module.
     * @default "."
     */
    readonly package?: string;
    /**
     * The Go release to compile with, e.g. `1.23` or `1.23.4`.
     * @default go.mod's `toolchain` line, else its `go` line
     */
    readonly goVersion?: string;
    /**
     * The Windows Server release of the runtime image: `ltsc2019`, `ltsc2022` or `ltsc2025`.
     * Hosts must run the same release (or a newer one with Hyper-V isolation).
     * @default "ltsc2022"
     */
    readonly windowsVersion?: string;
    /**
     * The runtime base image flavour: `nanoserver` (about 120 MB) or `servercore` (about 2.2 GB, has PowerShell).
     * @default "nanoserver"
     */
    readonly baseImage?: string;
    /**
     * How to build: `cross` compiles Go on Linux and assembles the Windows image with no RUN on Windows, so any
     * Linux or macOS BuildKit can build it; `native` builds everything on a Windows Docker engine with the classic builder.
     * @default "cross"
     */
    readonly strategy?: string;
    /**
     * Go build tags.
     * @default []
     */
    readonly buildTags?: string[];
    /**
     * Linker flags added after `-s -w`, e.g. `-X main.commit=abc123`.
     * @default []
     */
    readonly ldflags?: string[];
    /**
     * The Go variable that receives `version` through `-X`.
     * @default "main.version"
     */
    readonly versionVariable?: string;
    /**
     * The service version: passed to the linker and set as the `org.opencontainers.image.version` label.
     * @default "dev"
     */
    readonly version?: string;
    /**
     * The source revision, set as the `org.opencontainers.image.revision` label.
     * @default "unknown"
     */
    readonly revision?: string;
    /**
     * The source repository URL, set as the `org.opencontainers.image.source` label.
     * @default "unknown"
     */
    readonly source?: string;
    /**
     * Environment variables baked into the image. Not for secrets: pass those through the host. PATH cannot be set.
     * @default {}
     */
    readonly env?: { [key: string]: string };
    /**
     * TCP ports the service listens on (EXPOSE).
     * @default []
     */
    readonly ports?: number[];
    /**
     * Arguments passed to the service binary (CMD after the exec-form ENTRYPOINT).
     * @default []
     */
    readonly args?: string[];
    /**
     * A HEALTHCHECK that runs the binary itself (nanoserver has no PowerShell or curl): the binary must exit 0 when
     * run with these arguments while the service is healthy. On by default, as scanners require; pass
     * `{ enabled: false }` for a binary that has no such command.
     * @default `C:\\app\\<binary>.exe healthcheck` every 30 s
     */
    readonly healthCheck?: GoWindowsImageHealthCheckArgs;
    /**
     * Commands run in the Windows runtime stage. Only the `native` strategy can run them.
     * @default []
     */
    readonly runtimeSetup?: string[];
    /**
     * Replaces the Go builder image reference (a private mirror, a pull-through cache, an air-gapped registry).
     * @default `golang:<goVersion>` for cross, `golang:<goVersion>-windowsservercore-<windowsVersion>` for native
     */
    readonly builderImageRef?: string;
    /**
     * Replaces the Windows runtime base image reference; it must be the same Windows release as `windowsVersion`.
     * @default `mcr.microsoft.com/windows/<baseImage>:<tag of windowsVersion>`
     */
    readonly baseImageRef?: string;
    /**
     * The buildx builder for `cross` builds, e.g. one made with `docker buildx create --driver docker-container`.
     * Docker's default `docker` driver on Linux cannot export a Windows image, so most Linux machines need one.
     * @default the current builder
     */
    readonly builderName?: string;
    /**
     * Build during `pulumi preview` as well (previews never push).
     * @default false
     */
    readonly buildOnPreview?: boolean;
    /** Create an Amazon ECR repository and push there. */
    readonly ecr?: EcrRepositoryArgs;
    /** Create an Azure Container Registry and push there. */
    readonly acr?: AcrRegistryArgs;
    /** Push to a registry that already exists. */
    readonly registry?: ExistingRegistryArgs;
}

/** The platform every image of this project targets. */
const windowsPlatform = "windows/amd64";

/** Turns the build tool's digest into `repository@sha256:...`, refusing anything else. */
export function pinnedReference(repositoryUrl: string, digest: string): string {
    const match = /sha256:[a-f0-9]{64}$/.exec(digest ?? "");
    if (!match) {
        throw new Error(
            `The build of ${repositoryUrl} reported no image digest (got ${JSON.stringify(digest)}); ` +
                "refusing to output a tag or `<none>` as the image reference.",
        );
    }
    return `${repositoryUrl}@${match[0]}`;
}

/**
 * A Go service built into a Windows container image and pushed to a registry.
 *
 * The image tag is a hash of exactly what decides the image, so unchanged sources never rebuild, and
 * `imageRef` pins the pushed digest so that hosts roll whenever the image changes.
 */
export class GoWindowsImage extends pulumi.ComponentResource {
    /** The pushed image, pinned by digest: `repository@sha256:...`. Give this to hosts. */
    public readonly imageRef: pulumi.Output<string>;
    /** The repository, without tag or digest. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The tag pushed, derived from `contextHash`. */
    public readonly tag: pulumi.Output<string>;
    /** SHA-256 of the module files, Dockerfile, build arguments and base and builder references. */
    public readonly contextHash: pulumi.Output<string>;
    /** The generated Dockerfile. */
    public readonly dockerfile: pulumi.Output<string>;
    /** The Windows release of the image, e.g. `ltsc2022`. */
    public readonly windowsVersion: pulumi.Output<string>;
    /** The Windows build the image needs on its host, e.g. `10.0.20348`. */
    public readonly windowsBuild: pulumi.Output<string>;
    /** The runtime base image reference. */
    public readonly baseImage: pulumi.Output<string>;
    /** The Azure Container Registry's resource id when `acr` is used (hosts grant AcrPull on it); undefined otherwise. */
    public readonly acrRegistryId: pulumi.Output<string | undefined>;
    /**
     * The image's health check as a container command, `["CMD", "C:\\app\\<binary>.exe", ...args]`, for hosts that
     * ignore the image's HEALTHCHECK (ECS); undefined when no health check is configured.
     */
    public readonly healthCheckCommand: pulumi.Output<string[] | undefined>;

    constructor(name: string, args: GoWindowsImageArgs, opts?: pulumi.ComponentResourceOptions) {
        // The arguments are not recorded as the component's inputs: they may hold a plain-text registry password.
        super("go-windows-containers:index:GoWindowsImage", name, {}, opts);

        const resolved = resolveArgsFor("GoWindowsImage", name, this, () => resolveImageArgs(args, name));
        const dockerfileText = renderDockerfile(resolved.spec);
        const refs = imageRefs(resolved.spec);
        const contextHash = hashContext(resolved.contextDir, {
            dockerfile: dockerfileText,
            buildArgs: resolved.buildArgs,
            builderImageRef: refs.builder,
            baseImageRef: refs.base,
            platform: windowsPlatform,
        });
        const tag = tagForHash(contextHash);

        const registry = this.declareRegistry(name, resolved, args);
        const taggedName = pulumi.interpolate`${registry.repositoryUrl}:${tag}`;
        // Pushed images stay when this resource is deleted or replaced: a running service may still use them.
        const imageOpts: pulumi.CustomResourceOptions = {
            parent: this,
            retainOnDelete: true,
            dependsOn: registry.dependencies,
        };

        let digest: pulumi.Output<string>;
        if (resolved.spec.strategy === "cross") {
            const image = new dockerbuild.Image(
                `${name}-image`,
                {
                    context: { location: resolved.context },
                    dockerfile: { inline: dockerfileText },
                    platforms: [dockerbuild.Platform.Windows_amd64],
                    buildArgs: { ...resolved.buildArgs },
                    tags: [taggedName],
                    push: true,
                    buildOnPreview: args.buildOnPreview ?? false,
                    builder: args.builderName ? { name: args.builderName } : undefined,
                    registries: registry.credentials ? [registry.credentials] : undefined,
                },
                imageOpts,
            );
            digest = image.digest;
        } else {
            const image = new docker.Image(
                `${name}-image`,
                {
                    imageName: taggedName,
                    build: {
                        context: resolved.context,
                        dockerfile: writeNativeDockerfile(resolved, name, dockerfileText),
                        platform: windowsPlatform,
                        builderVersion: docker.BuilderVersion.BuilderV1,
                        args: { ...resolved.buildArgs },
                    },
                    buildOnPreview: args.buildOnPreview ?? false,
                    skipPush: false,
                    registry: registry.credentials
                        ? {
                              server: registry.credentials.address,
                              username: registry.credentials.username,
                              password: registry.credentials.password,
                          }
                        : undefined,
                },
                imageOpts,
            );
            digest = image.repoDigest;
        }

        this.repositoryUrl = registry.repositoryUrl;
        this.acrRegistryId = registry.acrRegistryId ?? pulumi.output(undefined);
        this.imageRef = pulumi.all([registry.repositoryUrl, digest]).apply(([url, d]) => pinnedReference(url, d));
        this.tag = pulumi.output(tag);
        this.contextHash = pulumi.output(contextHash);
        this.dockerfile = pulumi.output(dockerfileText);
        this.windowsVersion = pulumi.output(resolved.spec.windows.name);
        this.windowsBuild = pulumi.output(resolved.spec.windows.build);
        this.baseImage = pulumi.output(refs.base);
        const health = resolved.spec.healthCheck;
        this.healthCheckCommand = pulumi.output(
            health ? ["CMD", binaryPath(resolved.spec), ...health.args] : undefined,
        );
        this.registerOutputs({
            imageRef: this.imageRef,
            repositoryUrl: this.repositoryUrl,
            tag: this.tag,
            contextHash: this.contextHash,
            dockerfile: this.dockerfile,
            windowsVersion: this.windowsVersion,
            windowsBuild: this.windowsBuild,
            baseImage: this.baseImage,
            healthCheckCommand: this.healthCheckCommand,
            acrRegistryId: this.acrRegistryId,
        });
    }

    private declareRegistry(name: string, resolved: ResolvedImageArgs, args: GoWindowsImageArgs): DeclaredRegistry {
        switch (resolved.registryKind) {
            case "ecr":
                return declareEcrRepository(name, resolved.repositoryName, args.ecr!, this);
            case "acr":
                return declareAcrRegistry(name, resolved.repositoryName, args.acr!, this);
            case "registry":
                return useExistingRegistry(resolved.repositoryName, args.registry!);
        }
    }
}

/**
 * The classic builder reads the Dockerfile from disk. It is written inside the module (in `.go-windows/`, which
 * the hash and the .dockerignore leave out) at a path relative to the project, so state stays the same on every machine.
 */
function writeNativeDockerfile(resolved: ResolvedImageArgs, name: string, text: string): string {
    const dir = path.join(resolved.contextDir, ".go-windows");
    const file = path.join(dir, `${name}.Dockerfile`);
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
    return path.posix.join(resolved.context.split(path.sep).join("/"), ".go-windows", `${name}.Dockerfile`);
}
