// Base and builder images pinned to digests: looked up on every run (previews too) with the credentials for their
// registry, so a patched base rebuilds.
import * as pulumi from "@pulumi/pulumi";
import { runningWithMocks } from "../core";
import {
    RegistryClient,
    RegistryCredentials,
    parseImageReference,
    windowsPlatformOf,
} from "../registries/distribution";
import type { DeclaredRegistry, PushCredentials, ResolvedRegistry } from "../registries";
import type { BaseImageRegistryArgs } from "./args";

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
 * The credentials an image lookup may use: those given for base image registries, and the push registry's for
 * images in it. The push registry's address is known only once it exists (ECR, ACR), so `mayBePush` says from the
 * host alone whether an image can be in it; only then does a lookup wait for the push credentials.
 */
export interface ImageLogins {
    readonly given: readonly BaseImageRegistryArgs[];
    readonly push?: PushCredentials;
    readonly mayBePush: (host: string) => boolean;
    /** No credentials can be given for these lookups (a component without `baseImageRegistries`). */
    readonly anonymousOnly?: boolean;
}

const ecrHost = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
const acrHost = /^[a-z0-9]+\.azurecr\.(?:io|cn|us)$/;

/** The logins for the images of an image whose registry is `resolved` and declared as `declared`. */
export function imageLogins(
    given: readonly BaseImageRegistryArgs[],
    resolved: ResolvedRegistry,
    declared: DeclaredRegistry,
): ImageLogins {
    const mayBePush = (host: string) => {
        if (resolved.kind === "existing") return host === resolved.server;
        return (resolved.kind === "ecr" ? ecrHost : acrHost).test(host.toLowerCase());
    };
    return { given, push: declared.credentials, mayBePush };
}

/**
 * The credentials to send to `host`: those given for it, else the push registry's when `host` is the push registry,
 * else none. No registry ever receives another's credentials.
 */
export function loginFor(host: string, logins: ImageLogins): pulumi.Output<RegistryCredentials | undefined> {
    const given = logins.given.find((registry) => registry.address === host);
    if (given)
        return pulumi.all([given.username, given.password]).apply(([username, password]) => ({ username, password }));
    const push = logins.push;
    if (!push || !logins.mayBePush(host)) return pulumi.output(undefined);
    return pulumi
        .all([push.address, push.username, push.password])
        .apply(([address, username, password]) => (address === host ? { username, password } : undefined));
}

/**
 * The digest a reference's tag names now, as \`docker pull\` resolves it: a HEAD of its manifest (or index) with
 * the credentials for its registry. Fails naming `argument`, with the registry's answer.
 */
export async function lookupImageDigest(
    ref: string,
    login: RegistryCredentials | undefined,
    argument: string,
    anonymousOnly = false,
): Promise<string> {
    const image = parseImageReference(ref);
    const tag = image.tag ?? "latest";
    const hint = login
        ? ""
        : anonymousOnly
          ? ` If ${image.registry} is private or out of reach, give \`${argument}\` with a digest.`
          : ` If ${image.registry} is private, give its credentials in \`baseImageRegistries\`, or a digest in the reference.`;
    let head: Awaited<ReturnType<RegistryClient["headManifest"]>>;
    try {
        head = await new RegistryClient(image.registry, login).headManifest(image.repository, tag);
    } catch (e) {
        throw new Error(`Looking up the digest of ${ref} (\`${argument}\`) failed: ${(e as Error).message}.${hint}`);
    }
    if (!head) throw new Error(`${image.registry} has no image ${image.repository}:${tag} (\`${argument}\`).${hint}`);
    return head.digest;
}

/**
 * Each reference that names no digest is looked up in its registry on every run (previews too, so a preview shows a
 * new digest) and pinned to the digest found. A reference given with a digest is used as given; with `track` off,
 * and under Pulumi's mocks (a unit test reaches no registry), references are used as they are.
 */
export function pinImageRefs(
    refs: { readonly builder: string; readonly base: string },
    track: boolean,
    logins: ImageLogins,
): pulumi.Output<PinnedRefs> {
    return pinnedRefs(
        pinImageRef(refs.builder, "builderImageRef", track, logins),
        pinImageRef(refs.base, "baseImageRef", track, logins),
    );
}

/** One reference pinned as `pinImageRefs` pins them; `argument` is what the user sets to change it. */
export function pinImageRef(ref: string, argument: string, track: boolean, logins: ImageLogins): pulumi.Output<string> {
    if (!track || digestOf(ref) !== undefined || runningWithMocks()) return pulumi.output(ref);
    const login = loginFor(parseImageReference(ref).registry, logins);
    // A digest is no secret, though the credentials that looked it up are.
    return pulumi.unsecret(
        login.apply(async (credentials) =>
            pinTo(ref, await lookupImageDigest(ref, credentials, argument, logins.anonymousOnly), argument),
        ),
    );
}

/** The builder and base references together, with the base's digest. */
export function pinnedRefs(builder: pulumi.Output<string>, base: pulumi.Output<string>): pulumi.Output<PinnedRefs> {
    return pulumi.all([builder, base]).apply(([b, r]) => ({ builder: b, base: r, baseDigest: digestOf(r) }));
}

/**
 * The base's full Windows build as an output (see `baseOsVersion`), read with the credentials for the base's
 * registry; a plain output, since a build number is no secret. A failed read is a warning on `resource`; under
 * Pulumi's mocks nothing is read, and it is undefined.
 */
export function windowsOsVersionOf(
    base: pulumi.Output<string>,
    logins: ImageLogins,
    resource: pulumi.Resource,
): pulumi.Output<string | undefined> {
    if (runningWithMocks()) return pulumi.output(undefined);
    const read = base.apply((pinned) =>
        loginFor(parseImageReference(pinned).registry, logins).apply((login) =>
            baseOsVersion(pinned, login, (message) => void pulumi.log.warn(message, resource)),
        ),
    );
    return pulumi.unsecret(read);
}

/**
 * The base image's full Windows build (`os.version`, e.g. `10.0.20348.2849`), read from the registry with `login`:
 * the windows/amd64 entry of its index, or its configuration. Undefined, with a warning, when the registry does not
 * answer: it is information, and the build does not depend on it.
 */
export async function baseOsVersion(
    pinnedBase: string,
    login: RegistryCredentials | undefined,
    warn: (message: string) => void,
): Promise<string | undefined> {
    const ref = parseImageReference(pinnedBase);
    try {
        return (await windowsPlatformOf(new RegistryClient(ref.registry, login), ref)).osVersion;
    } catch (e) {
        warn(`Could not read the Windows build of ${pinnedBase}: ${(e as Error).message}`);
        return undefined;
    }
}
