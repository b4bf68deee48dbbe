// The arguments of GoWindowsImage, defined once: the component takes them, the resolver checks them.
import * as pulumi from "@pulumi/pulumi";
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

/**
 * The Go environment of the build stage (never of the image): where modules come from and how. Each value is one
 * line. Credentials do not belong here: pass them in `moduleAuth`, which reaches the build as BuildKit secrets.
 */
export interface GoEnvArgs {
    /** Module proxies, e.g. `https://goproxy.corp.example.com,direct`. @default Go's (`https://proxy.golang.org,direct`) */
    readonly GOPROXY?: string;
    /** Module path patterns fetched directly and not checked against the checksum database, e.g. `corp.example.com/*`. @default none */
    readonly GOPRIVATE?: string;
    /** Module path patterns fetched directly, not through GOPROXY. @default GOPRIVATE */
    readonly GONOPROXY?: string;
    /** Module path patterns not checked against the checksum database. @default GOPRIVATE */
    readonly GONOSUMDB?: string;
    /** The checksum database, or `off`. @default Go's (`sum.golang.org`) */
    readonly GOSUMDB?: string;
    /** Module path patterns that may be fetched over plain HTTP. @default none */
    readonly GOINSECURE?: string;
    /** Extra flags for every go command, e.g. `-buildvcs=false`. Not `-mod=mod` with a vendored module. @default none */
    readonly GOFLAGS?: string;
}

/**
 * Credentials for private modules. They reach the module download and build steps as BuildKit secrets (a `.netrc`
 * mounted for the step, an SSH agent socket): never in a layer, a build argument, the image's history, or the
 * Pulumi state unencrypted. Give secrets (`config.requireSecret(...)`, `pulumi.secret(...)`), never plain strings.
 */
export interface GoModuleAuthArgs {
    /** The content of a `.netrc` file (machine, login, password lines) for module proxies and git over HTTPS. @default none */
    readonly netrc?: pulumi.Input<string>;
    /** A git access token for `gitHost`, turned into a `.netrc` entry (login `x-access-token`). @default none */
    readonly gitToken?: pulumi.Input<string>;
    /**
     * The host `gitToken` is for.
     * @default "github.com"
     */
    readonly gitHost?: string;
    /**
     * Forward the SSH agent of the machine that runs `pulumi up` (`SSH_AUTH_SOCK`) to the module steps, for git over SSH.
     * @default false
     */
    readonly sshAgent?: boolean;
}

/** Arguments of GoWindowsImage. Exactly one of `ecr`, `acr` and `registry` is required. */
export interface GoWindowsImageArgs extends ImageRegistryArgs {
    /**
     * The build context, relative to the Pulumi project: the Go module's folder, or a folder above it that also holds
     * what the module's `replace` directives or a go.work reach (a monorepo). Only the files the Go build reads are sent.
     */
    readonly context: string;
    /**
     * The Go module's folder (holding go.mod), relative to `context`.
     * @default "."
     */
    readonly module?: string;
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
     * Hosts must run the same release (or a newer one with Hyper-V isolation). Give this or `windowsVersions`, not both.
     * @default "ltsc2022" (when `windowsVersions` is not given either)
     */
    readonly windowsVersion?: string;
    /**
     * Build for several Windows Server releases (any of `ltsc2019`, `ltsc2022`, `ltsc2025`, each once) from one Go
     * compile, and publish an OCI image index of them: `imageRef` is then the index pinned by digest, and every host
     * pulls the image of its own release. `cross` and `daemonless` strategies only. Give this or `windowsVersion`, not
     * both.
     * @default none: one image of `windowsVersion`
     */
    readonly windowsVersions?: string[];
    /**
     * The runtime base image flavour: `nanoserver` (about 120 MB) or `servercore` (about 2.2 GB, has PowerShell).
     * @default "nanoserver"
     */
    readonly baseImage?: string;
    /**
     * How to build: `cross` compiles Go on Linux and assembles the Windows image with no RUN on Windows, so any
     * Linux or macOS BuildKit can build it; `native` builds everything on a Windows Docker engine with the classic
     * builder; `daemonless` needs no Docker: Go compiles on the machine that runs Pulumi and the component writes the
     * image with the registry API (no `cgo`, `runtimeSetup`, `moduleAuth`, `registryCache` or builder arguments).
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
     * With `windowsVersions`, give `baseImageRefs` instead.
     * @default `mcr.microsoft.com/windows/<baseImage>:<tag of windowsVersion>`
     */
    readonly baseImageRef?: string;
    /**
     * With `windowsVersions`: replaces the runtime base image reference of some releases (a mirror, a pull-through
     * cache), keyed by release, e.g. `{ ltsc2022: "mirror.example.com/windows/nanoserver:ltsc2022" }`. Each must be
     * of the release it is given for.
     * @default `mcr.microsoft.com/windows/<baseImage>:<tag of the release>` for every release
     */
    readonly baseImageRefs?: { [windowsVersion: string]: string };
    /**
     * Credentials for private registries the builder and base images come from (a mirror, an ECR pull-through cache,
     * another ACR): their digests are looked up with them (`trackBaseImages`), and `cross` builds pull with them. The
     * push registry's own credentials are used for images in it; no registry is ever sent another's credentials.
     * @default none: images outside the push registry are looked up anonymously
     */
    readonly baseImageRegistries?: BaseImageRegistryArgs[];
    /**
     * The Go environment of the build stage: module proxies, private module patterns, GOFLAGS.
     * @default Go's defaults
     */
    readonly goEnv?: GoEnvArgs;
    /**
     * Credentials for private modules, passed to the build as BuildKit secrets (`cross` only).
     * @default none
     */
    readonly moduleAuth?: GoModuleAuthArgs;
    /**
     * Compile with cgo: MinGW-w64 in the Linux build stage (installed there if the builder image lacks it), linked
     * statically, so the executable imports only DLLs the Windows base image ships. `cross` only.
     * @default false
     */
    readonly cgo?: boolean;
    /**
     * Export BuildKit's cache to the image's repository (tag `buildcache`, every step, OCI media types with an image
     * manifest as ECR needs) and import it, so a fresh CI runner reuses the module download and unchanged steps. Needs
     * a builder that can export caches (`docker-container`, `remote` or `kubernetes` driver). `cross` only.
     * @default false
     */
    readonly registryCache?: boolean;
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

/** Credentials for a registry that builder or base images are pulled from. */
export interface BaseImageRegistryArgs {
    /** The registry host with an optional port, without a scheme, exactly as the image references name it. */
    readonly address: string;
    /** The user name, e.g. `AWS` for ECR. */
    readonly username: pulumi.Input<string>;
    /** The password or token; kept as a secret. */
    readonly password: pulumi.Input<string>;
}
