// Base and builder images pinned to digests: looked up on every run (previews too), so a patched base rebuilds.
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import {
    RegistryClient,
    RegistryCredentials,
    parseImageReference,
    windowsPlatformOf,
} from "../registries/distribution";
import type { PushCredentials } from "../registries";

/** The references the Dockerfile builds FROM, and the base's digest when one is known. */
export interface PinnedRefs {
    readonly builder: string;
    readonly base: string;
    /** The base's digest: looked up, or as given; undefined when the base is used by tag. */
    readonly baseDigest?: string;
}

const digestPattern = /^sha256:[a-f0-9]{64}$/;

/** The digest part of a reference, if it has one. */
export function digestOf(ref: string): string | undefined {
    const at = ref.indexOf("@");
    return at < 0 ? undefined : ref.slice(at + 1);
}

/** `name:tag` pinned to a digest the registry reported, refusing anything that is not a SHA-256 digest. */
export function pinTo(ref: string, digest: string, argument: string): string {
    if (!digestPattern.test(digest)) {
        throw new Error(
            `The registry reported ${JSON.stringify(digest)} as the digest of ${ref} (\`${argument}\`); expected sha256:<64 hex digits>.`,
        );
    }
    return `${ref}@${digest}`;
}

/**
 * Each reference that names no digest is looked up with @pulumi/docker's registry image data source (it runs in
 * previews too, so a preview shows a new digest) and pinned to the digest found. A reference given with a digest is
 * used as given; with `track` off, references are used as they are.
 */
export function pinImageRefs(
    refs: { readonly builder: string; readonly base: string },
    track: boolean,
    parent: pulumi.Resource,
): pulumi.Output<PinnedRefs> {
    return pinnedRefs(
        pinImageRef(refs.builder, "builderImageRef", track, parent),
        pinImageRef(refs.base, "baseImageRef", track, parent),
    );
}

/** One reference pinned as `pinImageRefs` pins them; `argument` is what the user sets to change it. */
export function pinImageRef(
    ref: string,
    argument: string,
    track: boolean,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    if (!track || digestOf(ref) !== undefined) return pulumi.output(ref);
    return docker
        .getRegistryImageOutput({ name: ref }, { parent })
        .sha256Digest.apply((digest) => pinTo(ref, digest, argument));
}

/** The builder and base references together, with the base's digest. */
export function pinnedRefs(builder: pulumi.Output<string>, base: pulumi.Output<string>): pulumi.Output<PinnedRefs> {
    return pulumi.all([builder, base]).apply(([b, r]) => ({ builder: b, base: r, baseDigest: digestOf(r) }));
}

/** The base's full Windows build as an output (see `baseOsVersion`); a failed read is a warning on `resource`. */
export function windowsOsVersionOf(
    base: pulumi.Output<string>,
    credentials: PushCredentials | undefined,
    resource: pulumi.Resource,
): pulumi.Output<string | undefined> {
    return pulumi
        .all([base, credentials ?? pulumi.output(undefined)])
        .apply(([pinned, login]) => baseOsVersion(pinned, login, (message) => void pulumi.log.warn(message, resource)));
}

/**
 * The base image's full Windows build (`os.version`, e.g. `10.0.20348.2849`), read from the registry: the
 * windows/amd64 entry of its index, or its configuration. Credentials are used when the base is in the registry
 * they are for (a mirror in the push registry); elsewhere the read is anonymous. Undefined, with a warning, when the
 * registry does not answer: it is information, and the build does not depend on it.
 */
export async function baseOsVersion(
    pinnedBase: string,
    credentials: { address: string; username: string; password: string } | undefined,
    warn: (message: string) => void,
): Promise<string | undefined> {
    const ref = parseImageReference(pinnedBase);
    const sameRegistry = credentials && credentials.address === ref.registry;
    const login: RegistryCredentials | undefined = sameRegistry ? credentials : undefined;
    try {
        return (await windowsPlatformOf(new RegistryClient(ref.registry, login), ref)).osVersion;
    } catch (e) {
        warn(`Could not read the Windows build of ${pinnedBase}: ${(e as Error).message}`);
        return undefined;
    }
}
