// The build-and-push step of GoWindowsImage: docker-build for `cross`, the classic builder for `native`.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as dockerbuild from "@pulumi/docker-build";
import { cacheTag, runningWithMocks, unknownOutput, unreportedOutput } from "../core";
import { DeclaredRegistry } from "../registries";
import { PinnedRefs } from "./baseImages";
import { ResolvedImageArgs } from "./resolve";
import { ResolvedModuleAuth } from "./resolveSource";

/** The platform every image of this project targets. */
export const windowsPlatform = "windows/amd64";

/** What a build step hands back: the digest the build tool reports for the pushed image. */
export interface DeclaredBuild {
    readonly digest: pulumi.Output<string>;
}

/**
 * The image reference once the build tool reports its digest. A preview that does not build reports an empty digest
 * (docker-build does so for an update whose inputs did not change): the reference is then unknown, as it is until
 * the update builds. During an update a missing digest is an error. Under Pulumi's mocks (`mocks` true) nothing is built:
 * the reference is made of the repository and digest the mocks report, and is undefined without them.
 */
export function imageReference(
    repositoryUrl: string,
    digest: string,
    preview: boolean,
    mocks = false,
): pulumi.Output<string> {
    if (mocks && (repositoryUrl === undefined || !digest)) return unreportedOutput();
    if (preview && !digest) return unknownOutput();
    return pulumi.output(pinnedReference(repositoryUrl, digest));
}

/** The pushed image, `repository@sha256:...`, once the build reports its digest (see `imageReference`). */
export function pushedImageRef(
    repositoryUrl: pulumi.Output<string>,
    digest: pulumi.Output<string>,
): pulumi.Output<string> {
    const preview = pulumi.runtime.isDryRun();
    const mocks = runningWithMocks();
    return pulumi.all([repositoryUrl, digest]).apply(([url, d]) => imageReference(url, d, preview, mocks));
}

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

/** The Dockerfile, the staged build context and the content-addressed tag a resolved image builds with. */
export interface RenderedImage {
    /** The builder and base references, pinned to digests unless tracking is off. */
    readonly refs: pulumi.Output<PinnedRefs>;
    /** The staged context, relative to the project: exactly the files the Go build reads. */
    readonly stagedContext: string;
    readonly dockerfile: pulumi.Output<string>;
    readonly contextHash: pulumi.Output<string>;
    readonly tag: pulumi.Output<string>;
}

/** What a build step needs: the image's name and settings, its Dockerfile, and where to push it. */
export interface BuildRequest {
    readonly name: string;
    readonly resolved: ResolvedImageArgs;
    /** The Dockerfile and the staged context. */
    readonly rendered: RenderedImage;
    /** `<repository>:<tag>`. */
    readonly taggedName: pulumi.Output<string>;
    readonly registry: DeclaredRegistry;
    readonly parent: pulumi.Resource;
}

/** Options every build resource shares: pushed images stay when it is deleted or replaced (a service may use them). */
function buildOptions(request: BuildRequest): pulumi.CustomResourceOptions {
    return { parent: request.parent, retainOnDelete: true, dependsOn: request.registry.dependencies };
}

/** The `.netrc` the module steps mount as a BuildKit secret: the one given, and a line for the git token. */
function netrcSecret(auth: ResolvedModuleAuth): pulumi.Output<string> {
    return pulumi.secret(
        pulumi.all([auth.netrc, auth.gitToken]).apply(([netrc, token]) =>
            [netrc?.trimEnd(), token && `machine ${auth.gitHost} login x-access-token password ${token}`]
                .filter((part) => part)
                .join("\n")
                .concat("\n"),
        ),
    );
}

/** Secrets and the SSH agent for private modules; the secret's rotation alone does not rebuild. */
function moduleAuthInputs(auth: ResolvedModuleAuth | undefined): Partial<dockerbuild.ImageArgs> {
    if (!auth) return {};
    const netrc = auth.netrc !== undefined || auth.gitToken !== undefined;
    return {
        ...(netrc ? { secrets: { netrc: netrcSecret(auth) }, ignoreSecretsInDiffCalculation: ["netrc"] } : {}),
        ...(auth.sshAgent ? { ssh: [{ id: "default" }] } : {}),
    };
}

/** A BuildKit cache in the image's repository, every step of it, in the form ECR accepts. */
function registryCacheInputs(enabled: boolean, repositoryUrl: pulumi.Output<string>): Partial<dockerbuild.ImageArgs> {
    if (!enabled) return {};
    const ref = pulumi.interpolate`${repositoryUrl}:${cacheTag}`;
    return {
        cacheFrom: [{ registry: { ref } }],
        cacheTo: [
            {
                registry: {
                    ref,
                    mode: dockerbuild.CacheMode.Max,
                    imageManifest: true,
                    ociMediaTypes: true,
                    // A cache that cannot be written must not fail the build.
                    ignoreError: true,
                },
            },
        ],
    };
}

/** The logins BuildKit uses: the push registry's, and those given for the registries images are pulled from. */
function buildRegistries(
    registry: DeclaredRegistry,
    resolved: ResolvedImageArgs,
): dockerbuild.types.input.RegistryArgs[] | undefined {
    const pulls = resolved.baseImageRegistries.map((r) => ({
        address: r.address,
        username: r.username,
        password: pulumi.secret(r.password),
    }));
    const all = [...(registry.credentials ? [registry.credentials] : []), ...pulls];
    return all.length > 0 ? all : undefined;
}

/** `cross`: BuildKit through docker-build, Go compiled on the build platform, no RUN in the Windows stage. */
export function declareCrossBuild(request: BuildRequest): DeclaredBuild {
    const { name, resolved, rendered, taggedName, registry } = request;
    const image = new dockerbuild.Image(
        `${name}-image`,
        {
            context: { location: rendered.stagedContext },
            dockerfile: { inline: rendered.dockerfile },
            platforms: [dockerbuild.Platform.Windows_amd64],
            buildArgs: { ...resolved.buildArgs },
            tags: [taggedName],
            // Pushed by the registry export, whose layers get SOURCE_DATE_EPOCH as their file times (BuildKit 0.13
            // and later; older ones ignore the option): the same inputs then give the same digest.
            push: false,
            exports: [{ raw: "type=registry,rewrite-timestamp=true" }],
            buildOnPreview: resolved.buildOnPreview,
            builder: resolved.builderName ? { name: resolved.builderName } : undefined,
            registries: buildRegistries(registry, resolved),
            ...moduleAuthInputs(resolved.source.moduleAuth),
            ...registryCacheInputs(resolved.registryCache, registry.repositoryUrl),
        },
        buildOptions(request),
    );
    return { digest: image.digest };
}

/** `native`: the classic builder on a Windows Docker engine, through @pulumi/docker's Image. */
export function declareNativeBuild(request: BuildRequest): DeclaredBuild {
    const { resolved, rendered, taggedName, name } = request;
    const credentials = request.registry.credentials;
    const image = new docker.Image(
        `${name}-image`,
        {
            imageName: taggedName,
            build: {
                context: rendered.stagedContext,
                dockerfile: rendered.dockerfile.apply((text) => writeNativeDockerfile(rendered.stagedContext, text)),
                platform: windowsPlatform,
                builderVersion: docker.BuilderVersion.BuilderV1,
                args: { ...resolved.buildArgs },
            },
            buildOnPreview: resolved.buildOnPreview,
            skipPush: false,
            registry: credentials && {
                server: credentials.address,
                username: credentials.username,
                password: credentials.password,
            },
        },
        buildOptions(request),
    );
    return { digest: image.repoDigest };
}

/**
 * The classic builder reads the Dockerfile from disk: it is written beside the staged context, at a path relative
 * to the project, so state stays the same on every machine.
 */
function writeNativeDockerfile(stagedContext: string, text: string): string {
    const file = path.posix.join(path.posix.dirname(stagedContext), "Dockerfile");
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
    return file;
}
