// GoWindowsImage's `daemonless` strategy: no Docker. Go compiles on the machine that runs Pulumi, and one
// DaemonlessWindowsImage resource writes an image per release (the base plus a layer with the executable) with the
// registry API. What it writes is what a `cross` build of the same Dockerfile makes: the Dockerfile output says so.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { runningWithMocks, unknownOutput, unreportedOutput } from "../core";
import { repositoryPathOf } from "../registries/declared";
import { DeclaredRegistry, ImageIndexEntry } from "../registries";
import { parseImageReference } from "../registries/distribution";
import { ImageLogins, PinnedRefs, loginFor, pinImageRef, pinnedRefs, windowsOsVersionOf } from "./baseImages";
import { pushedImageRef } from "./build";
import { DaemonlessWindowsImage } from "./daemonlessImage";
import { DockerfileSpec, goBuildEnv, goBuildFlags, imageRefs, runtimeSettings } from "./dockerfile";
import { checkLocalGo, compileWithLocalGo, localGoVersion } from "./localGo";
import { ReleaseImage } from "./releases";
import { renderStaged, stageBuildInputs } from "./render";
import { ResolvedImageArgs } from "./resolve";
import { hashStagedContents } from "./stagedContext";

/**
 * This machine's Go release (`go1.23.5`), checked against what the module needs before anything is declared: a
 * missing or older Go fails the preview already, naming what to install.
 */
export function checkedLocalGo(resolved: ResolvedImageArgs, parent: pulumi.Resource): string {
    try {
        const version = localGoVersion();
        checkLocalGo(version, resolved.localGo ?? {});
        return version;
    } catch (e) {
        throw new pulumi.ResourceError((e as Error).message, parent);
    }
}

/** The releases a daemonless GoWindowsImage writes (one for `windowsVersion`), each with its Dockerfile and tag. */
function renderDaemonless(name: string, resolved: ResolvedImageArgs, goVersion: string, logins: ImageLogins) {
    const staged = stageBuildInputs(name, resolved);
    const specs = resolved.releaseSpecs ?? [resolved.spec];
    const rendered = specs.map((given) => {
        // The Dockerfile names the Go release that compiles (the builder image a `cross` build of it would use): the
        // executable, and so the tag, depend on it.
        const spec: DockerfileSpec = { ...given, goVersion: goVersion.replace(/^go/, "") };
        const refs = imageRefs(spec);
        const argument = resolved.releaseSpecs ? `baseImageRefs.${spec.windows.name}` : "baseImageRef";
        const base = pinImageRef(refs.base, argument, resolved.trackBaseImages, logins);
        const pinned: pulumi.Output<PinnedRefs> = pinnedRefs(pulumi.output(refs.builder), base);
        return { spec, rendered: renderStaged(staged, spec, pinned, resolved) };
    });
    return { staged, rendered };
}

/**
 * The credentials the provider reads each base with where it is not in the push registry: those given in
 * `baseImageRegistries` for its registry (kept secret). The push registry's own are the provider's push credentials.
 */
function baseLoginsOf(resolved: ResolvedImageArgs, logins: ImageLogins) {
    const bases = [...new Set((resolved.releaseSpecs ?? [resolved.spec]).map((spec) => imageRefs(spec).base))];
    const hosts = [...new Set(bases.map((base) => parseImageReference(base).registry))];
    const given = hosts.filter((host) => logins.given.some((registry) => registry.address === host));
    return pulumi
        .all(given.map((host) => loginFor(host, logins)))
        .apply((credentials) =>
            Object.fromEntries(given.flatMap((host, i) => (credentials[i] ? [[host, credentials[i]!]] : []))),
        );
}

/**
 * The index entry of a pushed release, from what the resource reports; unknown until it has pushed, and undefined
 * under Pulumi's mocks, which push nothing.
 */
function entryOf(image: DaemonlessWindowsImage, release: string): pulumi.Output<ImageIndexEntry> {
    if (runningWithMocks()) return unreportedOutput();
    return image.pushed.apply((pushed) => {
        const one = pushed?.[release];
        if (!one) return unknownOutput<ImageIndexEntry>();
        return pulumi.output({
            digest: one.digest,
            mediaType: one.mediaType,
            size: one.size,
            os: "windows",
            architecture: "amd64",
            osVersion: one.osVersion ?? "",
            ...(one.osFeatures ? { osFeatures: one.osFeatures } : {}),
        });
    });
}

/**
 * Declares the DaemonlessWindowsImage that compiles once and writes every release's image (`<name>-image`), and
 * returns each release as the index and the outputs take it, oldest first.
 */
export function declareDaemonlessImages(
    name: string,
    resolved: ResolvedImageArgs,
    registry: DeclaredRegistry,
    logins: ImageLogins,
    parent: pulumi.Resource,
): ReleaseImage[] {
    const goVersion = checkedLocalGo(resolved, parent);
    const { staged, rendered } = renderDaemonless(name, resolved, goVersion, logins);
    const spec = resolved.spec;
    const source = spec.source!;
    const push = registry.credentials;
    const goFlags = goBuildFlags(spec, resolved.buildArgs.VERSION);
    // buildOnPreview: a preview compiles too (and pushes nothing), so that it fails where the update would.
    const compiled: pulumi.Output<boolean> =
        pulumi.runtime.isDryRun() && resolved.buildOnPreview
            ? pulumi.output(
                  compileWithLocalGo({
                      moduleDir: path.join(staged.stagedContext, source.moduleDir),
                      packagePath: spec.packagePath,
                      binaryName: spec.binaryName,
                      flags: goFlags,
                      env: goBuildEnv(source),
                  }).then(() => true),
              )
            : pulumi.output(true);
    const image = new DaemonlessWindowsImage(
        `${name}-image`,
        {
            registry: registry.server,
            repository: repositoryPathOf(registry.repositoryUrl),
            source: {
                context: staged.stagedContext,
                module: source.moduleDir,
                package: spec.packagePath,
                contentHash: hashStagedContents(staged.contents),
            },
            binaryName: spec.binaryName,
            goVersion,
            goFlags,
            goEnv: goBuildEnv(source),
            runtime: runtimeSettings(spec, resolved.buildArgs),
            images: rendered.map((r) =>
                pulumi
                    .all([r.rendered.tag, r.rendered.refs, compiled])
                    .apply(([tag, refs]) => ({ windowsVersion: r.spec.windows.name, tag, base: refs.base })),
            ),
            username: push?.username,
            password: push?.password,
            baseLogins: baseLoginsOf(resolved, logins),
        },
        { parent, dependsOn: registry.dependencies },
    );
    return rendered.map(({ spec: release, rendered: r }) => {
        const digest = image.pushed.apply((pushed) => pushed?.[release.windows.name]?.digest ?? "");
        return {
            spec: release,
            rendered: r,
            imageRef: pushedImageRef(registry.repositoryUrl, digest),
            // Read with the push credentials, which are secret; the build number read is not.
            windowsOsVersion: windowsOsVersionOf(r.refs.base, logins, parent),
            entry: entryOf(image, release.windows.name),
        };
    });
}
