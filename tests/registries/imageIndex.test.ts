// ImageIndex: the index's bytes, the provider's check, diff, create, update, read and delete (against a registry in
// memory), the provider as Pulumi serializes it, and the resource under the mocks (secrets, retained on delete).
import * as assert from "assert";
import * as vm from "vm";
import * as pulumi from "@pulumi/pulumi";
import { ImageIndex, ImageIndexEntry, ImageIndexOutputs, buildImageIndex, imageIndexProvider } from "../../components";
import { digestOf } from "../../components/registries/distribution";
import * as mocks from "../support/mocks";
import { captureWarnings } from "../support/warnings";
import { RegistryStub, putWindowsImage, startRegistryStub } from "../support/registryStub";

const manifestType = "application/vnd.oci.image.manifest.v1+json";
const entry = (osVersion: string | undefined, digestSeed: string, more: Partial<ImageIndexEntry> = {}) =>
    ({
        digest: digestOf(digestSeed),
        mediaType: manifestType,
        size: 527,
        os: "windows",
        architecture: "amd64",
        osVersion,
        ...more,
    }) as ImageIndexEntry;
const e2019 = entry("10.0.17763.6893", "2019");
const e2022 = entry("10.0.20348.2849", "2022", { osFeatures: ["win32k"] });
const e2025 = entry("10.0.26100.2605", "2025");

/** The lines `fn` logs. */
const logged = async (fn: () => Promise<unknown>) => (await captureWarnings(fn)).lines;

describe("buildImageIndex", () => {
    it("writes an OCI index listing each image with os, architecture, os.version and os.features", () => {
        const index = buildImageIndex([e2019, e2022, e2025]);
        const document = JSON.parse(index.body.toString("utf8"));
        assert.strictEqual(document.mediaType, "application/vnd.oci.image.index.v1+json");
        assert.strictEqual(document.schemaVersion, 2);
        assert.deepStrictEqual(document.manifests[1], {
            mediaType: manifestType,
            digest: e2022.digest,
            size: 527,
            platform: {
                architecture: "amd64",
                os: "windows",
                "os.version": "10.0.20348.2849",
                "os.features": ["win32k"],
            },
        });
        assert.strictEqual(index.digest, digestOf(index.body));
    });

    it("lists the newest build first, and gives the same bytes whatever the order given", () => {
        const index = buildImageIndex([e2019, e2022, e2025]);
        const versions = JSON.parse(index.body.toString("utf8")).manifests.map(
            (m: { platform: { "os.version": string } }) => m.platform["os.version"],
        );
        assert.deepStrictEqual(versions, ["10.0.26100.2605", "10.0.20348.2849", "10.0.17763.6893"]);
        assert.deepStrictEqual(buildImageIndex([e2022, e2025, e2019]).body, index.body);
        const features = buildImageIndex([{ ...e2025, osFeatures: ["win32k", "alpha"] }]).body.toString();
        assert.deepStrictEqual(JSON.parse(features).manifests[0].platform["os.features"], ["alpha", "win32k"]);
        assert.strictEqual(JSON.stringify(index.body.toString()).includes("os.features"), true);
        assert.ok(!JSON.parse(index.body.toString()).manifests[0].platform["os.features"], "none where none given");
    });

    const refusals: [string, ImageIndexEntry[], string, RegExp][] = [
        [
            "an entry without os.version",
            [e2022, entry(undefined, "x")],
            "entries[1].osVersion",
            /every host|whatever its own release/,
        ],
        [
            "two entries with the same os.version",
            [e2022, entry("10.0.20348.2849", "y")],
            "entries[1].osVersion",
            /the same os.version/,
        ],
        [
            "two revisions of one build",
            [e2022, entry("10.0.20348.3000", "y")],
            "entries[1].osVersion",
            /build 10.0.20348 too/,
        ],
        ["a malformed os.version", [entry("20348", "x")], "entries[0].osVersion", /10.0.20348.2849/],
        ["a Linux image", [entry("10.0.20348.1", "x", { os: "linux" })], "entries[0].os", /windows/],
        ["an arm64 image", [entry("10.0.20348.1", "x", { architecture: "arm64" })], "entries[0].architecture", /amd64/],
        [
            "an index as an entry",
            [entry("10.0.20348.1", "x", { mediaType: "application/vnd.oci.image.index.v1+json" })],
            "entries[0].mediaType",
            /image manifest/,
        ],
        [
            "a short digest",
            [entry("10.0.20348.1", "x", { digest: "sha256:abc" })],
            "entries[0].digest",
            /64 hex digits/,
        ],
        ["a size of 0", [entry("10.0.20348.1", "x", { size: 0 })], "entries[0].size", /above 0/],
        ["no entries", [], "entries", /at least one/],
    ];
    for (const [what, entries, argument, message] of refusals) {
        it(`refuses ${what}, naming \`${argument}\``, () => {
            assert.throws(
                () => buildImageIndex(entries),
                (e: Error & { argument?: string }) =>
                    e.argument === argument && e.message.includes(`\`${argument}\``) && message.test(e.message),
            );
        });
    }
});

describe("the ImageIndex provider's check and diff", () => {
    const inputs = { registry: "localhost:5000", repository: "samples/api", tag: "index", entries: [e2019, e2022] };
    const written: ImageIndexOutputs = {
        ...inputs,
        username: "ci",
        password: "old",
        digest: buildImageIndex(inputs.entries).digest,
        ref: "x",
    };
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    it("reports each problem of the known inputs, naming the property", async () => {
        const bad = {
            ...inputs,
            registry: "https://localhost",
            entries: [e2019, entry(undefined, "x")],
            username: "ci",
        };
        const { failures } = await imageIndexProvider.check({} as never, bad);
        assert.deepStrictEqual(
            failures.map((f) => f.property),
            ["registry", "password", "entries[1].osVersion"],
        );
    });

    it("checks nothing a preview does not know yet", async () => {
        const { failures } = await imageIndexProvider.check({} as never, {
            ...inputs,
            registry: unknown,
            entries: [e2019, { ...e2022, digest: unknown }],
        });
        assert.deepStrictEqual(failures, []);
    });

    const diffs: [string, object, boolean, string[]][] = [
        ["nothing", {}, false, []],
        ["the entries' order", { entries: [e2022, e2019] }, false, []],
        ["the password and user only", { username: "AWS", password: "new" }, false, []],
        ["an entry", { entries: [e2019, e2025] }, true, []],
        ["an entry not known yet", { entries: unknown }, true, []],
        ["the tag", { tag: "index-2" }, true, []],
        ["the registry", { registry: "localhost:5001" }, true, ["registry"]],
        ["the repository", { repository: "samples/other" }, true, ["repository"]],
    ];
    for (const [what, change, changes, replaces] of diffs) {
        it(`${changes ? (replaces.length ? "replaces" : "updates") : "keeps"} the index on a change of ${what}`, async () => {
            const diff = await imageIndexProvider.diff("id", written, { ...inputs, ...change } as never);
            assert.deepStrictEqual([diff.changes, diff.replaces], [changes, replaces]);
        });
    }
});

describe("the ImageIndex provider against a registry", () => {
    let stub: RegistryStub;
    const user = { username: "ci", password: mocks.fakeCredentials.registryPassword };
    const repository = "samples/api";
    afterEach(() => stub.close());

    async function written(options = {}) {
        stub = await startRegistryStub({ user, ...options });
        const entries = [
            putWindowsImage(stub, repository, "10.0.17763.6893"),
            putWindowsImage(stub, repository, "10.0.20348.2849", ["win32k"]),
        ];
        const inputs = { registry: stub.host, repository, tag: "index", entries, ...user };
        return { inputs, created: await imageIndexProvider.create(inputs) };
    }

    it("writes the index under its tag and pins it by digest", async () => {
        const { inputs, created } = await written();
        const outs = created.outs;
        assert.strictEqual(stub.tags.get(`${repository}:index`), outs.digest);
        assert.strictEqual(outs.ref, `${stub.host}/${repository}@${outs.digest}`);
        assert.strictEqual(outs.digest, buildImageIndex(inputs.entries).digest);
        assert.strictEqual(
            stub.manifests.get(`${repository}@${outs.digest}`)?.mediaType,
            "application/vnd.oci.image.index.v1+json",
        );
    });

    it("refuses an entry whose manifest is not in the repository, naming it", async () => {
        stub = await startRegistryStub();
        const entries = [putWindowsImage(stub, "samples/other", "10.0.20348.2849")];
        await assert.rejects(
            imageIndexProvider.create({ registry: stub.host, repository, tag: "index", entries }),
            /`entries\[0\]` \(sha256:[0-9a-f]{64}, os.version 10.0.20348.2849\) is not in 127.0.0.1:\d+\/samples\/api/,
        );
        assert.strictEqual(stub.tags.size, 0, "nothing written");
    });

    it("refuses an entry whose os.version is not its image's", async () => {
        stub = await startRegistryStub();
        const image = putWindowsImage(stub, repository, "10.0.17763.6893");
        await assert.rejects(
            imageIndexProvider.create({
                registry: stub.host,
                repository,
                tag: "i",
                entries: [{ ...image, osVersion: "10.0.20348.1" }],
            }),
            /`entries\[0\]`.*does not describe the manifest.*10.0.17763.6893/,
        );
    });

    it("rewrites the index on update, keeping the old one for hosts that pinned it", async () => {
        const { inputs, created } = await written();
        const entries = [...inputs.entries, putWindowsImage(stub, repository, "10.0.26100.2605")];
        const { outs } = await imageIndexProvider.update("id", created.outs, { ...inputs, entries });
        assert.notStrictEqual(outs.digest, created.outs.digest);
        assert.strictEqual(stub.tags.get(`${repository}:index`), outs.digest);
        assert.ok(stub.manifests.has(`${repository}@${created.outs.digest}`));
    });

    it("deletes the index manifest by digest", async () => {
        const { created } = await written();
        const lines = await logged(() => imageIndexProvider.delete("id", created.outs));
        assert.deepStrictEqual(lines, []);
        assert.deepStrictEqual(
            stub.requests
                .filter((r) => r.method === "DELETE")
                .map((r) => r.path)
                .at(-1),
            `/v2/${repository}/manifests/${created.outs.digest}`,
        );
        assert.ok(!stub.manifests.has(`${repository}@${created.outs.digest}`));
    });

    it("counts a registry that refuses deletes (405) as done, with a log line", async () => {
        const { created } = await written({ deletes: "refused" });
        const lines = await logged(() => imageIndexProvider.delete("id", created.outs));
        assert.match(
            lines.join("\n"),
            /does not delete manifests \(HTTP 405 UNSUPPORTED: The operation is unsupported.\); .* stays there/,
        );
    });

    it("counts stored credentials that expired (refused, or no token) as done, with the command that cleans up", async () => {
        const { created } = await written();
        const expired = { ...created.outs, password: "expired-token" };
        assert.match(
            (await logged(() => imageIndexProvider.delete("id", expired))).join(),
            /refused to delete it \(HTTP 401 UNAUTHORIZED: authentication required\); .* stays there: delete it with `crane delete/,
        );
        await stub.close();
        stub = await startRegistryStub({ refuseTokens: true });
        const noToken = { ...created.outs, registry: stub.host };
        assert.match(
            (await logged(() => imageIndexProvider.delete("id", noToken))).join(),
            /the token endpoint http:\/\/127.0.0.1:\d+\/token refused the stored credentials a token to delete \(HTTP 401\); .*crane delete/,
        );
    });

    it("fails a delete the registry fails", async () => {
        const { created } = await written({
            override: (r: { method: string }) => (r.method === "DELETE" ? 400 : undefined),
        });
        await assert.rejects(imageIndexProvider.delete("id", created.outs), /deleting .* failed: .*HTTP 400/);
    });

    it("refreshes: gone when the registry no longer has it, unchanged when it cannot tell", async () => {
        const { created } = await written();
        assert.deepStrictEqual(await imageIndexProvider.read("id", created.outs), { id: "id", props: created.outs });
        const expired = { ...created.outs, password: "expired-token" };
        let result: unknown;
        const lines = await logged(async () => (result = await imageIndexProvider.read("id", expired)));
        assert.deepStrictEqual(result, { id: "id", props: expired });
        assert.match(lines.join(), /HTTP 401.*state left unchanged/);
        stub.manifests.clear();
        assert.deepStrictEqual(await imageIndexProvider.read("id", created.outs), {});
    });
});

describe("ImageIndex under the mocks", () => {
    const args = {
        registry: pulumi.output("localhost:5000"),
        repository: "samples/api",
        tag: "index",
        entries: pulumi.output([e2019, e2022]),
        username: "ci",
        password: pulumi.output(mocks.fakeCredentials.registryPassword),
    };

    async function declared(opts?: pulumi.CustomResourceOptions) {
        mocks.setupMocks();
        const index = new ImageIndex("api-index", args, opts);
        await mocks.valueOf(index.urn);
        await mocks.settle();
        return mocks.resources[0];
    }

    it("registers a dynamic resource whose provider Pulumi serialized, with its credentials secret", async () => {
        const recorded = await declared();
        assert.strictEqual(recorded.type, "pulumi-nodejs:dynamic/go-windows-containers:ImageIndex");
        assert.match(String(recorded.inputs.__provider), /^exports\.handler = /);
        assert.deepStrictEqual(mocks.exposedCredentials(), []);
        assert.ok(!String(recorded.inputs.__provider).includes(mocks.fakeCredentials.registryPassword));
        assert.deepStrictEqual(recorded.additionalSecretOutputs, ["username", "password"]);
        assert.deepStrictEqual(mocks.unwrapSecrets(recorded.wireInputs.entries), [e2019, e2022]);
    });

    it("is kept in the registry on delete unless told otherwise", async () => {
        assert.strictEqual((await declared()).retainOnDelete, true);
        assert.strictEqual((await declared({ retainOnDelete: false })).retainOnDelete, false);
    });

    it("runs as serialized: checks, writes and deletes an index", async () => {
        const text = String((await declared()).inputs.__provider);
        const module = { exports: {} as { handler: () => typeof imageIndexProvider } };
        vm.runInThisContext(`(function (exports, require, module) {${text}\n})`)(module.exports, require, module);
        const provider = module.exports.handler();
        const { failures } = await provider.check({} as never, { ...args, entries: [entry(undefined, "x")] } as never);
        assert.match(failures[0].reason, /`entries\[0\].osVersion` is undefined; every entry needs/);
        const stub = await startRegistryStub();
        try {
            const entries = [putWindowsImage(stub, "samples/api", "10.0.20348.2849")];
            const { outs } = await provider.create({
                registry: stub.host,
                repository: "samples/api",
                tag: "index",
                entries,
            });
            assert.strictEqual(stub.tags.get("samples/api:index"), outs.digest);
            await provider.delete("id", outs);
            assert.strictEqual(stub.manifests.has(`samples/api@${outs.digest}`), false);
        } finally {
            await stub.close();
        }
    });

    it("refuses plain arguments it can check before registering anything", async () => {
        mocks.setupMocks();
        assert.throws(
            () => new ImageIndex("bad", { ...args, entries: [{ ...e2019, osVersion: "" }] }),
            (e: unknown) =>
                pulumi.ResourceError.isInstance(e) &&
                /ImageIndex "bad": `entries\[0\].osVersion` is ""/.test((e as Error).message),
        );
        await mocks.settle();
        assert.deepStrictEqual(mocks.resources, []);
    });
});
