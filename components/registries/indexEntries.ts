// An image index entry read from the registry for an image already pushed: what ImageIndex lists for it.
import { RegistryClient, RegistryCredentials, windowsPlatformOf } from "./distribution";
import { ImageIndexEntry } from "./indexManifest";

/**
 * The entry of the Windows image `<registry>/<repository>@<digest>`: its manifest's media type and size as the
 * registry holds them, and its configuration's `os.version` and `os.features` (which a build copies from its base).
 * A build tool that pushed an index instead (attestations on) gives its windows/amd64 manifest, read the same way.
 * Fails when the image has no `os.version`: an index entry without one would match every host.
 */
export async function readIndexEntry(
    registry: string,
    repository: string,
    digest: string,
    credentials?: RegistryCredentials,
): Promise<ImageIndexEntry> {
    const client = new RegistryClient(registry, credentials);
    let platform = await windowsPlatformOf(client, { registry, repository, digest });
    if (platform.manifestDigest !== digest)
        platform = await windowsPlatformOf(client, { registry, repository, digest: platform.manifestDigest });
    if (!platform.osVersion) {
        throw new Error(
            `${registry}/${repository}@${digest} has no os.version in its configuration: an index entry without one ` +
                "would match every Windows host. Build on a Windows base image (its configuration carries it).",
        );
    }
    return {
        digest: platform.manifestDigest,
        mediaType: platform.manifestMediaType,
        size: platform.manifestSize,
        os: "windows",
        architecture: platform.architecture,
        osVersion: platform.osVersion,
        ...(platform.osFeatures?.length ? { osFeatures: platform.osFeatures } : {}),
    };
}
