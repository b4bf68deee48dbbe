// A registry in memory on 127.0.0.1, speaking the distribution API as far as the ImageIndex and DaemonlessWindowsImage
// providers use it: manifests, blobs, upload sessions (POST, PATCH, closing PUT) and cross-repository mounts.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { writeStandInBase } from "./standInBase";

/** A request the stub received, with the `Authorization` it carried. */
export interface StubRequest {
    readonly method: string;
    readonly path: string;
    readonly authorization?: string;
}

/**
 * Token auth as distribution's registry does it (`auth: token`): every request needs a Bearer token from the
 * stub's `/token` realm that grants the request's actions on its repository (GET and HEAD `pull`; POST, PUT and
 * PATCH `pull` and `push`; DELETE `delete`); the token endpoint grants each user only the actions it is allowed,
 * of those asked for, and an unknown user or a wrong password nothing at all (401).
 */
export interface StubTokenAuth {
    /** Users by name: their password and the actions they may be granted on every repository. */
    readonly users: Readonly<Record<string, { readonly password: string; readonly actions: readonly string[] }>>;
    /** Actions granted to a token request without credentials. @default none */
    readonly anonymous?: readonly string[];
}

/** How the stub behaves: Basic auth for a user, token auth with scopes, a token realm that refuses everyone, deletes refused. */
export interface StubOptions {
    readonly user?: { readonly username: string; readonly password: string };
    readonly tokenAuth?: StubTokenAuth;
    readonly refuseTokens?: boolean;
    readonly deletes?: "enabled" | "refused";
    /** Answers a request with this status instead, when it returns one. */
    readonly override?: (request: StubRequest) => number | undefined;
    /**
     * Cross-repository mounts: `enabled` mounts a blob the `from` repository holds (201), as distribution does;
     * `refused` opens an upload session instead (202), as ECR does without BLOB_MOUNTING. @default "enabled"
     */
    readonly mounts?: "enabled" | "refused";
    /** The status of a PATCH to an upload session: 202 as distribution answers, 201 as ECR does. @default 202 */
    readonly patchStatus?: 201 | 202;
}

/** The running stub: its address, what it received and what it holds. */
export interface RegistryStub {
    /** `127.0.0.1:<port>`. */
    readonly host: string;
    readonly requests: StubRequest[];
    /** Manifests by `repository@digest`, and tags by `repository:tag`. */
    readonly manifests: Map<string, { mediaType: string; body: Buffer }>;
    readonly tags: Map<string, string>;
    readonly blobs: Map<string, Buffer>;
    /** The tokens the realm issued: the scopes asked for and the access granted, by repository. */
    readonly issued: { scopes: string[]; granted: Record<string, string[]> }[];
    /** Lets every token issued so far expire, as time would: the registry then refuses them (`invalid_token`). */
    expireTokens(): void;
    /** Issues tokens that have expired already (a token server whose clock is ahead). */
    expireNewTokens: boolean;
    close(): Promise<void>;
}

const sha256 = (data: Buffer) => `sha256:${crypto.createHash("sha256").update(data).digest("hex")}`;

/** The actions a request needs, as distribution's `appendAccessRecords` decides them. */
function neededActions(method: string): string[] {
    if (method === "GET" || method === "HEAD") return ["pull"];
    if (method === "DELETE") return ["delete"];
    return ["pull", "push"];
}

/** The access a token request gets: per scope asked for, the asked actions the user may have. */
function grant(scopes: string[], allowed: readonly string[]): Record<string, string[]> {
    const granted: Record<string, string[]> = {};
    for (const scope of scopes) {
        const [type, repository, actions] = [scope.split(":")[0], scope.split(":")[1], scope.split(":")[2] ?? ""];
        if (type !== "repository" || !repository) continue;
        const given = actions.split(",").filter((a) => allowed.includes(a));
        granted[repository] = [...new Set([...(granted[repository] ?? []), ...given])];
    }
    return granted;
}

/** Starts the stub; close it when done. */
export async function startRegistryStub(options: StubOptions = {}): Promise<RegistryStub> {
    const manifests = new Map<string, { mediaType: string; body: Buffer }>();
    const tags = new Map<string, string>();
    const blobs = new Map<string, Buffer>();
    /** Open upload sessions: their repository and the bytes PATCHed so far. */
    const uploads = new Map<string, { repository: string; chunks: Buffer[] }>();
    const requests: StubRequest[] = [];
    const issued: { scopes: string[]; granted: Record<string, string[]>; expired: boolean }[] = [];
    const tokens = new Map<string, (typeof issued)[number]>();
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const request = {
                method: req.method ?? "GET",
                path: req.url ?? "/",
                authorization: req.headers.authorization,
            };
            requests.push(request);
            const url = new URL(request.path, `http://${host}`);
            const answer = (status: number, headers: Record<string, string> = {}, body?: Buffer) => {
                res.writeHead(status, headers);
                res.end(request.method === "HEAD" ? undefined : body);
            };
            const errors = (code: string, message: string) =>
                Buffer.from(JSON.stringify({ errors: [{ code, message, detail: null }] }));
            if (url.pathname === "/token") {
                if (options.refuseTokens || !options.tokenAuth) return answer(401);
                // Several scopes come as several parameters or space-separated in one, as token servers take them.
                const scopes = url.searchParams.getAll("scope").flatMap((scope) => scope.split(" "));
                let allowed = options.tokenAuth.anonymous ?? [];
                if (request.authorization) {
                    const [name, password] = Buffer.from(request.authorization.replace(/^Basic /, ""), "base64")
                        .toString("utf8")
                        .split(":");
                    const user = options.tokenAuth.users[name];
                    if (!user || user.password !== password)
                        return answer(401, {}, errors("UNAUTHORIZED", "bad credentials"));
                    allowed = user.actions;
                }
                const token = `token-${issued.length}-${crypto.randomBytes(8).toString("hex")}`;
                const record = { scopes, granted: grant(scopes, allowed), expired: stub.expireNewTokens };
                issued.push(record);
                tokens.set(token, record);
                return answer(200, { "Content-Type": "application/json" }, Buffer.from(JSON.stringify({ token })));
            }
            const match = /^\/v2\/(.+)\/(manifests|blobs)\/(uploads\/)?([^/]*)$/.exec(url.pathname);
            const repository = match?.[1] ?? "";
            const realm = `Bearer realm="http://${host}/token",service="stub"`;
            if (options.refuseTokens) return answer(401, { "WWW-Authenticate": realm });
            // A mount needs pull on the repository it mounts from as well (distribution's appendAccessRecords).
            const from = request.method === "POST" ? url.searchParams.get("from") : null;
            if (options.tokenAuth) {
                const needed: [string, string[]][] = [[repository, neededActions(request.method)]];
                if (from) needed.push([from, ["pull"]]);
                const token = tokens.get((request.authorization ?? "").replace(/^Bearer /, ""));
                const allows = ([name, actions]: [string, string[]]) =>
                    actions.every((a) => (token?.granted[name] ?? []).includes(a));
                if (!token || token.expired || !needed.every(allows)) {
                    const error = !request.authorization
                        ? ""
                        : token && !token.expired
                          ? "insufficient_scope"
                          : "invalid_token";
                    const scope = needed.map(([name, actions]) => `repository:${name}:${actions.join(",")}`).join(" ");
                    const challenge = `${realm},scope="${scope}"${error ? `,error="${error}"` : ""}`;
                    return answer(
                        401,
                        { "WWW-Authenticate": challenge },
                        errors("UNAUTHORIZED", "authentication required"),
                    );
                }
            }
            const basic =
                options.user &&
                `Basic ${Buffer.from(`${options.user.username}:${options.user.password}`).toString("base64")}`;
            if (basic && request.authorization !== basic)
                return answer(
                    401,
                    { "WWW-Authenticate": 'Basic realm="stub"' },
                    errors("UNAUTHORIZED", "authentication required"),
                );
            const forced = options.override?.(request);
            if (forced !== undefined) return answer(forced);
            if (!match) return answer(404);
            const [, , kind, upload, reference] = match;
            if (kind === "blobs" && upload && request.method === "POST") {
                const mount = url.searchParams.get("mount");
                const held = mount && from ? blobs.get(`${from}@${mount}`) : undefined;
                if (held && (options.mounts ?? "enabled") === "enabled") {
                    blobs.set(`${repository}@${mount}`, held);
                    return answer(201, {
                        Location: `/v2/${repository}/blobs/${mount}`,
                        "Docker-Content-Digest": mount!,
                    });
                }
                const id = crypto.randomUUID();
                uploads.set(id, { repository, chunks: [] });
                return answer(202, { Location: `/v2/${repository}/blobs/uploads/${id}`, "Docker-Upload-UUID": id });
            }
            const session = upload ? uploads.get(reference) : undefined;
            if (kind === "blobs" && upload && (!session || session.repository !== repository))
                return answer(404, {}, errors("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"));
            if (kind === "blobs" && upload && request.method === "PATCH") {
                session!.chunks.push(Buffer.concat(chunks));
                const size = session!.chunks.reduce((sum, c) => sum + c.length, 0);
                return answer(options.patchStatus ?? 202, {
                    Location: `/v2/${repository}/blobs/uploads/${reference}`,
                    Range: `0-${Math.max(0, size - 1)}`,
                    "Docker-Upload-UUID": reference,
                });
            }
            if (kind === "blobs" && upload && request.method === "PUT") {
                uploads.delete(reference);
                const body = Buffer.concat([...session!.chunks, ...chunks]);
                const digest = url.searchParams.get("digest");
                if (digest !== sha256(body))
                    return answer(400, {}, errors("DIGEST_INVALID", "provided digest did not match uploaded content"));
                blobs.set(`${repository}@${digest}`, body);
                return answer(201, { "Docker-Content-Digest": digest, Location: `/v2/${repository}/blobs/${digest}` });
            }
            if (kind === "blobs") {
                const blob = blobs.get(`${repository}@${reference}`);
                return blob ? answer(200, { "Content-Length": String(blob.length) }, blob) : answer(404);
            }
            const digest = reference.startsWith("sha256:") ? reference : tags.get(`${repository}:${reference}`);
            const key = `${repository}@${digest}`;
            if (request.method === "PUT") {
                const body = Buffer.concat(chunks);
                const stored = sha256(body);
                // An image manifest may name only blobs the repository holds (MANIFEST_BLOB_UNKNOWN otherwise).
                const named = JSON.parse(body.toString("utf8")) as {
                    config?: { digest: string };
                    layers?: { digest: string }[];
                };
                const missing = [named.config, ...(named.layers ?? [])].find(
                    (blob) => blob && !blobs.has(`${repository}@${blob.digest}`),
                );
                if (missing)
                    return answer(
                        400,
                        {},
                        errors("MANIFEST_BLOB_UNKNOWN", `blob unknown to registry: ${missing.digest}`),
                    );
                manifests.set(`${repository}@${stored}`, { mediaType: String(req.headers["content-type"]), body });
                if (!reference.startsWith("sha256:")) tags.set(`${repository}:${reference}`, stored);
                return answer(201, { "Docker-Content-Digest": stored });
            }
            if (request.method === "DELETE") {
                if (options.deletes === "refused")
                    return answer(405, {}, errors("UNSUPPORTED", "The operation is unsupported."));
                return manifests.delete(key) ? answer(202) : answer(404);
            }
            const manifest = manifests.get(key);
            if (!manifest || !digest) return answer(404, {}, errors("MANIFEST_UNKNOWN", "manifest unknown"));
            const headers = {
                "Content-Type": manifest.mediaType,
                "Docker-Content-Digest": digest,
                "Content-Length": String(manifest.body.length),
            };
            return answer(200, headers, manifest.body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const stub: RegistryStub = {
        host,
        requests,
        manifests,
        tags,
        blobs,
        issued,
        expireTokens: () => issued.forEach((t) => (t.expired = true)),
        expireNewTokens: false,
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
    return stub;
}

/** A Windows image of `osVersion` as a registry holds it: its configuration and its manifest (with no layers). */
export function windowsImageDocuments(osVersion: string | undefined, osFeatures?: string[]) {
    const config = Buffer.from(
        JSON.stringify({ architecture: "amd64", os: "windows", "os.version": osVersion, "os.features": osFeatures }),
    );
    const mediaType = "application/vnd.oci.image.manifest.v1+json";
    const body = Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType,
            config: {
                mediaType: "application/vnd.oci.image.config.v1+json",
                digest: sha256(config),
                size: config.length,
            },
            layers: [],
        }),
    );
    return { config, configDigest: sha256(config), mediaType, body };
}

/** Puts a Windows image of `osVersion` (a config blob and a manifest) into the stub; returns its entry. */
export function putWindowsImage(stub: RegistryStub, repository: string, osVersion: string, osFeatures?: string[]) {
    const { config, configDigest, mediaType, body } = windowsImageDocuments(osVersion, osFeatures);
    stub.blobs.set(`${repository}@${configDigest}`, config);
    const digest = sha256(body);
    stub.manifests.set(`${repository}@${digest}`, { mediaType, body });
    return { digest, mediaType, size: body.length, os: "windows", architecture: "amd64", osVersion, osFeatures };
}

/**
 * Puts a Windows base image with a real layer (a gzip of a tar in Windows form: `Files/`, `Hives/`) into the stub, as
 * a build reads and copies it; returns its manifest's digest.
 */
export function putWindowsImageWithLayer(stub: RegistryStub, repository: string, osVersion: string): string {
    const layout = fs.mkdtempSync(path.join(os.tmpdir(), "gwc-stub-base-"));
    try {
        writeStandInBase(layout, osVersion, "base");
        const index = JSON.parse(fs.readFileSync(path.join(layout, "index.json"), "utf8"));
        const blob = (digest: string) => fs.readFileSync(path.join(layout, "blobs", "sha256", digest.slice(7)));
        const entry = index.manifests[0] as { digest: string; mediaType: string };
        const manifest = JSON.parse(blob(entry.digest).toString()) as {
            config: { digest: string };
            layers: { digest: string }[];
        };
        for (const { digest } of [manifest.config, ...manifest.layers])
            stub.blobs.set(`${repository}@${digest}`, blob(digest));
        stub.manifests.set(`${repository}@${entry.digest}`, { mediaType: entry.mediaType, body: blob(entry.digest) });
        return entry.digest;
    } finally {
        fs.rmSync(layout, { recursive: true, force: true });
    }
}
