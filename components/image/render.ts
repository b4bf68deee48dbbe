// What an image is built from: the staged Go build inputs, a Dockerfile FROM pinned references, and the content tag.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RenderedImage, windowsPlatform } from "./build";
import { moduleFilesOf, readGoBuildInputs } from "./buildInputs";
import { hashContents, tagForHash } from "./contextHash";
import { ImageLogins, PinnedRefs, pinImageRefs } from "./baseImages";
import { DockerfileSpec, imageRefs, renderDockerfile } from "./dockerfile";
import { ResolvedImageArgs } from "./resolve";
import { stageContext, stagingDir } from "./stagedContext";

/** The Go build's inputs, read once and staged: every release of an image builds from the same copy. */
export interface StagedBuildInputs {
    /** The files the Go build reads, relative path → content. */
    readonly contents: ReadonlyMap<string, Buffer>;
    /** The staged context, relative to the project. */
    readonly stagedContext: string;
    /** The resolved source with the module files found in the contents. */
    readonly source: DockerfileSpec["source"];
}

/**
 * Stages exactly the files the Go build reads: the build provider hashes its context, file modes included, so it
 * sees only those, with fixed modes.
 */
export function stageBuildInputs(name: string, resolved: ResolvedImageArgs): StagedBuildInputs {
    const contents = readGoBuildInputs(resolved.layout);
    const stagedContext = stagingDir(name, `${resolved.context}\n${resolved.spec.packagePath}`);
    stageContext(contents, path.resolve(stagedContext));
    const source = resolved.spec.source && { ...resolved.spec.source, moduleFiles: moduleFilesOf(contents.keys()) };
    return { contents, stagedContext, source };
}

/** Renders `spec`'s Dockerfile FROM the pinned references and hashes it, with the staged files, into the tag. */
export function renderStaged(
    staged: StagedBuildInputs,
    spec: DockerfileSpec,
    refs: pulumi.Output<PinnedRefs>,
    resolved: ResolvedImageArgs,
): RenderedImage {
    const full = { ...spec, source: staged.source };
    const rendered = refs.apply((pinned) => {
        const dockerfile = renderDockerfile(full, pinned);
        const contextHash = hashContents(staged.contents, {
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
        stagedContext: staged.stagedContext,
        dockerfile: rendered.dockerfile,
        contextHash: rendered.contextHash,
        tag: rendered.tag,
    };
}

/** One image: staged inputs, the builder and base pinned to digests, the Dockerfile FROM them, and its tag. */
export function renderImage(name: string, resolved: ResolvedImageArgs, logins: ImageLogins): RenderedImage {
    const staged = stageBuildInputs(name, resolved);
    const refs = pinImageRefs(imageRefs(resolved.spec), resolved.trackBaseImages, logins);
    return renderStaged(staged, resolved.spec, refs, resolved);
}
