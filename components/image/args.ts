// The arguments of GoWindowsImage, defined once: the component takes them, the resolver checks them.
import { ImageRegistryArgs } from "../registries";

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
export interface GoWindowsImageArgs extends ImageRegistryArgs {
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
     * Look up the base and builder images' tags on every run (previews too) and pin the Dockerfile's FROM lines to the
     * digests found: when Microsoft publishes the monthly update under the same tag, the next `pulumi up` rebuilds and
     * rolls out, and nothing else does. Off: the tags are used as they are. A reference given with a digest
     * (`name:tag@sha256:…`) is always used as given.
     * @default true
     */
    readonly trackBaseImages?: boolean;
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
}
