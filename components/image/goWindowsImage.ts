// GoWindowsImage: builds a Go module into a Windows container image, pushes it, and outputs a digest-pinned reference.
import * as pulumi from "@pulumi/pulumi";
import { resolveArgsFor } from "../core";
import { DeclaredRegistry, declareRegistry } from "../registries";
import { GoWindowsImageArgs } from "./args";
import { declareCrossBuild, declareNativeBuild, pushedImageRef } from "./build";
import { imageLogins, windowsOsVersionOf } from "./baseImages";
import { declareDaemonlessImages } from "./daemonless";
import { binaryPath } from "./dockerfile";
import {
    GoWindowsImageRelease,
    ReleaseImage,
    declareReleaseImages,
    declareReleaseIndex,
    releaseIndexTag,
    releaseOutputs,
    renderReleases,
} from "./releases";
import { renderImage } from "./render";
import { ResolvedImageArgs, resolveImageArgs } from "./resolve";

/** The outputs that differ between one image and an index of several releases. */
interface DeclaredImage {
    readonly registry: DeclaredRegistry;
    readonly imageRef: pulumi.Output<string>;
    readonly tag: pulumi.Output<string>;
    readonly contextHash: pulumi.Output<string>;
    readonly dockerfile: pulumi.Output<string>;
    readonly windowsVersion: string;
    readonly windowsBuild: string;
    readonly baseImage: pulumi.Output<string>;
    readonly baseImageDigest: pulumi.Output<string | undefined>;
    readonly windowsOsVersion: pulumi.Output<string | undefined>;
    readonly releases: pulumi.Output<{ [windowsVersion: string]: GoWindowsImageRelease } | undefined>;
}

/**
 * A Go service built into a Windows container image and pushed to a registry.
 *
 * The image tag is a hash of exactly what decides the image, so unchanged sources never rebuild, and
 * `imageRef` pins the pushed digest so that hosts roll whenever the image changes. With `windowsVersions` it builds
 * one image per release from one Go compile and publishes an image index of them: `imageRef`, `tag` and
 * `contextHash` are then the index's, `releases` describes each release's image, and the outputs that describe one
 * image (`dockerfile`, `windowsVersion`, `windowsBuild`, `baseImage`, `baseImageDigest`, `windowsOsVersion`) describe
 * the newest release, the index's first entry.
 */
export class GoWindowsImage extends pulumi.ComponentResource {
    /**
     * The pushed image, pinned by digest: `repository@sha256:...`; with `windowsVersions`, the image index. Give this
     * to hosts.
     */
    public readonly imageRef: pulumi.Output<string>;
    /** The repository, without tag or digest. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The registry host the image is pushed to, e.g. `contosoapps.azurecr.io`: hosts pull from it. */
    public readonly registryServer: pulumi.Output<string>;
    /** The tag pushed, derived from `contextHash`; with `windowsVersions`, the index's tag. */
    public readonly tag: pulumi.Output<string>;
    /**
     * SHA-256 of the module files, Dockerfile, build arguments and base and builder references; with
     * `windowsVersions`, of the releases' tags.
     */
    public readonly contextHash: pulumi.Output<string>;
    /** The generated Dockerfile. */
    public readonly dockerfile: pulumi.Output<string>;
    /**
     * The Windows release of the image, e.g. `ltsc2022`; with `windowsVersions`, the newest. A plain value, known
     * while the program runs: a host's `windowsVersion` takes it as it is.
     */
    public readonly windowsVersion: string;
    /**
     * With `windowsVersions`: the releases the image index holds, oldest first, a plain value a host's
     * `windowsVersions` takes as it is; undefined for one image (give hosts `windowsVersion`).
     */
    public readonly windowsVersions: string[] | undefined;
    /** The Windows build the image needs on its host, e.g. `10.0.20348`; a plain value. */
    public readonly windowsBuild: string;
    /** The runtime base image reference, pinned to its digest unless `trackBaseImages` is off. */
    public readonly baseImage: pulumi.Output<string>;
    /** The digest of the runtime base image the build uses; undefined when it is used by tag. */
    public readonly baseImageDigest: pulumi.Output<string | undefined>;
    /**
     * The full Windows build of the base image, its `os.version` (e.g. `10.0.20348.2849`): the patch level the image
     * runs. Undefined when the base's registry does not answer.
     */
    public readonly windowsOsVersion: pulumi.Output<string | undefined>;
    /**
     * With `windowsVersions`: each release's image (its reference by digest, tag, Dockerfile, base and Windows build),
     * by release name; undefined otherwise.
     */
    public readonly releases: pulumi.Output<{ [windowsVersion: string]: GoWindowsImageRelease } | undefined>;
    /** The Azure Container Registry's resource id when `acr` is used (hosts grant AcrPull on it); undefined otherwise. */
    public readonly acrRegistryId: pulumi.Output<string | undefined>;
    /**
     * The image's health check as a container command, `["CMD", "C:\\app\\<binary>.exe", ...args]`, for hosts that
     * ignore the image's HEALTHCHECK (ECS); undefined when no health check is configured.
     */
    public readonly healthCheckCommand: pulumi.Output<string[] | undefined>;
    /**
     * What `pulumi destroy` leaves behind (pushed images, and the registry unless `forceDelete`) and the command that
     * removes it; undefined when nothing is kept.
     */
    public readonly retainedOnDestroy: pulumi.Output<string | undefined>;

    constructor(name: string, args: GoWindowsImageArgs, opts?: pulumi.ComponentResourceOptions) {
        // The arguments are not recorded as the component's inputs: they may hold a plain-text registry password.
        super("go-windows-containers:index:GoWindowsImage", name, {}, opts);
        const resolved = resolveArgsFor("GoWindowsImage", name, this, () => resolveImageArgs(args, name));
        const declared =
            resolved.spec.strategy === "daemonless"
                ? this.declareDaemonless(name, resolved)
                : resolved.releaseSpecs
                  ? this.declareReleases(name, resolved)
                  : this.declareImage(name, resolved);
        const registry = declared.registry;

        this.imageRef = declared.imageRef;
        this.repositoryUrl = registry.repositoryUrl;
        this.registryServer = registry.server;
        this.acrRegistryId = registry.acrRegistryId ?? pulumi.output(undefined);
        this.tag = declared.tag;
        this.contextHash = declared.contextHash;
        this.dockerfile = declared.dockerfile;
        this.windowsVersion = declared.windowsVersion;
        this.windowsVersions = resolved.releaseSpecs?.map((release) => release.windows.name);
        this.windowsBuild = declared.windowsBuild;
        this.baseImage = declared.baseImage;
        this.baseImageDigest = declared.baseImageDigest;
        this.windowsOsVersion = declared.windowsOsVersion;
        this.releases = declared.releases;
        const health = resolved.spec.healthCheck;
        this.healthCheckCommand = pulumi.output(
            health ? ["CMD", binaryPath(resolved.spec), ...health.args] : undefined,
        );
        this.retainedOnDestroy = registry.retainedOnDestroy ?? pulumi.output(undefined);
        this.retainedOnDestroy.apply((kept) => kept && pulumi.log.info(kept, this));
        this.registerOutputs({
            imageRef: this.imageRef,
            repositoryUrl: this.repositoryUrl,
            registryServer: this.registryServer,
            tag: this.tag,
            contextHash: this.contextHash,
            dockerfile: this.dockerfile,
            windowsVersion: this.windowsVersion,
            windowsVersions: this.windowsVersions,
            windowsBuild: this.windowsBuild,
            baseImage: this.baseImage,
            baseImageDigest: this.baseImageDigest,
            windowsOsVersion: this.windowsOsVersion,
            releases: this.releases,
            healthCheckCommand: this.healthCheckCommand,
            acrRegistryId: this.acrRegistryId,
            retainedOnDestroy: this.retainedOnDestroy,
        });
    }

    /** One image of `windowsVersion`: built and pushed under its content tag, referenced by digest. */
    private declareImage(name: string, resolved: ResolvedImageArgs): DeclaredImage {
        const registry = declareRegistry(name, resolved.registry, this, resolved.buildOnPreview);
        const logins = imageLogins(resolved.baseImageRegistries, resolved.registry, registry);
        const rendered = renderImage(name, resolved, logins);
        const taggedName = pulumi.interpolate`${registry.repositoryUrl}:${rendered.tag}`;
        const declare = resolved.spec.strategy === "cross" ? declareCrossBuild : declareNativeBuild;
        const digest = declare({ name, resolved, rendered, taggedName, registry, parent: this }).digest;
        return oneImage(registry, {
            spec: resolved.spec,
            rendered,
            imageRef: pushedImageRef(registry.repositoryUrl, digest),
            windowsOsVersion: windowsOsVersionOf(rendered.refs.base, logins, this),
        });
    }

    /**
     * An image per release of `windowsVersions` from one Go compile, and an image index of them: `imageRef`, `tag`
     * and `contextHash` are the index's; the outputs that describe one image describe the newest release.
     */
    private declareReleases(name: string, resolved: ResolvedImageArgs): DeclaredImage {
        const registry = declareRegistry(name, resolved.registry, this, resolved.buildOnPreview);
        const logins = imageLogins(resolved.baseImageRegistries, resolved.registry, registry);
        const rendered = renderReleases(name, resolved, logins);
        const releases = declareReleaseImages(name, resolved, rendered, registry, logins, this);
        return this.indexedImages(name, registry, releases);
    }

    /**
     * `daemonless`: Go compiled on this machine, and every release's image written by one resource with the
     * registry API; several releases get an image index, as with `cross`.
     */
    private declareDaemonless(name: string, resolved: ResolvedImageArgs): DeclaredImage {
        const registry = declareRegistry(name, resolved.registry, this, resolved.buildOnPreview);
        const logins = imageLogins(resolved.baseImageRegistries, resolved.registry, registry);
        const releases = declareDaemonlessImages(name, resolved, registry, logins, this);
        return resolved.releaseSpecs ? this.indexedImages(name, registry, releases) : oneImage(registry, releases[0]);
    }

    /** The image index of the releases' images, and the outputs that describe the newest release. */
    private indexedImages(name: string, registry: DeclaredRegistry, releases: ReleaseImage[]): DeclaredImage {
        const { tag, contextHash } = releaseIndexTag(releases);
        const index = declareReleaseIndex(name, registry, releases, tag, this);
        const newest = releases[releases.length - 1];
        return {
            ...oneImage(registry, newest),
            imageRef: index.ref,
            tag,
            contextHash,
            releases: releaseOutputs(releases),
        };
    }
}

/** The outputs of one image: a release's, pushed to `registry`. */
function oneImage(registry: DeclaredRegistry, image: ReleaseImage): DeclaredImage {
    return {
        registry,
        imageRef: image.imageRef,
        tag: image.rendered.tag,
        contextHash: image.rendered.contextHash,
        dockerfile: image.rendered.dockerfile,
        windowsVersion: image.spec.windows.name,
        windowsBuild: image.spec.windows.build,
        baseImage: image.rendered.refs.base,
        baseImageDigest: image.rendered.refs.apply((refs) => refs.baseDigest),
        windowsOsVersion: image.windowsOsVersion,
        releases: pulumi.output(undefined),
    };
}
