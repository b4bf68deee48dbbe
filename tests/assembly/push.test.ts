// pushWindowsImage against registry doubles that behave as distribution does (token auth with scopes, upload sessions,
// mounts, manifests that must name held blobs) and as ECR differs (no mounts, PATCH answered 201), with faults.
import * as assert from "assert";
import { deterministicGzip, pushWindowsImage, sha256Digest, windowsLayerTar } from "../../components/assembly";
import type { PushRequest, RuntimeSettings } from "../../components/assembly";
import { dockerFamily, ociFamily } from "../../components/assembly/imageManifest";
import { RegistryClient } from "../../components/registries/distribution";
import { FaultProxy, firstMatching, startFaultProxy } from "../support/faultProxy";
import { RegistryStub, StubOptions, startRegistryStub } from "../support/registryStub";

const runtime: RuntimeSettings = {
    env: [["PORT", "8080"]],
    exposedPorts: ["8080/tcp"],
    user: "ContainerUser",
    entrypoint: ["C:\\app\\hello.exe"],
    labels: { "org.opencontainers.image.version": "1.2.3" },
};
const user = { username: "ci", password: "secret-password" };
const tokenAuth = { users: { ci: { password: user.password, actions: ["pull", "push"] } }, anonymous: ["pull"] };

/** A Windows base image put into a stub: its layers (real gzip of real tars), configuration and manifest. */
async function putBase(
    stub: RegistryStub,
    repository: string,
    options: { family?: typeof ociFamily; foreign?: boolean; index?: boolean; osVersion?: string } = {},
) {
    const family = options.family ?? ociFamily;
    const tar = await windowsLayerTar([{ path: "Windows/System32/base.txt", content: Buffer.alloc(300000, 7) }]);
    const layer = deterministicGzip(tar);
    const config = Buffer.from(
        JSON.stringify({
            architecture: "amd64",
            os: "windows",
            "os.version": options.osVersion ?? "10.0.20348.2849",
            config: { Env: null, User: "ContainerUser" },
            rootfs: { type: "layers", diff_ids: [sha256Digest(tar)] },
            history: [{ created_by: "Apply image" }],
        }),
    );
    const layerType = options.foreign ? Object.keys(family.foreignLayers)[0] : family.gzipLayer;
    const manifest = Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: family.manifest,
            config: { mediaType: family.config, digest: sha256Digest(config), size: config.length },
            layers: [
                {
                    mediaType: layerType,
                    digest: sha256Digest(layer),
                    size: layer.length,
                    ...(options.foreign ? { urls: ["https://example.invalid/layer"] } : {}),
                },
            ],
        }),
    );
    stub.blobs.set(`${repository}@${sha256Digest(layer)}`, layer);
    stub.blobs.set(`${repository}@${sha256Digest(config)}`, config);
    stub.manifests.set(`${repository}@${sha256Digest(manifest)}`, { mediaType: family.manifest, body: manifest });
    let reference = sha256Digest(manifest);
    if (options.index) {
        const index = Buffer.from(
            JSON.stringify({
                schemaVersion: 2,
                mediaType: "application/vnd.oci.image.index.v1+json",
                manifests: [
                    {
                        mediaType: family.manifest,
                        digest: sha256Digest(manifest),
                        size: manifest.length,
                        platform: { os: "windows", architecture: "amd64", "os.version": "10.0.20348.2849" },
                    },
                ],
            }),
        );
        stub.manifests.set(`${repository}@${sha256Digest(index)}`, {
            mediaType: "application/vnd.oci.image.index.v1+json",
            body: index,
        });
        reference = sha256Digest(index);
    }
    stub.tags.set(`${repository}:ltsc2022`, reference);
    return { layer, config, manifest, reference };
}

async function layerBlob(text = "MZ hello") {
    const tar = await windowsLayerTar([{ path: "app/hello.exe", content: Buffer.from(text.repeat(1000)) }]);
    const blob = deterministicGzip(tar);
    return { blob, digest: sha256Digest(blob), diffId: sha256Digest(tar) };
}

/** The writes a stub was sent with a token (the first try of each, without one, is challenged). */
const writes = (stub: RegistryStub) =>
    stub.requests.filter(
        (r) => !["GET", "HEAD"].includes(r.method) && !r.path.startsWith("/token") && r.authorization !== undefined,
    );

describe("pushWindowsImage", () => {
    const stubs: RegistryStub[] = [];
    const proxies: FaultProxy[] = [];
    const start = async (options: StubOptions = {}) => {
        const stub = await startRegistryStub({ tokenAuth, ...options });
        stubs.push(stub);
        return stub;
    };
    afterEach(async () => {
        await Promise.all([...proxies.splice(0).map((p) => p.close()), ...stubs.splice(0).map((s) => s.close())]);
    });

    async function push(stub: RegistryStub, overrides: Partial<PushRequest> = {}, host = stub.host) {
        const target = new RegistryClient(host, user);
        return pushWindowsImage({
            target,
            repository: "samples/hello",
            tag: "ctx-1",
            base: { client: target, repository: "windows/nanoserver", reference: "ltsc2022" },
            layer: await layerBlob(),
            runtime,
            createdBy: "test",
            ...overrides,
        });
    }

    it("mounts the base's blobs within one registry, uploads the layer and configuration, and tags the manifest", async () => {
        const stub = await start();
        const base = await putBase(stub, "windows/nanoserver");
        const pushed = await push(stub);
        assert.strictEqual(stub.tags.get("samples/hello:ctx-1"), pushed.digest);
        const manifest = stub.manifests.get(`samples/hello@${pushed.digest}`)!;
        assert.strictEqual(pushed.digest, sha256Digest(manifest.body));
        assert.deepStrictEqual([pushed.mediaType, pushed.size], [manifest.mediaType, manifest.body.length]);
        assert.strictEqual(pushed.osVersion, "10.0.20348.2849");
        assert.ok(stub.blobs.has(`samples/hello@${sha256Digest(base.layer)}`));
        const mounts = writes(stub).filter((r) => r.path.includes("mount="));
        assert.strictEqual(mounts.length, 1);
        assert.match(mounts[0].path, /from=windows%2Fnanoserver/);
        assert.ok(!writes(stub).some((r) => r.method === "PATCH"), "no base bytes sent: it was mounted");
    });

    it("sends nothing but the manifest's check when the repository holds it all", async () => {
        const stub = await start();
        await putBase(stub, "windows/nanoserver");
        const first = await push(stub);
        stub.requests.length = 0;
        const again = await push(stub);
        assert.strictEqual(again.digest, first.digest);
        assert.deepStrictEqual(writes(stub), []);
    });

    it("streams a base blob into the session a refused mount opened (202), as ECR without blob mounting answers", async () => {
        const stub = await start({ mounts: "refused", patchStatus: 201 });
        const base = await putBase(stub, "windows/nanoserver");
        await push(stub);
        const sessions = writes(stub).filter((r) => r.method === "POST");
        assert.strictEqual(sessions.filter((r) => r.path.includes("mount=")).length, 1);
        assert.strictEqual(
            sessions.length,
            3,
            "the refused mount's session, then one for the layer and the configuration",
        );
        const patches = writes(stub).filter((r) => r.method === "PATCH");
        assert.strictEqual(patches.length, 1, "one PATCH with the whole blob, answered 201 as ECR does");
        assert.deepStrictEqual(stub.blobs.get(`samples/hello@${sha256Digest(base.layer)}`), base.layer);
    });

    it("copies a base from another registry blob by blob, reading it anonymously there", async () => {
        const target = await start();
        const source = await start({ tokenAuth: { users: {}, anonymous: ["pull"] } });
        const base = await putBase(source, "windows/servercore", { index: true, family: dockerFamily });
        const pushed = await push(target, {
            base: { client: new RegistryClient(source.host), repository: "windows/servercore", reference: "ltsc2022" },
        });
        assert.deepStrictEqual(target.blobs.get(`samples/hello@${sha256Digest(base.layer)}`), base.layer);
        assert.strictEqual(pushed.mediaType, dockerFamily.manifest, "the base's family");
        const document = JSON.parse(target.manifests.get(`samples/hello@${pushed.digest}`)!.body.toString());
        assert.deepStrictEqual(
            [document.config.mediaType, document.layers[1].mediaType],
            [dockerFamily.config, dockerFamily.gzipLayer],
        );
        assert.strictEqual(pushed.baseManifest, sha256Digest(base.manifest), "the windows/amd64 entry of its index");
        assert.deepStrictEqual(writes(source), [], "nothing written where the base is");
    });

    it("copies a foreign base layer too, and lists it in its distributable form", async () => {
        const stub = await start();
        const base = await putBase(stub, "windows/nanoserver", { foreign: true, family: dockerFamily });
        const pushed = await push(stub);
        const document = JSON.parse(stub.manifests.get(`samples/hello@${pushed.digest}`)!.body.toString());
        assert.deepStrictEqual(document.layers[0], {
            mediaType: dockerFamily.gzipLayer,
            digest: sha256Digest(base.layer),
            size: base.layer.length,
        });
    });

    it("converges through dropped connections and a 503 mid-copy, writing each blob once and nothing half", async () => {
        const stub = await start({ mounts: "refused" });
        await putBase(stub, "windows/nanoserver");
        const dropCopy = firstMatching(1, { drop: "after" }, (q) => q.method === "PATCH");
        const manifestPut = (q: { method: string; path: string }) =>
            q.method === "PUT" && q.path.includes("/manifests/");
        const failManifest = firstMatching(1, { status: 503 }, manifestPut);
        const proxy = await startFaultProxy(stub.host, (r) => dropCopy(r) ?? failManifest(r));
        proxies.push(proxy);
        const pushed = await push(stub, {}, proxy.host);
        assert.strictEqual(stub.tags.get("samples/hello:ctx-1"), pushed.digest);
        assert.ok(proxy.injected.length >= 2, JSON.stringify(proxy.injected.map((i) => i.request.method)));
        const manifest = JSON.parse(stub.manifests.get(`samples/hello@${pushed.digest}`)!.body.toString());
        for (const blob of [manifest.config, ...manifest.layers])
            assert.strictEqual(sha256Digest(stub.blobs.get(`samples/hello@${blob.digest}`)!), blob.digest);
    });

    it("is refused a manifest whose blobs the repository lacks, as a registry refuses it", async () => {
        const stub = await start();
        await putBase(stub, "windows/nanoserver");
        const target = new RegistryClient(stub.host, user);
        const body = Buffer.from(
            JSON.stringify({
                schemaVersion: 2,
                mediaType: ociFamily.manifest,
                config: { mediaType: ociFamily.config, digest: sha256Digest(Buffer.from("x")), size: 1 },
                layers: [],
            }),
        );
        await assert.rejects(
            target.putManifest("samples/hello", "t", body, ociFamily.manifest),
            /MANIFEST_BLOB_UNKNOWN/,
        );
    });

    it("fails when the registry stores the manifest under another digest than its bytes' (it rewrote them)", async () => {
        const stub = await start();
        await putBase(stub, "windows/nanoserver");
        const target = new RegistryClient(stub.host, user);
        target.putManifest = async () => `sha256:${"0".repeat(64)}`;
        await assert.rejects(
            push(stub, { target }),
            /stored samples\/hello:ctx-1 as sha256:0{64}, not sha256:[0-9a-f]{64}/,
        );
    });

    it("fails naming the base when it is not a Windows image", async () => {
        const stub = await start();
        await putBase(stub, "windows/nanoserver");
        const config = stub.blobs.get(
            [...stub.blobs.keys()].find((k) => stub.blobs.get(k)!.toString().startsWith("{"))!,
        )!;
        const linux = Buffer.from(config.toString().replace('"os":"windows"', '"os":"linux"'));
        const stubLinux = await start();
        stubLinux.blobs.set(`linux/base@${sha256Digest(linux)}`, linux);
        const manifest = Buffer.from(
            JSON.stringify({
                schemaVersion: 2,
                mediaType: ociFamily.manifest,
                config: { mediaType: ociFamily.config, digest: sha256Digest(linux), size: linux.length },
                layers: [],
            }),
        );
        stubLinux.manifests.set(`linux/base@${sha256Digest(manifest)}`, {
            mediaType: ociFamily.manifest,
            body: manifest,
        });
        const client = new RegistryClient(stubLinux.host, user);
        await assert.rejects(
            push(stubLinux, { base: { client, repository: "linux/base", reference: sha256Digest(manifest) } }),
            /linux image, not Windows/,
        );
    });
});
