// GoWindowsImage for several Windows releases: one Go compile, one image per release, and an image index of them.
//
// One Dockerfile per release, not one Dockerfile with a runtime stage per release picked by `target`: a release's
// Dockerfile, and so its tag and every input its docker-build image compares, then depends on that release alone
// (its base's digest). Adding ltsc2025, or a patched ltsc2019 base, leaves the ltsc2022 image as it is, and each
// release's Dockerfile is exactly the one `windowsVersion` alone renders. A shared Dockerfile would change with any
// release and rebuild and push every one of them. The build stage is the same text in every file, FROM the same
// pinned builder, with the same staged context and build arguments, so its BuildKit cache keys are the same: Go
// compiles once on a builder, and the other releases find the step cached.
import * as pulumi from "@pulumi/pulumi";
import { runningWithMocks, unknownOutput, unreportedOutput } from "../core";
import { repositoryPathOf } from "../registries/declared";
import { DeclaredRegistry, ImageIndex, ImageIndexEntry, readIndexEntry } from "../registries";
import type { RegistryCredentials } from "../registries/distribution";
import { ImageLogins, PinnedRefs, pinImageRef, pinnedRefs, windowsOsVersionOf } from "./baseImages";
import { RenderedImage, declareCrossBuild, pushedImageRef } from "./build";
import { hashReleaseTags, tagForHash } from "./contextHash";
import { DockerfileSpec, imageRefs } from "./dockerfile";
import { renderStaged, stageBuildInputs } from "./render";
import { ResolvedImageArgs } from "./resolve";

/** One release's image in an index, as GoWindowsImage outputs it (`releases`). */
export interface GoWindowsImageRelease {
    /** The release's image pinned by digest, `repository@sha256:...`: what a host of that release pulls from the index. */
    readonly imageRef: string;
    /** The release image's content tag. */
    readonly tag: string;
    /** SHA-256 of the module files, this release's Dockerfile, build arguments and base and builder references. */
    readonly contextHash: string;
    /** The release's Dockerfile; its build stage is the same as every other release's. */
    readonly dockerfile: string;
    /** The Windows build the image needs on its host, e.g. `10.0.20348`. */
    readonly windowsBuild: string;
    /** The release's base image reference, pinned to its digest unless `trackBaseImages` is off. */
    readonly baseImage: string;
    /** The digest of the release's base image; undefined when it is used by tag. */
    readonly baseImageDigest?: string;
    /** The full Windows build of the release's base (`os.version`, e.g. `10.0.20348.2849`); undefined if unread. */
    readonly windowsOsVersion?: string;
}

/** One release of the index: what it is built from and the pushed image. */
export interface ReleaseImage {
    readonly spec: DockerfileSpec;
    readonly rendered: RenderedImage;
    /** `<repository>@sha256:...`; unknown in a preview that does not build. */
    readonly imageRef: pulumi.Output<string>;
    readonly windowsOsVersion: pulumi.Output<string | undefined>;
    /** The image's index entry when its build reports it (`daemonless`); otherwise it is read from the registry. */
    readonly entry?: pulumi.Output<ImageIndexEntry>;
}

/**
 * Every release's Dockerfile and tag, from one staged copy of the build inputs and one pinned builder; each release
 * pins its own base. `resolved.releaseSpecs` must be set (`windowsVersions`).
 */
export function renderReleases(
    name: string,
    resolved: ResolvedImageArgs,
    logins: ImageLogins,
): { spec: DockerfileSpec; rendered: RenderedImage }[] {
    const staged = stageBuildInputs(name, resolved);
    const track = resolved.trackBaseImages;
    const builder = pinImageRef(imageRefs(resolved.spec).builder, "builderImageRef", track, logins);
    return (resolved.releaseSpecs ?? []).map((spec) => {
        const base = pinImageRef(imageRefs(spec).base, `baseImageRefs.${spec.windows.name}`, track, logins);
        const refs: pulumi.Output<PinnedRefs> = pinnedRefs(builder, base);
        return { spec, rendered: renderStaged(staged, spec, refs, resolved) };
    });
}

/**
 * A docker-build image per release, named `<name>-<release>-image` so that adding or removing a release leaves the
 * others' names, and so their resources, as they are. Each is pushed under its own content tag.
 */
export function declareReleaseImages(
    name: string,
    resolved: ResolvedImageArgs,
    rendered: { spec: DockerfileSpec; rendered: RenderedImage }[],
    registry: DeclaredRegistry,
    logins: ImageLogins,
    parent: pulumi.Resource,
): ReleaseImage[] {
    return rendered.map(({ spec, rendered: image }) => {
        const taggedName = pulumi.interpolate`${registry.repositoryUrl}:${image.tag}`;
        const release = `${name}-${spec.windows.name}`;
        const { digest } = declareCrossBuild({
            name: release,
            resolved,
            rendered: image,
            taggedName,
            registry,
            parent,
        });
        return {
            spec,
            rendered: image,
            imageRef: pushedImageRef(registry.repositoryUrl, digest),
            windowsOsVersion: windowsOsVersionOf(image.refs.base, logins, parent),
        };
    });
}

/** The index's content hash and tag: from the releases' tags, so the same images give the same index tag. */
export function releaseIndexTag(releases: readonly ReleaseImage[]): {
    contextHash: pulumi.Output<string>;
    tag: pulumi.Output<string>;
} {
    const tags = pulumi.all(Object.fromEntries(releases.map((r) => [r.spec.windows.name, r.rendered.tag])));
    const contextHash = tags.apply(hashReleaseTags);
    // A content tag (`ctx-`): registries that keep other tags immutable let it be written again (see ecr.ts).
    return { contextHash, tag: contextHash.apply(tagForHash) };
}

/**
 * A release's index entry, read from the registry at `ref` (`<registry>/<repository>@<digest>`) once its image is
 * pushed: the manifest's media type and size, the configuration's os.version and os.features. A preview that
 * cannot read it (the image is not pushed yet) gets undefined; an update fails naming the release.
 */
export async function readReleaseEntry(
    component: string,
    release: string,
    ref: string,
    login: RegistryCredentials | undefined,
    preview: boolean,
): Promise<ImageIndexEntry | undefined> {
    const at = ref.lastIndexOf("@");
    const slash = ref.indexOf("/");
    try {
        return await readIndexEntry(ref.slice(0, slash), ref.slice(slash + 1, at), ref.slice(at + 1), login);
    } catch (e) {
        if (preview) return undefined;
        throw new Error(`${component}: reading the ${release} image ${ref}: ${(e as Error).message}`);
    }
}

/** A release's entry as an output: unknown in a preview until its image can be read; not read under Pulumi's mocks. */
function releaseEntry(
    release: ReleaseImage,
    credentials: pulumi.Output<RegistryCredentials | undefined>,
    component: string,
): pulumi.Output<ImageIndexEntry> {
    if (runningWithMocks()) return unreportedOutput();
    const preview = pulumi.runtime.isDryRun();
    const read = pulumi
        .all([release.imageRef, credentials])
        .apply(([ref, login]) => readReleaseEntry(component, release.spec.windows.name, ref, login, preview));
    // What the registry says of an image is no secret, though the credentials that read it are.
    return pulumi.unsecret(read.apply((entry) => (entry ? pulumi.output(entry) : unknownOutput<ImageIndexEntry>())));
}

/**
 * The image index of the releases, `<name>-index`, in the image's repository under the index tag, written with
 * the push credentials (kept secret). Kept in the registry on destroy, as the images are.
 */
export function declareReleaseIndex(
    name: string,
    registry: DeclaredRegistry,
    releases: readonly ReleaseImage[],
    tag: pulumi.Output<string>,
    parent: pulumi.Resource,
): ImageIndex {
    const push = registry.credentials;
    const credentials = push
        ? pulumi.all([push.username, push.password]).apply(([username, password]) => ({ username, password }))
        : pulumi.output(undefined);
    const describe = `GoWindowsImage "${name}"`;
    return new ImageIndex(
        `${name}-index`,
        {
            registry: registry.server,
            repository: repositoryPathOf(registry.repositoryUrl),
            tag,
            entries: releases.map((release) => release.entry ?? releaseEntry(release, credentials, describe)),
            username: push?.username,
            password: push?.password,
        },
        { parent },
    );
}

/** The `releases` output: each release's image, by release name. */
export function releaseOutputs(
    releases: readonly ReleaseImage[],
): pulumi.Output<{ [windowsVersion: string]: GoWindowsImageRelease }> {
    const each = releases.map((r) =>
        pulumi
            .all([
                r.imageRef,
                r.rendered.tag,
                r.rendered.contextHash,
                r.rendered.dockerfile,
                r.rendered.refs,
                r.windowsOsVersion,
            ])
            .apply(([imageRef, tag, contextHash, dockerfile, refs, windowsOsVersion]): GoWindowsImageRelease => ({
                imageRef,
                tag,
                contextHash,
                dockerfile,
                windowsBuild: r.spec.windows.build,
                baseImage: refs.base,
                baseImageDigest: refs.baseDigest,
                windowsOsVersion,
            })),
    );
    return pulumi
        .all(each)
        .apply((values) => Object.fromEntries(values.map((value, i) => [releases[i].spec.windows.name, value])));
}
