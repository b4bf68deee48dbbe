// A small client for the OCI distribution API (the registry HTTP API): manifests, blobs, uploads, with retries and token auth.
import * as crypto from "crypto";
import {
    RetryPolicy,
    backoffDelay,
    defaultRetryPolicy,
    isTransientNetworkError,
    isTransientStatus,
    retryAfterMs,
} from "./retries";

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
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
    const scheme = header.trim().split(/\s+/)[0].toLowerCase();
    const params: Record<string, string> = {};
    for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) params[match[1]] = match[2];
    return { scheme, params };
}

/**
 * The token actions a request needs, as the registry decides them (distribution's `appendAccessRecords`): GET and
 * HEAD `pull`; POST, PUT and PATCH `pull` and `push`; DELETE `delete`.
 */
export function actionsFor(method: string): string[] {
    switch (method.toUpperCase()) {
        case "GET":
        case "HEAD":
            return ["pull"];
        case "DELETE":
            return ["delete"];
        default:
            return ["pull", "push"];
    }
}

/**
 * What went wrong, for people: the status, the registry's error codes and messages (`{"errors": [...]}`), the
 * challenge's error and the scope it asks for, and any Retry-After. E.g. `HTTP 401 UNAUTHORIZED: authentication
 * required (insufficient_scope: the registry wants repository:samples/api:delete)`.
 */
export function describeAnswer(status: number, headers: Headers, body: string): string {
    const parts = [`HTTP ${status}`];
    try {
        const errors = (JSON.parse(body) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
        const listed = errors.map((e) => [e.code, e.message].filter(Boolean).join(": ")).filter(Boolean);
        if (listed.length > 0) parts[0] += ` ${listed.join("; ")}`;
    } catch {
        const text = body.trim().replace(/\s+/g, " ");
        if (text) parts[0] += ` ${text.slice(0, 200)}`;
    }
    const challenge = headers.get("www-authenticate");
    if (challenge) {
        const { params } = parseChallenge(challenge);
        const wants = params.scope ? `the registry wants ${params.scope}` : "";
        const said = [params.error, wants].filter(Boolean).join(": ");
        if (said) parts.push(`(${said})`);
    }
    const after = headers.get("retry-after");
    if (after) parts.push(`(asked to retry after ${after})`);
    return parts.join(" ");
}

/**
 * A failed registry request. `status` and `code` are the registry's answer when it answered; `transient` says
 * whether another attempt may succeed (see `isTransientStatus`); `retryAfterMs` is the wait the registry asked for.
 */
export class RegistryError extends Error {
    readonly status?: number;
    readonly code?: string;
    readonly transient: boolean;
    readonly retryAfterMs?: number;
    /** The registry's answer, when the request got one. */
    readonly response?: Response;
    /** The answer described (`describeAnswer`), when there was one. */
    readonly answer?: string;
    /** The token realm, when it was the token endpoint that refused. */
    readonly realm?: string;

    constructor(
        message: string,
        details: {
            status?: number;
            code?: string;
            transient?: boolean;
            retryAfterMs?: number;
            response?: Response;
            answer?: string;
            realm?: string;
        },
    ) {
        super(message);
        // Set again: Pulumi's closure serializer turns classes into functions, which leaves `this.message` unset.
        this.message = message;
        this.name = "RegistryError";
        this.status = details.status;
        this.code = details.code;
        this.transient = details.transient ?? false;
        this.retryAfterMs = details.retryAfterMs;
        this.response = details.response;
        this.answer = details.answer;
        this.realm = details.realm;
    }
}

/** The registry's failure as a RegistryError: `what` failed, and the registry's answer; transient when worth a retry. */
export async function failureOf(what: string, response: Response, realm?: string): Promise<RegistryError> {
    const body = await response.clone().text();
    let code: string | undefined;
    try {
        code = (JSON.parse(body) as { errors?: { code?: string }[] }).errors?.[0]?.code;
    } catch {
        code = undefined;
    }
    const answer = describeAnswer(response.status, response.headers, body);
    return new RegistryError(`${what}: ${answer}`, {
        answer,
        realm,
        status: response.status,
        code,
        transient: isTransientStatus(response.status),
        retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
        response,
    });
}

/** A retry the client is about to make: what failed, the attempt that failed, and how long it waits. */
export interface RetryEvent {
    readonly what: string;
    readonly attempt: number;
    readonly attempts: number;
    readonly delayMs: number;
    readonly reason: string;
}

/** How a RegistryClient retries and reports retries. */
export interface RegistryClientOptions {
    /** Changes to the retry policy (see `RetryPolicy` for the defaults and bounds). */
    readonly retry?: Partial<RetryPolicy>;
    /** Called before each retry, e.g. to log it. */
    readonly onRetry?: (event: RetryEvent) => void;
}

/** One request to the registry API. */
export interface RegistryRequest {
    /** @default "GET" */
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: Buffer;
    /**
     * The token actions to ask for on a Bearer challenge; the challenge's own scope is asked for too.
     * @default from the method, as the registry decides (`actionsFor`)
     */
    readonly actions?: readonly string[];
    /**
     * Retry transient failures of this request by sending it again. Off for steps of a session that cannot be sent
     * twice (a blob upload's POST, PATCH and closing PUT): retry the whole session with `retrying` instead.
     * @default true, except for POST and PATCH
     */
    readonly retry?: boolean;
    /**
     * How long one attempt may take, in milliseconds.
     * @default the policy's `timeoutMs`
     */
    readonly timeoutMs?: number;
}

/** A manifest's digest, media type and size as the registry reports them for a tag or digest (a HEAD request). */
export interface ManifestHead {
    readonly digest: string;
    readonly mediaType: string;
    readonly size: number;
}

/**
 * One registry, with the credentials to use there (or none), speaking the distribution API with the retries and
 * authentication of go-containerregistry's transports:
 * - Authentication on challenge: Basic with the credentials, or a Bearer token from the challenge's realm for the
 *   challenge's own scope and the actions the request needs (`delete` for a DELETE); tokens are cached per
 *   repository and actions, and a 401 on a cached token (expired) gets exactly one fresh token.
 * - Transient failures (see `RetryPolicy`) are retried with bounded exponential backoff and jitter, or after the
 *   registry's `Retry-After`; other 4xx never are. Every answer is read whole inside the attempt, so a connection
 *   dropped mid-answer is retried too.
 * - Writes are idempotent: `putManifest` first asks whether the registry already holds the bytes under the reference
 *   (then writes nothing), and `uploadBlob` restarts its upload session from the start.
 */
export class RegistryClient {
    private readonly tokens: Map<string, string>;
    private readonly pendingTokens: Map<string, Promise<string | undefined>>;
    private readonly policy: RetryPolicy;
    private readonly onRetry?: (event: RetryEvent) => void;

    constructor(
        readonly registry: string,
        private readonly credentials?: RegistryCredentials,
        options: RegistryClientOptions = {},
    ) {
        // Set here, not as field initializers: Pulumi's closure serializer (ImageIndex's dynamic provider) turns
        // classes into functions and drops field initializers.
        this.tokens = new Map<string, string>();
        this.pendingTokens = new Map<string, Promise<string | undefined>>();
        this.policy = { ...defaultRetryPolicy, ...options.retry };
        this.onRetry = options.onRetry;
    }

    private basic(): string | undefined {
        if (!this.credentials) return undefined;
        return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`;
    }

    /** One HTTP exchange, its answer read whole; a dropped connection or a timeout is a transient RegistryError. */
    private async exchange(
        url: string,
        init: { method: string; headers: Record<string, string>; body?: Buffer },
        timeoutMs: number,
    ): Promise<Response> {
        try {
            const fetched = await fetch(url, {
                method: init.method,
                headers: init.headers,
                body: init.body,
                redirect: "follow",
                signal: AbortSignal.timeout(timeoutMs),
            });
            const body = init.method === "HEAD" ? Buffer.alloc(0) : Buffer.from(await fetched.arrayBuffer());
            const empty = body.length === 0 || [204, 205, 304].includes(fetched.status);
            return new Response(empty ? null : body, {
                status: fetched.status,
                statusText: fetched.statusText,
                headers: fetched.headers,
            });
        } catch (e) {
            const transient = isTransientNetworkError(e);
            const cause = (e as { cause?: { code?: string; message?: string } }).cause;
            const reason = [(e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "", cause?.code]
                .concat(cause?.message ?? (e as Error).message)
                .filter(Boolean)
                .join(": ");
            throw new RegistryError(
                `${init.method} ${url}: ${transient ? "the connection failed" : reason}` +
                    (transient ? ` (${reason})` : ""),
                { transient },
            );
        }
    }

    /** A Bearer token for `actions` on `repository` (and the challenge's own scope) from the challenge's realm. */
    private async token(repository: string, params: Record<string, string>, actions: readonly string[]) {
        const url = new URL(params.realm);
        if (params.service) url.searchParams.set("service", params.service);
        const own = `repository:${repository}:${actions.join(",")}`;
        // The challenge's scope first: some token servers read only the first one (go-containerregistry does so too).
        const scopes = [...new Set([params.scope, own].filter((s): s is string => Boolean(s)))];
        for (const scope of scopes) url.searchParams.append("scope", scope);
        const basic = this.basic();
        const response = await this.exchange(
            url.toString(),
            { method: "GET", headers: basic ? { Authorization: basic } : {} },
            this.policy.timeoutMs,
        );
        if (!response.ok) {
            const what = `${this.registry}'s token endpoint ${url.origin}${url.pathname} refused a token for ${scopes.join(" ")}`;
            throw await failureOf(what, response, params.realm);
        }
        const body = (await response.json()) as { token?: string; access_token?: string };
        const token = body.token ?? body.access_token;
        return token ? `Bearer ${token}` : undefined;
    }

    /** Answers a 401 challenge: Basic with the credentials, or a Bearer token; undefined when it cannot. */
    private async authorize(repository: string, challenge: string, actions: readonly string[]) {
        const { scheme, params } = parseChallenge(challenge);
        if (scheme === "basic") return this.basic();
        if (scheme !== "bearer" || !params.realm) return undefined;
        const key = `${repository}|${actions.join(",")}|${params.scope ?? ""}`;
        // Requests sent together share one token request.
        const pending = this.pendingTokens.get(key) ?? this.token(repository, params, actions);
        this.pendingTokens.set(key, pending);
        try {
            return await pending;
        } finally {
            this.pendingTokens.delete(key);
        }
    }

    /**
     * One attempt, authenticated: with the cached authorization if any; on a 401 challenge, once more with a fresh
     * one (the first, or one replacing an expired token). A second 401 is the answer.
     */
    private async authorizedExchange(
        repository: string,
        url: string,
        init: { method: string; headers: Record<string, string>; body?: Buffer },
        actions: readonly string[],
        timeoutMs: number,
    ): Promise<Response> {
        const key = `${repository}|${actions.join(",")}`;
        let authorization = this.tokens.get(key);
        for (let renewed = false; ; renewed = true) {
            const headers = { ...init.headers, ...(authorization ? { Authorization: authorization } : {}) };
            const response = await this.exchange(url, { ...init, headers }, timeoutMs);
            const challenge = response.headers.get("www-authenticate");
            if (response.status !== 401 || !challenge || renewed) return response;
            const fresh = await this.authorize(repository, challenge, actions);
            if (!fresh || fresh === authorization) return response;
            authorization = fresh;
            this.tokens.set(key, fresh);
        }
    }

    /**
     * Runs `operation` until it succeeds, fails for good, or the policy's attempts are spent: a RegistryError with
     * `transient` set is retried after the registry's Retry-After (up to `maxRetryAfterMs`) or the backoff. For
     * operations of several requests that must restart as a whole (an upload session); `attempt` counts from 1.
     */
    async retrying<T>(what: string, operation: (attempt: number) => Promise<T>): Promise<T> {
        const policy = this.policy;
        for (let attempt = 1; ; attempt++) {
            try {
                return await operation(attempt);
            } catch (e) {
                const failure = e as Partial<RegistryError>;
                if (!failure.transient) throw e;
                if (attempt >= policy.attempts) {
                    (e as Error).message += ` (gave up after ${attempt} attempts)`;
                    throw e;
                }
                const asked = failure.retryAfterMs;
                if (asked !== undefined && asked > policy.maxRetryAfterMs) {
                    (e as Error).message +=
                        ` (the registry asked to wait ${Math.ceil(asked / 1000)} s, longer than the ` +
                        `${policy.maxRetryAfterMs / 1000} s this client waits)`;
                    throw e;
                }
                const delayMs = asked ?? backoffDelay(policy, attempt);
                this.onRetry?.({ what, attempt, attempts: policy.attempts, delayMs, reason: String(failure.message) });
                await policy.sleep(delayMs);
            }
        }
    }

    /** A request to `/v2/<repository>/<path>` (see `requestUrl`). */
    async request(repository: string, path: string, init: RegistryRequest = {}): Promise<Response> {
        return this.requestUrl(repository, `${registryUrl(this.registry)}/v2/${repository}/${path}`, init);
    }

    /**
     * A request to a URL of this registry (e.g. an upload session's `Location`, relative or absolute), authorized on
     * the registry's challenge for `repository`, and retried on transient failures unless `retry` is off. The answer
     * is read whole; after the last attempt, the last answer is returned as it is (callers look at `ok`).
     */
    async requestUrl(repository: string, url: string, init: RegistryRequest = {}): Promise<Response> {
        const method = (init.method ?? "GET").toUpperCase();
        const actions = init.actions ?? actionsFor(method);
        const retry = init.retry ?? !["POST", "PATCH"].includes(method);
        const absolute = new URL(url, registryUrl(this.registry)).toString();
        const request = { method, headers: { ...init.headers }, body: init.body };
        const timeoutMs = init.timeoutMs ?? this.policy.timeoutMs;
        // The registry's own transient answer, returned as it is when the attempts are spent.
        let transientAnswer: RegistryError | undefined;
        const once = async () => {
            const response = await this.authorizedExchange(repository, absolute, request, actions, timeoutMs);
            if (retry && isTransientStatus(response.status)) {
                transientAnswer = await failureOf(`${method} ${absolute}`, response);
                throw transientAnswer;
            }
            return response;
        };
        if (!retry) return once();
        try {
            return await this.retrying(`${method} ${absolute}`, once);
        } catch (e) {
            const answered = transientAnswer as RegistryError | undefined;
            if (answered?.response && e === answered) return answered.response;
            throw e;
        }
    }

    /** The manifest (or index) a tag or digest names. */
    async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
        const where = `${this.registry}/${repository}:${reference}`;
        const response = await this.request(repository, `manifests/${reference}`, { headers: { Accept: anyManifest } });
        if (!response.ok) throw await failureOf(`${where}: reading the manifest failed`, response);
        const body = Buffer.from(await response.arrayBuffer());
        const digest = response.headers.get("docker-content-digest") ?? digestOf(body);
        const mediaType = (JSON.parse(body.toString("utf8")) as { mediaType?: string }).mediaType;
        return {
            mediaType: mediaType ?? response.headers.get("content-type") ?? mediaTypes.ociManifest,
            digest,
            body,
        };
    }

    /**
     * The digest, media type and size of the manifest a tag or digest names (a HEAD request, as `docker pull` and
     * @pulumi/docker's registry image lookup make); undefined when the registry has none under it.
     */
    async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
        const where = `${this.registry}/${repository}:${reference}`;
        const head = await this.request(repository, `manifests/${reference}`, {
            method: "HEAD",
            headers: { Accept: anyManifest },
        });
        if (head.status === 404) return undefined;
        if (!head.ok) throw await failureOf(`${where}: looking up the manifest failed`, head);
        const digest = head.headers.get("docker-content-digest");
        const mediaType = head.headers.get("content-type");
        const size = Number(head.headers.get("content-length"));
        // A registry that does not say the digest on HEAD: read the manifest itself.
        if (!digest || !mediaType || !Number.isInteger(size)) {
            const manifest = await this.getManifest(repository, reference);
            return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.body.length };
        }
        return { digest, mediaType, size };
    }

    /** A blob's bytes, e.g. an image configuration, checked against its digest. */
    async getBlob(repository: string, digest: string): Promise<Buffer> {
        const response = await this.request(repository, `blobs/${digest}`);
        if (!response.ok)
            throw await failureOf(`${this.registry}/${repository}@${digest}: reading the blob failed`, response);
        const body = Buffer.from(await response.arrayBuffer());
        if (digestOf(body) !== digest)
            throw new RegistryError(`${this.registry}/${repository}@${digest}: the registry answered other bytes`, {});
        return body;
    }

    /**
     * Writes a manifest (or index) under a tag or its digest; returns the digest the registry reports. Idempotent:
     * each attempt first asks what the registry holds under `reference`, and writes nothing when it is already these
     * bytes (a rerun after an interrupted update, or a retry after an answer lost on the way), so a tag that is
     * immutable on the registry is not written again either.
     */
    async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
        const where = `${this.registry}/${repository}:${reference}`;
        const digest = digestOf(body);
        return this.retrying(`writing ${where}`, async () => {
            if ((await this.heldDigest(repository, reference, mediaType)) === digest) return digest;
            const response = await this.request(repository, `manifests/${reference}`, {
                method: "PUT",
                headers: { "Content-Type": mediaType },
                body,
                retry: false,
            });
            if (!response.ok) throw await failureOf(`${where}: writing the manifest failed`, response);
            return response.headers.get("docker-content-digest") ?? digest;
        });
    }

    /**
     * The digest the registry holds under `reference`, asked once; undefined when it holds none or does not say (a
     * transient failure included: the write that follows is harmless, only not needed).
     */
    private async heldDigest(repository: string, reference: string, accept: string): Promise<string | undefined> {
        try {
            const held = await this.request(repository, `manifests/${reference}`, {
                method: "HEAD",
                headers: { Accept: accept },
                retry: false,
            });
            return held.ok ? (held.headers.get("docker-content-digest") ?? undefined) : undefined;
        } catch (e) {
            if ((e as Partial<RegistryError>).transient) return undefined;
            throw e;
        }
    }

    /**
     * Deletes a manifest by digest (a token with `delete`); a registry that no longer holds it counts as done, so a
     * DELETE sent again after its answer was lost is a no-op.
     */
    async deleteManifest(repository: string, digest: string): Promise<void> {
        const response = await this.request(repository, `manifests/${digest}`, { method: "DELETE" });
        if (!response.ok && response.status !== 404)
            throw await failureOf(`${this.registry}/${repository}@${digest}: deleting the manifest failed`, response);
    }

    /** Whether the repository holds the blob. */
    async hasBlob(repository: string, digest: string): Promise<boolean> {
        const head = await this.request(repository, `blobs/${digest}`, { method: "HEAD" });
        if (head.ok) return true;
        if (head.status === 404) return false;
        throw await failureOf(`${this.registry}/${repository}@${digest}: looking up the blob failed`, head);
    }

    /**
     * Uploads a blob in one piece (POST to open a session, PUT with its digest to close it), unless the repository
     * already holds it. A transient failure at any step restarts the whole upload: it asks again whether the blob is
     * there (a lost answer to the closing PUT), then opens a new session; an abandoned session is the registry's to
     * expire.
     */
    async uploadBlob(repository: string, digest: string, data: Buffer): Promise<void> {
        const where = `${this.registry}/${repository}@${digest}`;
        if (digestOf(data) !== digest) throw new RegistryError(`${where}: the data's digest is ${digestOf(data)}`, {});
        await this.retrying(`uploading ${where}`, async () => {
            // A failed look-up does not stop the upload: uploading a blob the registry holds is harmless.
            const head = await this.request(repository, `blobs/${digest}`, { method: "HEAD", retry: false }).catch(
                (e: Partial<RegistryError>) => {
                    if (e.transient) return undefined;
                    throw e;
                },
            );
            if (head?.ok) return;
            if (head && head.status !== 404 && !isTransientStatus(head.status))
                throw await failureOf(`${where}: looking up the blob failed`, head);
            const start = await this.request(repository, "blobs/uploads/", { method: "POST", retry: false });
            const location = start.headers.get("location");
            if (start.status !== 202 || !location)
                throw await failureOf(`${where}: opening an upload session failed`, start);
            const target = new URL(location, `${registryUrl(this.registry)}/v2/${repository}/blobs/uploads/`);
            target.searchParams.set("digest", digest);
            const put = await this.requestUrl(repository, target.toString(), {
                method: "PUT",
                headers: { "Content-Type": "application/octet-stream" },
                body: data,
                retry: false,
            });
            if (put.status !== 201) throw await failureOf(`${where}: closing the upload session failed`, put);
        });
    }

    // Copying blobs between repositories and registries: a cross-repository mount, and a streamed upload for blobs
    // too large to hold in memory (a Windows base layer is up to gigabytes).

    /**
     * Asks the registry to mount the blob from another repository of it (`POST ?mount=&from=`): true when it did
     * (201). A registry that will not (ECR without BLOB_MOUNTING, a pull-through cache, a token without pull on
     * `from`) answers otherwise; then the upload session it may have opened instead (202) is returned for the
     * caller to upload into, or undefined.
     */
    async mountBlob(
        repository: string,
        digest: string,
        from: string,
    ): Promise<{ mounted: true } | { session?: string }> {
        const query = `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
        const start = await this.request(repository, `blobs/uploads/${query}`, {
            method: "POST",
            actions: ["pull", "push"],
            retry: false,
        });
        if (start.status === 201) return { mounted: true };
        const location = start.headers.get("location");
        return { session: start.status === 202 && location ? location : undefined };
    }

    /**
     * A blob's bytes as a stream: an authorized GET whose body is left unread (the caller streams it on), after
     * following the registry's redirect to its storage. Transient failures before the answer arrives are retried.
     */
    async openBlob(repository: string, digest: string): Promise<Response> {
        const url = `${registryUrl(this.registry)}/v2/${repository}/blobs/${digest}`;
        const where = `${this.registry}/${repository}@${digest}`;
        const key = `${repository}|pull`;
        const send = async (authorization?: string) => {
            try {
                // A cross-origin redirect (to the registry's storage) drops the Authorization header, as it must.
                return await fetch(url, {
                    headers: authorization ? { Authorization: authorization } : {},
                    redirect: "follow",
                });
            } catch (e) {
                throw new RegistryError(`GET ${url}: the connection failed (${(e as Error).message})`, {
                    transient: isTransientNetworkError(e),
                });
            }
        };
        return this.retrying(`reading ${where}`, async () => {
            let response = await send(this.tokens.get(key));
            const challenge = response.headers.get("www-authenticate");
            if (response.status === 401 && challenge) {
                await response.body?.cancel();
                const fresh = await this.authorize(repository, challenge, ["pull"]);
                if (fresh) this.tokens.set(key, fresh);
                response = await send(fresh);
            }
            if (!response.ok) throw await failureOf(`${where}: reading the blob failed`, response);
            return response;
        });
    }

    /**
     * Uploads a blob of `size` bytes from a stream (`open` gives a fresh one for each attempt) unless the repository
     * holds it: the whole blob in one PATCH, then the closing PUT with its digest (go-containerregistry's way; ECR
     * answers such a PATCH with 201 rather than 202, and both are taken). `session` is an upload session opened
     * already (a refused mount's). A transient failure restarts the whole upload, as `uploadBlob` does; the
     * registry checks the digest when the session closes.
     */
    async uploadBlobStream(
        repository: string,
        digest: string,
        size: number,
        open: () => Promise<ReadableStream<Uint8Array>>,
        session?: string,
    ): Promise<void> {
        const where = `${this.registry}/${repository}@${digest}`;
        let opened = session;
        await this.retrying(`uploading ${where}`, async (attempt) => {
            // After a failure, the closing PUT may have landed before its answer was lost.
            if (attempt > 1 && (await this.hasBlob(repository, digest))) return;
            const location = opened ?? (await this.openUploadSession(repository, where));
            opened = undefined;
            const sessionUrl = new URL(location, `${registryUrl(this.registry)}/v2/${repository}/blobs/uploads/`);
            const patch = await this.streamRequest(repository, sessionUrl.toString(), size, await open());
            const next = patch.headers.get("location");
            if (![201, 202, 204].includes(patch.status) || !next)
                throw await failureOf(`${where}: sending the blob failed`, patch);
            const close = new URL(next, sessionUrl);
            close.searchParams.set("digest", digest);
            const put = await this.requestUrl(repository, close.toString(), { method: "PUT", retry: false });
            if (put.status !== 201 && put.status !== 204)
                throw await failureOf(`${where}: closing the upload session failed`, put);
        });
    }

    /** Opens an upload session; returns its location. */
    private async openUploadSession(repository: string, where: string): Promise<string> {
        const start = await this.request(repository, "blobs/uploads/", { method: "POST", retry: false });
        const location = start.headers.get("location");
        if (start.status !== 202 || !location)
            throw await failureOf(`${where}: opening an upload session failed`, start);
        return location;
    }

    /**
     * A PATCH of a streamed body of `size` bytes to an upload session, with the authorization its opening POST got
     * (cached for pull and push). A 401 (the token expired meanwhile) drops it and counts as transient: the whole
     * upload restarts, and its POST authenticates again.
     */
    private async streamRequest(
        repository: string,
        url: string,
        size: number,
        body: ReadableStream<Uint8Array>,
    ): Promise<Response> {
        const key = `${repository}|pull,push`;
        const authorization = this.tokens.get(key);
        let response: Response;
        try {
            const sent = await fetch(url, {
                method: "PATCH",
                headers: {
                    "Content-Type": "application/octet-stream",
                    "Content-Length": String(size),
                    ...(authorization ? { Authorization: authorization } : {}),
                },
                body,
                duplex: "half",
            } as RequestInit);
            const bytes = Buffer.from(await sent.arrayBuffer());
            const empty = bytes.length === 0 || [204, 205, 304].includes(sent.status);
            response = new Response(empty ? null : bytes, { status: sent.status, headers: sent.headers });
        } catch (e) {
            // The connection to either registry failed mid-copy (or the source sent other than `size` bytes): the
            // registry holds nothing for the session's digest yet, so the copy starts over.
            const cause = (e as { cause?: { code?: string; message?: string } }).cause;
            throw new RegistryError(
                `PATCH ${url}: the copy failed (${cause?.code ?? cause?.message ?? (e as Error).message})`,
                { transient: true },
            );
        }
        if (response.status === 401) {
            this.tokens.delete(key);
            const failure = await failureOf(`PATCH ${url}`, response);
            throw new RegistryError(failure.message, { status: 401, transient: true });
        }
        return response;
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
