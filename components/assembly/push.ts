// Pushes an image made of a base and one more layer: the base's blobs copied (or mounted) into the target repository
// when it lacks them, the layer and the configuration uploaded when it lacks them, then the manifest under its tag.
import { RegistryClient, windowsPlatformOf } from "../registries/distribution";
import { imageConfiguration, RuntimeSettings } from "./imageConfig";
import { BaseManifest, Descriptor, distributableLayers, imageManifest, parseManifest } from "./imageManifest";
import { sha256Digest } from "./windowsLayer";

/** The new layer: its gzip, the gzip's digest and the uncompressed tar's (the diff id). */
export interface LayerBlob {
    readonly blob: Buffer;
    readonly digest: string;
    readonly diffId: string;
}

/** Where the base is: a client for its registry (with the credentials that reach it), its repository and reference. */
export interface BaseLocation {
    readonly client: RegistryClient;
    readonly repository: string;
    /** A digest (`sha256:...`) or a tag. */
    readonly reference: string;
}

/** One image to push. */
export interface PushRequest {
    readonly target: RegistryClient;
    readonly repository: string;
    readonly tag: string;
    readonly base: BaseLocation;
    readonly layer: LayerBlob;
    readonly runtime: RuntimeSettings;
    /** The history entry's `created_by`. */
    readonly createdBy: string;
}

/** A pushed image, as an image index entry describes it. */
export interface PushedImage {
    readonly tag: string;
    readonly digest: string;
    readonly mediaType: string;
    readonly size: number;
    /** The base's (and so the image's) full Windows build, e.g. `10.0.20348.2849`. */
    readonly osVersion?: string;
    readonly osFeatures?: string[];
    /** The digest of the base's image manifest (the windows/amd64 entry of its index). */
    readonly baseManifest: string;
}

/** What putting a blob into the repository took: nothing, a mount, or an upload. */
export type BlobTransfer = "present" | "mounted" | "uploaded";

/**
 * Puts one of the base's blobs into the target repository unless it holds it already (HEAD first): mounted from the
 * base's repository when both are in one registry and it allows mounting (201), else streamed from the base's
 * registry into an upload session (the one a refused mount opened, 202, or a new one).
 */
async function copyBaseBlob(
    target: RegistryClient,
    repository: string,
    base: BaseLocation,
    blob: Descriptor,
): Promise<BlobTransfer> {
    if (await target.hasBlob(repository, blob.digest)) return "present";
    let session: string | undefined;
    if (base.client.registry === target.registry && base.repository !== repository) {
        const mount = await target.mountBlob(repository, blob.digest, base.repository);
        if ("mounted" in mount) return "mounted";
        session = mount.session;
    }
    const open = async () => {
        const response = await base.client.openBlob(base.repository, blob.digest);
        if (!response.body) throw new Error(`${base.client.registry}/${base.repository}@${blob.digest} has no body`);
        return response.body;
    };
    await target.uploadBlobStream(repository, blob.digest, blob.size, open, session);
    return "uploaded";
}

/** The base's windows/amd64 image: its manifest and configuration. */
async function readBase(base: BaseLocation): Promise<{ manifest: BaseManifest; digest: string; config: Buffer }> {
    const platform = await windowsPlatformOf(base.client, {
        registry: base.client.registry,
        repository: base.repository,
        ...(base.reference.startsWith("sha256:") ? { digest: base.reference } : { tag: base.reference }),
    });
    const fetched = await base.client.getManifest(base.repository, platform.manifestDigest);
    const manifest = parseManifest(fetched.body, fetched.mediaType);
    const config = await base.client.getBlob(base.repository, manifest.config.digest);
    return { manifest, digest: platform.manifestDigest, config };
}

/**
 * Writes the image: the base's layers into the target repository where it lacks them (mounted within one registry,
 * else copied from the base's registry), the new layer and the configuration where it lacks them, then the manifest
 * (the base's family of media types) under `tag`. What the repository holds already is not sent again.
 */
export async function pushWindowsImage(request: PushRequest): Promise<PushedImage> {
    const { target, repository, base, layer } = request;
    const read = await readBase(base);
    const configBody = imageConfiguration(read.config, layer.diffId, request.runtime, request.createdBy);
    const config = { digest: sha256Digest(configBody), size: configBody.length };
    const manifest = imageManifest(read.manifest, config, { digest: layer.digest, size: layer.blob.length });
    const copies = distributableLayers(read.manifest).map((blob) => copyBaseBlob(target, repository, base, blob));
    await Promise.all([
        ...copies,
        // Each asks whether the repository holds the blob first (HEAD), and uploads it only when it does not.
        target.uploadBlob(repository, layer.digest, layer.blob),
        target.uploadBlob(repository, config.digest, configBody),
    ]);
    const digest = await target.putManifest(repository, request.tag, manifest.body, manifest.mediaType);
    const expected = sha256Digest(manifest.body);
    if (digest !== expected)
        throw new Error(`${target.registry} stored ${repository}:${request.tag} as ${digest}, not ${expected}.`);
    const parsed = JSON.parse(read.config.toString("utf8")) as { "os.version"?: string; "os.features"?: string[] };
    return {
        tag: request.tag,
        digest,
        mediaType: manifest.mediaType,
        size: manifest.body.length,
        osVersion: parsed["os.version"],
        ...(parsed["os.features"] ? { osFeatures: parsed["os.features"] } : {}),
        baseManifest: read.digest,
    };
}
