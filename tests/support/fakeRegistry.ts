// A stand-in for the registries the mocks talk to: the public ones (Microsoft's anonymously, Docker Hub with its
// anonymous tokens, private mirrors with Basic or Bearer auth) that answer base image lookups (digests, manifests with
// each base's os.version) and record the Authorization they receive, and the ones the program pushes to, which hold
// what the build stand-ins pushed and what the index provider writes.
import * as crypto from "crypto";
import { DockerfileParser } from "dockerfile-ast";
import { digestOf, parseImageReference } from "../../components/registries/distribution";
import { windowsImageDocuments } from "./registryStub";

/** What a registry holds under a reference: the digest its tag points to, and the image's Windows build. */
export interface RegistryImage {
    readonly digest: string;
    readonly osVersion?: string;
    readonly osFeatures?: string[];
}

/** Images a test put there (a "patched" base under the same tag), by reference without digest. */
export const registryImages = new Map<string, RegistryImage>();

/** A registry the program pushes to: manifests by `repository@digest`, tags, blobs, and the login it requires. */
interface PushRegistry {
    readonly manifests: Map<string, { mediaType: string; body: Buffer; digest: string }>;
    readonly tags: Map<string, string>;
    readonly blobs: Map<string, Buffer>;
    /** The `Authorization` header it requires, when pushes gave credentials. */
    login?: string;
}

/** The registries pushed to, by host. */
const pushRegistries = new Map<string, PushRegistry>();

/** Requests the push registries answered: method and URL. */
export const pushRegistryRequests: { method: string; url: string }[] = [];

/** The revision the stand-in gives every release's base unless a test says otherwise. */
const builds: [RegExp, string][] = [
    [/(ltsc2019|1809)/, "10.0.17763.6893"],
    [/ltsc2022/, "10.0.20348.2849"],
    [/ltsc2025/, "10.0.26100.2605"],
];

/** Digests handed out so far → the reference they were looked up by, so that a pull by digest finds the image. */
const issued = new Map<string, string>();

/** The image behind a reference: one a test put there, else a stable one derived from the reference. */
export function registryImage(ref: string): RegistryImage {
    const name = ref.split("@")[0];
    const osVersion = builds.find(([pattern]) => pattern.test(name))?.[1];
    // Server Core bases carry os.features win32k, as Microsoft's do.
    const osFeatures = /\/servercore[:@]/.test(name) ? ["win32k"] : undefined;
    const image = registryImages.get(name) ?? {
        digest: `sha256:${crypto.createHash("sha256").update(name).digest("hex")}`,
        osVersion,
        ...(osFeatures ? { osFeatures } : {}),
    };
    issued.set(image.digest, name);
    return image;
}

/**
 * Every request a registry other than the push registries received (and their token endpoints), with the
 * `Authorization` it carried: the public registries and mirrors that base and builder images come from.
 */
export const foreignRequests: { url: string; method: string; authorization?: string; refused?: boolean }[] = [];

/**
 * Private mirrors by host: they answer only requests that carry their user's credentials, with Basic auth or with
 * a Bearer token from their realm `https://<host>/token` (which wants Basic credentials), as ECR and a
 * distribution registry with token auth do.
 */
export const privateRegistries = new Map<string, { username: string; password: string; scheme: "basic" | "bearer" }>();

/** The references looked up by tag (HEADs answered), as `registry/repository:tag`, Docker Hub's shortened. */
export function lookedUp(): string[] {
    return foreignRequests
        .filter((r) => r.method === "HEAD" && !r.refused)
        .map((r) => /^https:\/\/([^/]+)\/v2\/(.+)\/manifests\/([^/]+)$/.exec(r.url))
        .filter((m): m is RegExpExecArray => m !== null && !m[3].startsWith("sha256:"))
        .map(([, host, repository, tag]) =>
            host === "registry-1.docker.io" && repository.startsWith("library/")
                ? `${repository.slice("library/".length)}:${tag}`
                : `${host}/${repository}:${tag}`,
        );
}

/** Forgets what tests put there and what was pushed. */
export function resetRegistry(): void {
    registryImages.clear();
    foreignRequests.length = 0;
    privateRegistries.clear();
    realRegistries.clear();
    issued.clear();
    pushRegistries.clear();
    pushRegistryRequests.length = 0;
}

/** Whether something was pushed to `registry` in this run: the stand-in then answers for it. */
export function holdsPushes(registry: string): boolean {
    return pushRegistries.has(registry);
}

/** Registries that really run (the integration suite's): the stand-in never answers for them. */
export const realRegistries = new Set<string>();

/** Whether `registry` really runs: pushes and index writes then go to it, not to the stand-in. */
export function isRealRegistry(registry: string): boolean {
    return realRegistries.has(registry);
}

/** The image the Dockerfile's last stage is built FROM: the base the Windows image is made of. */
export function runtimeBaseOf(dockerfile: string): string {
    const froms = DockerfileParser.parse(dockerfile).getFROMs();
    const image = froms[froms.length - 1]?.getImage();
    if (!image) throw new Error("the Dockerfile has no FROM");
    return image;
}

/**
 * Records a build's push of `<repository>:<tag>` as the registry would hold it: a Windows image whose configuration
 * carries the os.version and os.features of the base its Dockerfile's last stage names, under `digest` (the digest
 * the build stand-in reports). With credentials, the registry then answers only requests that carry them.
 */
export function recordPush(
    taggedName: string,
    dockerfile: string,
    digest: string,
    credentials?: { username: string; password: string },
): void {
    recordImagePush(taggedName, runtimeBaseOf(dockerfile), digest, credentials);
}

/**
 * Records the push of `<repository>:<tag>` built on `baseRef` as the registry would hold it (see `recordPush`);
 * returns the manifest's media type, size and the base's Windows build, as an image index entry names them.
 */
export function recordImagePush(
    taggedName: string,
    baseRef: string,
    digest: string,
    credentials?: { username: string; password: string },
): { mediaType: string; size: number; osVersion?: string; osFeatures?: string[] } {
    const ref = parseImageReference(taggedName);
    const base = registryImage(baseRef);
    const { config, configDigest, mediaType, body } = windowsImageDocuments(base.osVersion, base.osFeatures);
    const described = { mediaType, size: body.length, osVersion: base.osVersion, osFeatures: base.osFeatures };
    if (isRealRegistry(ref.registry)) return described;
    const registry: PushRegistry = pushRegistries.get(ref.registry) ?? {
        manifests: new Map(),
        tags: new Map(),
        blobs: new Map(),
    };
    pushRegistries.set(ref.registry, registry);
    if (credentials)
        registry.login = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
    registry.blobs.set(`${ref.repository}@${configDigest}`, config);
    registry.manifests.set(`${ref.repository}@${digest}`, { mediaType, body, digest });
    if (ref.tag) registry.tags.set(`${ref.repository}:${ref.tag}`, digest);
    return described;
}

/** A push registry's answer to a request under `/v2/<repository>/(manifests|blobs)/<reference>`. */
function pushRegistryResponse(
    registry: PushRegistry,
    url: string,
    init: RequestInit | undefined,
    [repository, kind, reference]: string[],
): Response | undefined {
    const method = init?.method ?? "GET";
    pushRegistryRequests.push({ method, url });
    const headers = new Headers(init?.headers);
    if (registry.login && headers.get("authorization") !== registry.login)
        return new Response("{}", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="stand-in"' } });
    const answer = (status: number, body?: Buffer, extra: Record<string, string> = {}) =>
        new Response(method === "HEAD" || !body ? null : new Uint8Array(body), { status, headers: extra });
    if (kind === "blobs") {
        const blob = registry.blobs.get(`${repository}@${reference}`);
        return blob ? answer(200, blob) : undefined;
    }
    if (method === "PUT") {
        const body = Buffer.from(init?.body as Uint8Array);
        const digest = digestOf(body);
        const mediaType = headers.get("content-type") ?? "";
        registry.manifests.set(`${repository}@${digest}`, { mediaType, body, digest });
        if (!reference.startsWith("sha256:")) registry.tags.set(`${repository}:${reference}`, digest);
        return answer(201, undefined, { "Docker-Content-Digest": digest });
    }
    const digest = reference.startsWith("sha256:") ? reference : registry.tags.get(`${repository}:${reference}`);
    const manifest = registry.manifests.get(`${repository}@${digest}`);
    if (!manifest) return undefined;
    if (method === "DELETE") {
        registry.manifests.delete(`${repository}@${digest}`);
        return answer(202);
    }
    return answer(200, manifest.body, { "Content-Type": manifest.mediaType, "Docker-Content-Digest": manifest.digest });
}

const basicOf = (login: { username: string; password: string }) =>
    `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}`;
const tokenOf = (host: string) => `Bearer token-of-${host}`;
const unauthorized = (challenge: string) =>
    new Response(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }), {
        status: 401,
        headers: { "WWW-Authenticate": challenge },
    });

/**
 * A token endpoint's answer: Docker Hub's (`auth.docker.io`) gives anyone an anonymous pull token; a private
 * mirror's wants its user's Basic credentials. Undefined for other hosts.
 */
function tokenAnswer(host: string, authorization: string | undefined): Response | undefined {
    const mirror = privateRegistries.get(host);
    if (host !== "auth.docker.io" && mirror?.scheme !== "bearer") return new Response("{}", { status: 404 });
    if (mirror && authorization !== basicOf(mirror)) return new Response("{}", { status: 401 });
    const token = tokenOf(host === "auth.docker.io" ? "registry-1.docker.io" : host).slice("Bearer ".length);
    return new Response(JSON.stringify({ token }), { status: 200 });
}

/** A registry's refusal of a request that lacks its authorization; undefined when it may go on. */
function authorize(host: string, repository: string, authorization: string | undefined): Response | undefined {
    const scope = `scope="repository:${repository}:pull"`;
    // Docker Hub challenges every request without its token, credentials or not.
    if (host === "registry-1.docker.io" && authorization !== tokenOf(host))
        return unauthorized(`Bearer realm="https://auth.docker.io/token",service="registry.docker.io",${scope}`);
    const mirror = privateRegistries.get(host);
    if (!mirror) return undefined;
    if (mirror.scheme === "basic" && authorization !== basicOf(mirror))
        return unauthorized(`Basic realm="https://${host}/",service="ecr.amazonaws.com"`);
    if (mirror.scheme === "bearer" && authorization !== tokenOf(host))
        return unauthorized(`Bearer realm="https://${host}/token",service="${host}",${scope}`);
    return undefined;
}

/** The answer of `docker:index/getRegistryImage:getRegistryImage`. */
export function registryImageLookup(name: string): Record<string, unknown> {
    return { id: name, name, sha256Digest: registryImage(name).digest, insecureSkipVerify: false };
}

/**
 * Answers a registry the program pushed to (what was pushed there, and manifests written to it), and
 * `GET /v2/<repository>/manifests/<tag or digest>` for another non-local registry with an index listing one
 * windows/amd64 image that carries the base's os.version; undefined for other requests.
 */
export function registryResponse(url: string, init?: RequestInit): Response | undefined {
    const api = /^https?:\/\/([^/]+)\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url);
    const pushed = api && pushRegistries.get(api[1]);
    if (pushed) {
        const answer = pushRegistryResponse(pushed, url, init, api.slice(2));
        if (answer) return answer;
    }
    const match = /^https:\/\/([^/]+)\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url);
    const token = /^https:\/\/([^/]+)\/token(\?.*)?$/.exec(url);
    if (!pushed && (match || token)) {
        const authorization = new Headers(init?.headers).get("authorization") ?? undefined;
        const refused = token ? tokenAnswer(token[1], authorization) : authorize(match![1], match![2], authorization);
        foreignRequests.push({ url, method: init?.method ?? "GET", authorization, refused: refused !== undefined });
        if (refused) return refused;
    }
    if (!match) return pushed ? new Response("{}", { status: 404 }) : undefined;
    const [, registry, repository, reference] = match;
    const name = reference.startsWith("sha256:") ? issued.get(reference) : `${registry}/${repository}:${reference}`;
    if (!name) return new Response("{}", { status: 404 });
    const ref = parseImageReference(name);
    if (ref.registry !== registry || ref.repository !== repository) return new Response("{}", { status: 404 });
    const image = registryImage(name);
    const index = {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
            {
                mediaType: "application/vnd.oci.image.manifest.v1+json",
                digest: `sha256:${crypto.createHash("sha256").update(`${image.digest}/windows`).digest("hex")}`,
                size: 1000,
                platform: {
                    os: "windows",
                    architecture: "amd64",
                    ...(image.osVersion ? { "os.version": image.osVersion } : {}),
                    ...(image.osFeatures ? { "os.features": image.osFeatures } : {}),
                },
            },
        ],
    };
    return new Response(JSON.stringify(index), {
        status: 200,
        headers: {
            "Content-Type": index.mediaType,
            "Docker-Content-Digest": image.digest,
            "Content-Length": String(Buffer.byteLength(JSON.stringify(index))),
        },
    });
}
