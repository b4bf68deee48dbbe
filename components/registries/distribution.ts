// A small client for the OCI distribution API (the registry HTTP API): read manifests and blobs, write manifests.
import * as crypto from "crypto";

/** An image reference taken apart: `registry/repository[:tag][@digest]`. */
export interface ImageReference {
    /** The registry host, with its port if any; Docker Hub is `registry-1.docker.io`. */
    readonly registry: string;
    readonly repository: string;
    readonly tag?: string;
    readonly digest?: string;
}

/** Basic credentials for a registry; without them the client asks for an anonymous token when challenged. */
export interface RegistryCredentials {
    readonly username: string;
    readonly password: string;
}

export const mediaTypes = {
    ociIndex: "application/vnd.oci.image.index.v1+json",
    ociManifest: "application/vnd.oci.image.manifest.v1+json",
    dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
    dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
} as const;

const anyManifest = Object.values(mediaTypes).join(", ");

/** Splits `host[:port]/path[:tag][@sha256:…]`; a first part without `.`, `:` or `localhost` is a Docker Hub path. */
export function parseImageReference(ref: string): ImageReference {
    const [nameAndTag, digest] = ref.split("@") as [string, string | undefined];
    const slash = nameAndTag.indexOf("/");
    const first = slash < 0 ? "" : nameAndTag.slice(0, slash);
    const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
    let registry = hasRegistry ? first : "registry-1.docker.io";
    let rest = hasRegistry ? nameAndTag.slice(slash + 1) : nameAndTag;
    if (registry === "docker.io" || registry === "index.docker.io") registry = "registry-1.docker.io";
    const colon = rest.lastIndexOf(":");
    const tag = colon > rest.lastIndexOf("/") && colon >= 0 ? rest.slice(colon + 1) : undefined;
    if (tag !== undefined) rest = rest.slice(0, colon);
    if (registry === "registry-1.docker.io" && !rest.includes("/")) rest = `library/${rest}`;
    return { registry, repository: rest, tag, digest };
}

/** Registries on this machine speak plain HTTP (a local registry, as in tests); every other one HTTPS. */
export function registryUrl(registry: string): string {
    const host = registry.replace(/:\d+$/, "");
    const local = host === "localhost" || host.startsWith("127.") || host === "[::1]";
    return `${local ? "http" : "https"}://${registry}`;
}

/** The SHA-256 digest of a manifest's bytes, as registries compute it. */
export function digestOf(body: Buffer | string): string {
    return `sha256:${crypto.createHash("sha256").update(body).digest("hex")}`;
}

/** A manifest as the registry holds it: its media type, its digest and its bytes. */
export interface FetchedManifest {
    readonly mediaType: string;
    readonly digest: string;
    readonly body: Buffer;
}

/** Parses a `WWW-Authenticate` header: the scheme and its `key="value"` parameters. */
function challengeOf(header: string): { scheme: string; params: Record<string, string> } {
    const scheme = header.split(" ")[0].toLowerCase();
    const params: Record<string, string> = {};
    for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) params[match[1]] = match[2];
    return { scheme, params };
}

/** One registry, with the credentials to use there (or none). Tokens are asked for per repository, on challenge. */
export class RegistryClient {
    private readonly tokens: Map<string, string>;

    constructor(
        readonly registry: string,
        private readonly credentials?: RegistryCredentials,
    ) {
        // Set here, not as a field initializer: Pulumi's closure serializer (ImageIndex's dynamic provider) turns
        // classes into functions and drops field initializers.
        this.tokens = new Map<string, string>();
    }

    private basic(): string | undefined {
        if (!this.credentials) return undefined;
        return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`;
    }

    /** Answers a 401 challenge: a bearer token from the realm (with basic credentials if any), or basic auth. */
    private async authorize(repository: string, challenge: string, push: boolean): Promise<string | undefined> {
        const { scheme, params } = challengeOf(challenge);
        if (scheme === "basic") return this.basic();
        if (scheme !== "bearer" || !params.realm) return undefined;
        const url = new URL(params.realm);
        if (params.service) url.searchParams.set("service", params.service);
        url.searchParams.set("scope", `repository:${repository}:${push ? "pull,push" : "pull"}`);
        const basic = this.basic();
        const response = await fetch(url, { headers: basic ? { Authorization: basic } : {} });
        if (!response.ok)
            throw new Error(`${this.registry} refused a token for ${repository} (HTTP ${response.status})`);
        const body = (await response.json()) as { token?: string; access_token?: string };
        const token = body.token ?? body.access_token;
        return token ? `Bearer ${token}` : undefined;
    }

    /** A request to `/v2/<repository>/<path>`, authorized on the registry's challenge. */
    async request(
        repository: string,
        path: string,
        init: { method?: string; headers?: Record<string, string>; body?: Buffer; push?: boolean } = {},
    ): Promise<Response> {
        const url = `${registryUrl(this.registry)}/v2/${repository}/${path}`;
        const key = `${repository}:${init.push ? "push" : "pull"}`;
        const send = (authorization?: string) =>
            fetch(url, {
                method: init.method ?? "GET",
                headers: { ...init.headers, ...(authorization ? { Authorization: authorization } : {}) },
                body: init.body,
                redirect: "follow",
            });
        let response = await send(this.tokens.get(key));
        const challenge = response.headers.get("www-authenticate");
        if (response.status === 401 && challenge) {
            const authorization = await this.authorize(repository, challenge, init.push ?? false);
            if (authorization) {
                this.tokens.set(key, authorization);
                response = await send(authorization);
            }
        }
        return response;
    }

    /** The manifest (or index) a tag or digest names. */
    async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
        const response = await this.request(repository, `manifests/${reference}`, { headers: { Accept: anyManifest } });
        if (!response.ok) {
            throw new Error(
                `${this.registry}/${repository}:${reference}: the registry answered HTTP ${response.status}`,
            );
        }
        const body = Buffer.from(await response.arrayBuffer());
        const mediaType = (JSON.parse(body.toString("utf8")) as { mediaType?: string }).mediaType;
        return {
            mediaType: mediaType ?? response.headers.get("content-type") ?? mediaTypes.ociManifest,
            digest: response.headers.get("docker-content-digest") ?? digestOf(body),
            body,
        };
    }

    /** A blob's bytes, e.g. an image configuration. */
    async getBlob(repository: string, digest: string): Promise<Buffer> {
        const response = await this.request(repository, `blobs/${digest}`);
        if (!response.ok) throw new Error(`${this.registry}/${repository}@${digest}: HTTP ${response.status}`);
        return Buffer.from(await response.arrayBuffer());
    }

    /** Writes a manifest (or index) under a tag or its digest; returns the digest the registry reports. */
    async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
        const response = await this.request(repository, `manifests/${reference}`, {
            method: "PUT",
            headers: { "Content-Type": mediaType },
            body,
            push: true,
        });
        if (!response.ok) {
            const detail = await response.text();
            throw new Error(
                `${this.registry}/${repository}:${reference}: writing the manifest failed (HTTP ${response.status}) ${detail}`,
            );
        }
        return response.headers.get("docker-content-digest") ?? digestOf(body);
    }

    /** Deletes a manifest by digest; a registry that no longer holds it counts as done. */
    async deleteManifest(repository: string, digest: string): Promise<void> {
        const response = await this.request(repository, `manifests/${digest}`, { method: "DELETE", push: true });
        if (!response.ok && response.status !== 404) {
            throw new Error(`${this.registry}/${repository}@${digest}: deleting failed (HTTP ${response.status})`);
        }
    }
}

/** The Windows platform of an image: what a host matches it on. */
export interface WindowsPlatform {
    /** The digest of the image manifest (not of an index that lists it). */
    readonly manifestDigest: string;
    readonly manifestMediaType: string;
    readonly manifestSize: number;
    readonly architecture: string;
    /** The full Windows build, e.g. `10.0.20348.2849`. */
    readonly osVersion?: string;
    readonly osFeatures?: string[];
}

interface IndexEntry {
    readonly mediaType: string;
    readonly digest: string;
    readonly size: number;
    readonly platform?: { os?: string; architecture?: string; "os.version"?: string; "os.features"?: string[] };
}

/**
 * The windows/amd64 image behind a reference: from an index, the entry for windows/amd64 (the highest os.version if
 * there are several); from a single manifest, its configuration's `os.version` and `os.features`.
 */
export async function windowsPlatformOf(client: RegistryClient, ref: ImageReference): Promise<WindowsPlatform> {
    const reference = ref.digest ?? ref.tag ?? "latest";
    const top = await client.getManifest(ref.repository, reference);
    const document = JSON.parse(top.body.toString("utf8")) as { manifests?: IndexEntry[]; config?: { digest: string } };
    if (document.manifests) {
        const entries = document.manifests
            .filter((m) => m.platform?.os === "windows" && m.platform.architecture === "amd64")
            .sort((a, b) => compareVersions(b.platform?.["os.version"], a.platform?.["os.version"]));
        const entry = entries[0];
        if (!entry) throw new Error(`${client.registry}/${ref.repository}:${reference} lists no windows/amd64 image`);
        return {
            manifestDigest: entry.digest,
            manifestMediaType: entry.mediaType,
            manifestSize: entry.size,
            architecture: "amd64",
            osVersion: entry.platform?.["os.version"],
            osFeatures: entry.platform?.["os.features"],
        };
    }
    if (!document.config) throw new Error(`${client.registry}/${ref.repository}:${reference} is not an image`);
    const config = JSON.parse((await client.getBlob(ref.repository, document.config.digest)).toString("utf8")) as {
        os?: string;
        architecture?: string;
        "os.version"?: string;
        "os.features"?: string[];
    };
    if (config.os !== "windows") {
        throw new Error(
            `${client.registry}/${ref.repository}:${reference} is a ${config.os ?? "unknown"} image, not Windows`,
        );
    }
    return {
        manifestDigest: top.digest,
        manifestMediaType: top.mediaType,
        manifestSize: top.body.length,
        architecture: config.architecture ?? "amd64",
        osVersion: config["os.version"],
        osFeatures: config["os.features"],
    };
}

/** Compares dotted versions numerically; a missing one sorts first. */
export function compareVersions(a: string | undefined, b: string | undefined): number {
    if (a === b) return 0;
    if (a === undefined) return -1;
    if (b === undefined) return 1;
    const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}
