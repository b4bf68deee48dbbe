// GoWindowsImage: builds a Go module into a Windows container image, pushes it, and outputs a digest-pinned reference.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { resolveArgsFor } from "../core";
import { DeclaredRegistry, declareRegistry } from "../registries";
import { GoWindowsImageArgs } from "./args";
import { RenderedImage, declareCrossBuild, declareNativeBuild, imageReference, windowsPlatform } from "./build";
import { moduleFilesOf, readGoBuildInputs } from "./buildInputs";
import { hashContents, tagForHash } from "./contextHash";
import { baseOsVersion, pinImageRefs } from "./baseImages";
import { binaryPath, imageRefs, renderDockerfile } from "./dockerfile";
import { ResolvedImageArgs, resolveImageArgs } from "./resolve";
import { stageContext, stagingDir } from "./stagedContext";

/**
 * Stages exactly the files the Go build reads (the build provider hashes its context, file modes included, so it
 * sees only those, with fixed modes), pins the builder and base images to digests, renders the Dockerfile FROM them,
 * and hashes it all into the tag.
 */
function renderImage(name: string, resolved: ResolvedImageArgs, parent: pulumi.Resource): RenderedImage {
    const contents = readGoBuildInputs(resolved.layout);
    const stagedContext = stagingDir(name, `${resolved.context}\n${resolved.spec.packagePath}`);
    stageContext(contents, path.resolve(stagedContext));
    const refs = pinImageRefs(imageRefs(resolved.spec), resolved.trackBaseImages, parent);
    const source = resolved.spec.source && { ...resolved.spec.source, moduleFiles: moduleFilesOf(contents.keys()) };
    const spec = { ...resolved.spec, source };
    const rendered = refs.apply((pinned) => {
        const dockerfile = renderDockerfile(spec, pinned);
        const contextHash = hashContents(contents, {
            dockerfile,
            buildArgs: resolved.buildArgs,
            builderImageRef: pinned.builder,
            baseImageRef: pinned.base,
            platform: windowsPlatform,
        });
        return { dockerfile, contextHash, tag: tagForHash(contextHash) };
    });
    return {
        refs,
        stagedContext,
        dockerfile: rendered.dockerfile,
        contextHash: rendered.contextHash,
        tag: rendered.tag,
    };
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
    /** The registry host the image is pushed to, e.g. `contosoapps.azurecr.io`: hosts pull from it. */
    public readonly registryServer: pulumi.Output<string>;
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
    /** The runtime base image reference, pinned to its digest unless `trackBaseImages` is off. */
    public readonly baseImage: pulumi.Output<string>;
    /** The digest of the runtime base image the build uses; undefined when it is used by tag. */
    public readonly baseImageDigest: pulumi.Output<string | undefined>;
    /**
     * The full Windows build of the base image, its `os.version` (e.g. `10.0.20348.2849`): the patch level the image
     * runs. Undefined when the base's registry does not answer.
     */
    public readonly windowsOsVersion: pulumi.Output<string | undefined>;
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
        const rendered = renderImage(name, resolved, this);
        const registry = declareRegistry(name, resolved.registry, this, resolved.buildOnPreview);
        const digest = this.declareBuild(name, resolved, rendered, registry);

        const preview = pulumi.runtime.isDryRun();
        this.imageRef = pulumi
            .all([registry.repositoryUrl, digest])
            .apply(([url, d]) => imageReference(url, d, preview));
        this.repositoryUrl = registry.repositoryUrl;
        this.registryServer = registry.server;
        this.acrRegistryId = registry.acrRegistryId ?? pulumi.output(undefined);
        this.tag = rendered.tag;
        this.contextHash = rendered.contextHash;
        this.dockerfile = rendered.dockerfile;
        this.windowsVersion = pulumi.output(resolved.spec.windows.name);
        this.windowsBuild = pulumi.output(resolved.spec.windows.build);
        this.baseImage = rendered.refs.base;
        this.baseImageDigest = rendered.refs.apply((refs) => refs.baseDigest);
        this.windowsOsVersion = pulumi
            .all([rendered.refs.base, registry.credentials ?? pulumi.output(undefined)])
            .apply(([base, credentials]) =>
                baseOsVersion(base, credentials, (message) => void pulumi.log.warn(message, this)),
            );
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
            windowsBuild: this.windowsBuild,
            baseImage: this.baseImage,
            baseImageDigest: this.baseImageDigest,
            windowsOsVersion: this.windowsOsVersion,
            healthCheckCommand: this.healthCheckCommand,
            acrRegistryId: this.acrRegistryId,
            retainedOnDestroy: this.retainedOnDestroy,
        });
    }

    /** Builds and pushes `<repository>:<tag>`; returns the digest the build tool reports. */
    private declareBuild(
        name: string,
        resolved: ResolvedImageArgs,
        rendered: RenderedImage,
        registry: DeclaredRegistry,
    ): pulumi.Output<string> {
        const taggedName = pulumi.interpolate`${registry.repositoryUrl}:${rendered.tag}`;
        const declare = resolved.spec.strategy === "cross" ? declareCrossBuild : declareNativeBuild;
        return declare({ name, resolved, rendered, taggedName, registry, parent: this }).digest;
    }
}
