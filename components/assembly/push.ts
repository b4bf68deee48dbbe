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

/** The upload session URL a `Location` header names, as a path below `/v2/<repository>/`. */
function sessionPath(client: RegistryClient, repository: string, location: string): string {
    const url = new URL(location, `http://${client.registry}`);
    const prefix = `/v2/${repository}/`;
    if (!url.pathname.startsWith(prefix))
        throw new Error(`${client.registry} answered an upload location outside ${repository}: ${location}`);
    return `${url.pathname.slice(prefix.length)}${url.search}`;
}

/** Appends `digest=` to an upload session path. */
const withDigest = (session: string, digest: string) =>
    `${session}${session.includes("?") ? "&" : "?"}digest=${encodeURIComponent(digest)}`;

/** Whether the repository holds the blob (HEAD). */
async function hasBlob(client: RegistryClient, repository: string, digest: string): Promise<boolean> {
    const head = await client.request(repository, `blobs/${digest}`, { method: "HEAD" });
    if (head.ok) return true;
    if (head.status === 404) return false;
    throw new Error(`${client.registry}/${repository}@${digest}: looking up the blob failed (HTTP ${head.status})`);
}

/**
 * Uploads a blob in one piece through an upload session: the whole blob in one PATCH, then the closing PUT with its
 * digest (ECR answers the PATCH with 201 rather than 202; both are accepted). `session` is an open session's path.
 */
async function finishUpload(
    client: RegistryClient,
    repository: string,
    session: string,
    digest: string,
    data: Buffer,
): Promise<void> {
    const where = `${client.registry}/${repository}@${digest}`;
    const patch = await client.request(repository, session, {
        method: "PATCH",
        headers: { "Content-Type": "application/octet-stream" },
        body: data,
        push: true,
    });
    const next = patch.headers.get("location");
    if ((patch.status !== 202 && patch.status !== 201 && patch.status !== 204) || !next)
        throw new Error(`${where}: sending the blob failed (HTTP ${patch.status}) ${await patch.text()}`);
    const put = await client.request(repository, withDigest(sessionPath(client, repository, next), digest), {
        method: "PUT",
        push: true,
    });
    if (put.status !== 201 && put.status !== 204)
        throw new Error(`${where}: closing the upload failed (HTTP ${put.status}) ${await put.text()}`);
}

/**
 * Puts a blob into `repository` unless it holds it already: mounted from `mountFrom` (a repository of the same
 * registry) when the registry allows it (201), else uploaded from `data()`.
 */
async function ensureBlob(
    client: RegistryClient,
    repository: string,
    digest: string,
    data: () => Promise<Buffer>,
    mountFrom?: string,
): Promise<"present" | "mounted" | "uploaded"> {
    if (await hasBlob(client, repository, digest)) return "present";
    const query = mountFrom ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}` : "";
    const start = await client.request(repository, `blobs/uploads/${query}`, { method: "POST", push: true });
    // 201: mounted. 202: an upload session, also when the registry would not mount (ECR without BLOB_MOUNTING).
    if (start.status === 201 && mountFrom) return "mounted";
    const location = start.headers.get("location");
    if (start.status !== 202 || !location)
        throw new Error(
            `${client.registry}/${repository}@${digest}: opening an upload failed (HTTP ${start.status}) ${await start.text()}`,
        );
    const bytes = await data();
    if (sha256Digest(bytes) !== digest)
        throw new Error(`${client.registry}/${repository}@${digest}: the bytes to upload have another digest`);
    await finishUpload(client, repository, sessionPath(client, repository, location), digest, bytes);
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
    const sameRegistry = base.client.registry === target.registry;
    const copies = distributableLayers(read.manifest).map((descriptor: Descriptor) =>
        ensureBlob(
            target,
            repository,
            descriptor.digest,
            () => base.client.getBlob(base.repository, descriptor.digest),
            sameRegistry && base.repository !== repository ? base.repository : undefined,
        ),
    );
    await Promise.all([
        ...copies,
        ensureBlob(target, repository, layer.digest, async () => layer.blob),
        ensureBlob(target, repository, config.digest, async () => configBody),
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
