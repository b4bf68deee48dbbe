// A registry in memory on 127.0.0.1, speaking enough of the distribution API for the ImageIndex provider's tests.
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";

/** A request the stub received. */
export interface StubRequest {
    readonly method: string;
    readonly path: string;
}

/** How the stub behaves: a user it requires (basic auth), a token realm that refuses everyone, deletes refused. */
export interface StubOptions {
    readonly user?: { readonly username: string; readonly password: string };
    readonly refuseTokens?: boolean;
    readonly deletes?: "enabled" | "refused";
    /** Answers a request with this status instead, when it returns one. */
    readonly override?: (request: StubRequest) => number | undefined;
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
    close(): Promise<void>;
}

const sha256 = (data: Buffer) => `sha256:${crypto.createHash("sha256").update(data).digest("hex")}`;

/** Starts the stub; close it when done. */
export async function startRegistryStub(options: StubOptions = {}): Promise<RegistryStub> {
    const manifests = new Map<string, { mediaType: string; body: Buffer }>();
    const tags = new Map<string, string>();
    const blobs = new Map<string, Buffer>();
    const requests: StubRequest[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const request = { method: req.method ?? "GET", path: req.url ?? "/" };
            requests.push(request);
            const answer = (status: number, headers: Record<string, string> = {}, body?: Buffer) => {
                res.writeHead(status, headers);
                res.end(request.method === "HEAD" ? undefined : body);
            };
            if (request.path.startsWith("/token")) return answer(401);
            const basic =
                options.user &&
                `Basic ${Buffer.from(`${options.user.username}:${options.user.password}`).toString("base64")}`;
            if (options.refuseTokens)
                return answer(401, { "WWW-Authenticate": `Bearer realm="http://${host}/token",service="stub"` });
            if (basic && req.headers.authorization !== basic)
                return answer(401, { "WWW-Authenticate": 'Basic realm="stub"' });
            const forced = options.override?.(request);
            if (forced !== undefined) return answer(forced);
            const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(request.path);
            if (!match) return answer(404);
            const [, repository, kind, reference] = match;
            if (kind === "blobs") {
                const blob = blobs.get(`${repository}@${reference}`);
                return blob ? answer(200, {}, blob) : answer(404);
            }
            const digest = reference.startsWith("sha256:") ? reference : tags.get(`${repository}:${reference}`);
            const key = `${repository}@${digest}`;
            if (request.method === "PUT") {
                const body = Buffer.concat(chunks);
                const stored = sha256(body);
                manifests.set(`${repository}@${stored}`, { mediaType: String(req.headers["content-type"]), body });
                if (!reference.startsWith("sha256:")) tags.set(`${repository}:${reference}`, stored);
                return answer(201, { "Docker-Content-Digest": stored });
            }
            if (request.method === "DELETE") {
                if (options.deletes === "refused") return answer(405);
                return manifests.delete(key) ? answer(202) : answer(404);
            }
            const manifest = manifests.get(key);
            if (!manifest || !digest) return answer(404);
            const headers = { "Content-Type": manifest.mediaType, "Docker-Content-Digest": digest };
            return answer(200, headers, manifest.body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        host,
        requests,
        manifests,
        tags,
        blobs,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
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
