// The registry client's retries and authentication, through a fault-injecting proxy in front of a registry in memory
// that checks token scopes as distribution's registry does; the sleeper is injected, so no test waits.
import * as assert from "assert";
import * as crypto from "crypto";
import {
    RegistryClient,
    RegistryClientOptions,
    RegistryCredentials,
    RetryEvent,
    actionsFor,
    digestOf,
    windowsPlatformOf,
} from "../../components/registries/distribution";
import {
    backoffDelay,
    defaultRetryPolicy,
    isTransientNetworkError,
    isTransientStatus,
    retryAfterMs,
} from "../../components/registries/retries";
import { FaultProxy, FaultScript, every, firstMatching, startFaultProxy } from "../support/faultProxy";
import { RegistryStub, StubOptions, putWindowsImage, startRegistryStub } from "../support/registryStub";

const repository = "samples/api";
const indexType = "application/vnd.oci.image.index.v1+json";

describe("the retry policy", () => {
    it("backs off exponentially with equal jitter, capped: 0.25-0.5 s, 0.5-1 s, 1-2 s, 2-4 s, never above 8 s", () => {
        const low = { ...defaultRetryPolicy, random: () => 0 };
        const high = { ...defaultRetryPolicy, random: () => 0.999999 };
        assert.deepStrictEqual(
            [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(low, n)),
            [250, 500, 1000, 2000, 4000, 4000],
        );
        assert.deepStrictEqual(
            [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(high, n)),
            [500, 1000, 2000, 4000, 8000, 8000],
        );
        assert.strictEqual(defaultRetryPolicy.attempts, 5);
    });

    it("reads Retry-After as seconds or as an HTTP date", () => {
        const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
        assert.strictEqual(retryAfterMs("3", now), 3000);
        assert.strictEqual(retryAfterMs(" 0 ", now), 0);
        assert.strictEqual(retryAfterMs("Wed, 21 Oct 2015 07:28:07 GMT", now), 7000);
        assert.strictEqual(retryAfterMs("Wed, 21 Oct 2015 07:27:00 GMT", now), 0, "a date passed means now");
        assert.strictEqual(retryAfterMs("soon", now), undefined);
        assert.strictEqual(retryAfterMs(null, now), undefined);
    });

    it("retries 408, 429 and 5xx but 501 and 505; never another 4xx", () => {
        const retried = [400, 401, 403, 404, 405, 408, 409, 429, 500, 501, 502, 503, 504, 505, 522].filter(
            isTransientStatus,
        );
        assert.deepStrictEqual(retried, [408, 429, 500, 502, 503, 504, 522]);
    });

    it("counts resets, cut answers and timeouts as transient, a refused connection or unknown host not", () => {
        const fetchError = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: { code } });
        assert.ok(isTransientNetworkError(fetchError("ECONNRESET")));
        assert.ok(isTransientNetworkError(fetchError("UND_ERR_SOCKET")));
        assert.ok(isTransientNetworkError(Object.assign(new Error("x"), { name: "TimeoutError" })));
        assert.ok(isTransientNetworkError(new TypeError("terminated")));
        assert.ok(!isTransientNetworkError(fetchError("ECONNREFUSED")));
        assert.ok(!isTransientNetworkError(fetchError("ENOTFOUND")));
        assert.ok(!isTransientNetworkError(new Error("bad")));
    });

    it("asks for the actions the registry checks: pull to read, pull and push to write, delete to delete", () => {
        assert.deepStrictEqual(
            ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"].map((m) => actionsFor(m).join(",")),
            ["pull", "pull", "pull,push", "pull,push", "pull,push", "delete"],
        );
    });
});

describe("windowsPlatformOf", () => {
    let stub: RegistryStub;
    afterEach(() => stub.close());

    it("takes the windows/amd64 entry with the highest os.version from an index, whatever its place", async () => {
        stub = await startRegistryStub();
        const images = ["10.0.17763.6893", "10.0.26100.2605", "10.0.20348.2849"].map((v) =>
            putWindowsImage(stub, repository, v),
        );
        const linux = { ...images[0], digest: digestOf("linux"), platform: { os: "linux", architecture: "amd64" } };
        const arm = {
            ...images[0],
            digest: digestOf("arm"),
            platform: { os: "windows", architecture: "arm64", "os.version": "10.0.99999.1" },
        };
        const manifests = [
            linux,
            arm,
            ...images.map((image) => ({
                mediaType: image.mediaType,
                digest: image.digest,
                size: image.size,
                platform: { os: "windows", architecture: "amd64", "os.version": image.osVersion },
            })),
        ];
        const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests }));
        await new RegistryClient(stub.host).putManifest(repository, "multi", index, indexType);
        const platform = await windowsPlatformOf(new RegistryClient(stub.host), {
            registry: stub.host,
            repository,
            tag: "multi",
        });
        assert.deepStrictEqual([platform.manifestDigest, platform.osVersion], [images[1].digest, "10.0.26100.2605"]);
    });
});

describe("the registry client through a faulty proxy", () => {
    let stub: RegistryStub;
    let proxy: FaultProxy;
    let waits: number[];
    let retries: RetryEvent[];

    async function start(script: FaultScript, options: StubOptions = {}) {
        stub = await startRegistryStub(options);
        proxy = await startFaultProxy(stub.host, script);
    }
    afterEach(async () => {
        await proxy?.close();
        await stub?.close();
    });
    function client(credentials?: RegistryCredentials, options: RegistryClientOptions = {}) {
        waits = [];
        retries = [];
        return new RegistryClient(proxy.host, credentials, {
            ...options,
            retry: { sleep: async (ms) => void waits.push(ms), ...options.retry },
            onRetry: (event) => retries.push(event),
        });
    }
    const manifests = (r: { path: string }) => r.path.includes("/manifests/");

    it("reads through intermittent 503s, backing off within the bounds", async () => {
        await start(firstMatching(2, { status: 503 }, manifests));
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        const read = await client().getManifest(repository, image.digest);
        assert.strictEqual(read.digest, image.digest);
        assert.strictEqual(proxy.received.length, 3);
        assert.strictEqual(waits.length, 2);
        assert.ok(waits[0] >= 250 && waits[0] <= 500, `first wait ${waits[0]}`);
        assert.ok(waits[1] >= 500 && waits[1] <= 1000, `second wait ${waits[1]}`);
        assert.match(retries[0].reason, /HTTP 503/);
        assert.deepStrictEqual([retries[0].attempt, retries[0].attempts], [1, 5]);
    });

    it("waits what a 429's Retry-After says, in seconds or as a date", async () => {
        const date = new Date(Date.now() + 30000).toUTCString();
        let n = 0;
        await start((r) =>
            manifests(r) && n++ < 2 ? { status: 429, headers: { "Retry-After": n === 1 ? "7" : date } } : undefined,
        );
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        await client().getManifest(repository, image.digest);
        assert.strictEqual(waits[0], 7000);
        assert.ok(waits[1] > 25000 && waits[1] <= 30000, `waited ${waits[1]}`);
    });

    it("fails at once when Retry-After asks for more than the client waits, saying so", async () => {
        await start(() => ({
            status: 429,
            headers: { "Retry-After": "3600" },
            body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"rate limit"}]}',
        }));
        await assert.rejects(
            client().getManifest(repository, "latest"),
            /reading the manifest failed: HTTP 429 TOOMANYREQUESTS: rate limit \(asked to retry after 3600\)/,
        );
        assert.strictEqual(proxy.received.length, 1);
    });

    it("gives up after five attempts, with the registry's last answer", async () => {
        await start(() => ({ status: 503, body: '{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}' }));
        await assert.rejects(
            client().getManifest(repository, "latest"),
            /reading the manifest failed: HTTP 503 UNAVAILABLE: try later/,
        );
        assert.strictEqual(proxy.received.length, 5);
        assert.strictEqual(waits.length, 4);
        assert.ok(waits.reduce((a, b) => a + b) <= 7500);
    });

    for (const status of [400, 403, 404, 405]) {
        it(`never retries HTTP ${status}`, async () => {
            await start(() => ({ status }));
            await assert.rejects(client().getManifest(repository, "latest"), new RegExp(`HTTP ${status}`));
            assert.strictEqual(proxy.received.length, 1);
        });
    }

    it("retries a connection dropped before the answer and one cut halfway through the answer", async () => {
        let n = 0;
        await start((r) => (manifests(r) && n < 2 ? { drop: n++ === 0 ? "before" : "after" } : undefined));
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        const read = await client().getManifest(repository, image.digest);
        assert.strictEqual(read.digest, digestOf(read.body));
        assert.strictEqual(proxy.received.length, 3);
        assert.match(retries.map((r) => r.reason).join("\n"), /the connection failed/);
    });

    it("gives up on a stalled request after the attempt's timeout and tries again", async () => {
        await start(firstMatching(1, { stall: "before" }, manifests));
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        await client(undefined, { retry: { timeoutMs: 300 } }).getManifest(repository, image.digest);
        assert.match(retries[0].reason, /no answer within 300 ms/);
    });

    it("does not retry a refused connection: the address is wrong", async () => {
        await start(() => undefined);
        const closed = proxy.host;
        await proxy.close();
        const offline = new RegistryClient(closed, undefined, { retry: { sleep: async () => assert.fail("waited") } });
        await assert.rejects(offline.getManifest(repository, "latest"), /ECONNREFUSED/);
    });

    it("writes a manifest once even when the answer to the PUT is lost: the retry finds it written", async () => {
        await start(firstMatching(1, { drop: "after" }, (r) => r.method === "PUT"));
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: [image] }));
        const digest = await client().putManifest(repository, "index", body, indexType);
        assert.strictEqual(digest, digestOf(body));
        assert.strictEqual(stub.tags.get(`${repository}:index`), digest);
        assert.deepStrictEqual(
            proxy.writes().map((r) => `${r.method} ${r.path}`),
            [`PUT /v2/${repository}/manifests/index`],
        );
    });

    it("writes nothing when the tag already holds the same bytes (a rerun), and rewrites a tag that moved", async () => {
        await start(() => undefined);
        const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: [] }));
        const registry = client();
        await registry.putManifest(repository, "index", body, indexType);
        await registry.putManifest(repository, "index", body, indexType);
        assert.strictEqual(proxy.writes().length, 1);
        const other = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: [], x: 1 }));
        await registry.putManifest(repository, "index", other, indexType);
        assert.strictEqual(proxy.writes().length, 2);
        assert.strictEqual(stub.tags.get(`${repository}:index`), digestOf(other));
    });

    it("never sends a write again that the registry refused (403): one PUT, no wait", async () => {
        await start((r) =>
            r.method === "PUT" ? { status: 403, body: '{"errors":[{"code":"DENIED","message":"no"}]}' } : undefined,
        );
        const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: [] }));
        await assert.rejects(client().putManifest(repository, "index", body, indexType), /HTTP 403 DENIED: no/);
        assert.strictEqual(proxy.received.filter((r) => r.method === "PUT").length, 1);
        assert.deepStrictEqual(waits, []);
    });

    it("counts a manifest already gone as deleted, also when the answer to its DELETE was lost", async () => {
        await start(firstMatching(1, { drop: "after" }, (r) => r.method === "DELETE"));
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        const registry = client();
        await registry.deleteManifest(repository, image.digest);
        assert.ok(!stub.manifests.has(`${repository}@${image.digest}`));
        assert.deepStrictEqual(
            proxy.forwarded.filter((r) => r.method === "DELETE").map((r) => r.status),
            [202, 404],
            "sent again after the lost answer, and found gone",
        );
        await registry.deleteManifest(repository, image.digest);
    });

    it("restarts a blob upload whose closing PUT failed with a new session, and uploads a blob it holds no more", async () => {
        await start(firstMatching(1, { drop: "before" }, (r) => r.method === "PUT"));
        const data = crypto.randomBytes(1000);
        const digest = digestOf(data);
        const registry = client();
        await registry.uploadBlob(repository, digest, data);
        assert.deepStrictEqual(stub.blobs.get(`${repository}@${digest}`), data);
        const sessions = proxy.received.filter((r) => r.method === "POST").length;
        assert.strictEqual(sessions, 2, "a second session after the first failed");
        assert.strictEqual(proxy.writes().filter((r) => r.method === "PUT").length, 1);
        await registry.uploadBlob(repository, digest, data);
        assert.strictEqual(proxy.received.filter((r) => r.method === "POST").length, sessions, "already there");
        assert.strictEqual(await registry.hasBlob(repository, digest), true);
    });

    it("finds the upload done when the answer to its closing PUT is lost", async () => {
        await start(firstMatching(1, { drop: "after" }, (r) => r.method === "PUT"));
        const data = crypto.randomBytes(100);
        await client().uploadBlob(repository, digestOf(data), data);
        assert.strictEqual(proxy.writes().filter((r) => r.method === "PUT").length, 1);
        assert.strictEqual(proxy.received.filter((r) => r.method === "POST").length, 1);
    });

    it("reads a Windows platform through a registry failing one request in three", async () => {
        await start(every(3, { status: 503 }));
        const image = putWindowsImage(stub, repository, "10.0.20348.2849", ["win32k"]);
        const platform = await windowsPlatformOf(client(), { registry: proxy.host, repository, digest: image.digest });
        assert.deepStrictEqual([platform.osVersion, platform.osFeatures], ["10.0.20348.2849", ["win32k"]]);
        assert.ok(proxy.injected.length >= 1);
    });
});

describe("the registry client's authentication, against token auth with scopes", () => {
    let stub: RegistryStub;
    let proxy: FaultProxy | undefined;
    afterEach(async () => {
        await proxy?.close();
        proxy = undefined;
        await stub.close();
    });
    const users = {
        ci: { password: "ci-secret", actions: ["pull", "push", "delete"] },
        pusher: { password: "push-secret", actions: ["pull", "push"] },
        reader: { password: "read-secret", actions: ["pull"] },
    };
    const login = (username: keyof typeof users) => ({ username, password: users[username].password });
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: [] }));

    it("asks for pull to read, pull and push to write, delete to delete, and each is granted", async () => {
        stub = await startRegistryStub({ tokenAuth: { users } });
        const registry = new RegistryClient(stub.host, login("ci"));
        const digest = await registry.putManifest(repository, "index", index, indexType);
        await registry.getManifest(repository, digest);
        await registry.deleteManifest(repository, digest);
        assert.ok(!stub.manifests.has(`${repository}@${digest}`));
        assert.deepStrictEqual(
            stub.issued.map((t) => t.granted[repository].join(",")),
            ["pull", "pull,push", "delete"],
        );
    });

    it("is refused a manifest PUT with a pull-only token, naming the scope the registry wants", async () => {
        stub = await startRegistryStub({ tokenAuth: { users } });
        await assert.rejects(
            new RegistryClient(stub.host, login("reader")).putManifest(repository, "index", index, indexType),
            /writing the manifest failed: HTTP 401 UNAUTHORIZED: authentication required \(insufficient_scope: the registry wants repository:samples\/api:pull,push\)/,
        );
        assert.strictEqual(stub.tags.size, 0);
    });

    it("is refused a DELETE by a user without delete, saying so, after asking for delete", async () => {
        stub = await startRegistryStub({ tokenAuth: { users } });
        const digest = await new RegistryClient(stub.host, login("ci")).putManifest(repository, "i", index, indexType);
        await assert.rejects(
            new RegistryClient(stub.host, login("pusher")).deleteManifest(repository, digest),
            /deleting the manifest failed: HTTP 401 UNAUTHORIZED.*insufficient_scope: the registry wants repository:samples\/api:delete/,
        );
        assert.deepStrictEqual(stub.issued.at(-1)?.scopes, [`repository:${repository}:delete`]);
        assert.ok(stub.manifests.has(`${repository}@${digest}`));
    });

    it("gets one fresh token when a cached one has expired, and does not loop when the fresh one is refused too", async () => {
        stub = await startRegistryStub({ tokenAuth: { users } });
        const registry = new RegistryClient(stub.host, login("ci"));
        const digest = await registry.putManifest(repository, "index", index, indexType);
        const issuedBefore = stub.issued.length;
        stub.expireTokens();
        await registry.getManifest(repository, digest);
        assert.strictEqual(stub.issued.length, issuedBefore + 1, "one new token");
        const [requests, tokens] = [stub.requests.length, stub.issued.length];
        stub.expireTokens();
        stub.expireNewTokens = true;
        await assert.rejects(registry.getManifest(repository, digest), /HTTP 401.*invalid_token/);
        assert.strictEqual(stub.issued.length - tokens, 1, "one renewal");
        assert.strictEqual(stub.requests.length - requests, 3, "manifest, token, manifest");
    });

    it("re-authenticates once after a 401 the proxy answers for an expired token", async () => {
        stub = await startRegistryStub({ tokenAuth: { users } });
        proxy = await startFaultProxy(stub.host);
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        const registry = new RegistryClient(proxy.host, login("ci"));
        await registry.getManifest(repository, image.digest);
        const challenge = `Bearer realm="http://${stub.host}/token",service="stub",error="invalid_token"`;
        proxy.script = firstMatching(1, { status: 401, headers: { "WWW-Authenticate": challenge } }, (r) =>
            Boolean(r.authorization),
        );
        await registry.getManifest(repository, image.digest);
        assert.strictEqual(stub.issued.length, 2);
    });

    it("uses the challenge's own scope too", async () => {
        stub = await startRegistryStub({ tokenAuth: { users } });
        const registry = new RegistryClient(stub.host, login("ci"));
        await registry.request(repository, "manifests/latest", { actions: ["pull"], method: "DELETE" });
        assert.deepStrictEqual(stub.issued[0].scopes, [
            `repository:${repository}:delete`,
            `repository:${repository}:pull`,
        ]);
    });

    it("sends a token request with the credentials and the registry request without them", async () => {
        stub = await startRegistryStub({ tokenAuth: { users } });
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        await new RegistryClient(stub.host, login("reader")).getManifest(repository, image.digest);
        const basic = `Basic ${Buffer.from("reader:read-secret").toString("base64")}`;
        assert.deepStrictEqual(
            stub.requests.map((r) => [r.path.split("?")[0], r.authorization?.split(" ")[0]]),
            [
                [`/v2/${repository}/manifests/${image.digest}`, undefined],
                ["/token", "Basic"],
                [`/v2/${repository}/manifests/${image.digest}`, "Bearer"],
            ],
        );
        assert.strictEqual(stub.requests[1].authorization, basic);
    });

    it("answers Basic challenges with the credentials", async () => {
        stub = await startRegistryStub({ user: login("ci") });
        const image = putWindowsImage(stub, repository, "10.0.20348.2849");
        await new RegistryClient(stub.host, login("ci")).getManifest(repository, image.digest);
        await assert.rejects(
            new RegistryClient(stub.host, login("reader")).getManifest(repository, image.digest),
            /HTTP 401 UNAUTHORIZED/,
        );
    });
});
