// The configuration and manifest of an image made of a base and one layer: what they keep of the base, what they add.
import * as assert from "assert";
import { imageConfiguration, RuntimeSettings } from "../../components/assembly/imageConfig";
import { dockerFamily, imageManifest, ociFamily, parseManifest } from "../../components/assembly/imageManifest";

const baseConfig = {
    architecture: "amd64",
    os: "windows",
    "os.version": "10.0.20348.2849",
    "os.features": ["win32k"],
    created: "2024-11-05T12:00:00Z",
    config: { Env: null, Cmd: ["c:\\windows\\system32\\cmd.exe"], User: "ContainerUser", Labels: { vendor: "ms" } },
    container_config: { Cmd: ["the base's own build"] },
    rootfs: { type: "layers", diff_ids: ["sha256:" + "1".repeat(64)] },
    history: [{ created: "2024-11-05T12:00:00Z", created_by: "Apply image 10.0.20348.2849" }],
};
const settings: RuntimeSettings = {
    env: [
        ["PORT", "8080"],
        ["GREETING", 'say "hi" $HOME'],
    ],
    exposedPorts: ["8080/tcp"],
    user: "ContainerUser",
    healthcheck: {
        test: ["CMD", "C:\\app\\hello.exe", "healthcheck"],
        intervalSeconds: 30,
        timeoutSeconds: 5,
        startPeriodSeconds: 10,
        retries: 3,
    },
    entrypoint: ["C:\\app\\hello.exe"],
    labels: { "org.opencontainers.image.version": "1.2.3" },
};
const diffId = "sha256:" + "2".repeat(64);
const configOf = (base: object, s: RuntimeSettings = settings) =>
    JSON.parse(imageConfiguration(Buffer.from(JSON.stringify(base)), diffId, s, "the layer").toString("utf8"));

describe("imageConfiguration", () => {
    it("keeps the base's platform and appends the layer's diff id and one history entry", () => {
        const c = configOf(baseConfig);
        assert.deepStrictEqual(
            [c.os, c.architecture, c["os.version"], c["os.features"]],
            ["windows", "amd64", "10.0.20348.2849", ["win32k"]],
        );
        assert.deepStrictEqual(c.rootfs, { type: "layers", diff_ids: [baseConfig.rootfs.diff_ids[0], diffId] });
        assert.deepStrictEqual(c.history, [
            baseConfig.history[0],
            { created: "1970-01-01T00:00:00Z", created_by: "the layer" },
        ]);
        assert.strictEqual(c.created, "1970-01-01T00:00:00Z");
        assert.strictEqual(c.container_config, undefined);
    });

    it("applies the settings as a Dockerfile would: ENTRYPOINT clears the base's CMD, no PATH", () => {
        const c = configOf(baseConfig).config;
        assert.deepStrictEqual(c, {
            Env: ["PORT=8080", 'GREETING=say "hi" $HOME'],
            User: "ContainerUser",
            Labels: { vendor: "ms", "org.opencontainers.image.version": "1.2.3" },
            ExposedPorts: { "8080/tcp": {} },
            Healthcheck: {
                Test: ["CMD", "C:\\app\\hello.exe", "healthcheck"],
                Interval: 30e9,
                Timeout: 5e9,
                StartPeriod: 10e9,
                Retries: 3,
            },
            Entrypoint: ["C:\\app\\hello.exe"],
        });
    });

    it("replaces a variable the base has, whatever its case, keeps the rest, and sets CMD when given", () => {
        const base = { ...baseConfig, config: { Env: ["port=1", "KEEP=yes"], ExposedPorts: { "1/udp": {} } } };
        const c = configOf(base, { ...settings, cmd: ["serve", "--fast"], workingDir: "C:\\app" }).config;
        assert.deepStrictEqual(c.Env, ["PORT=8080", "KEEP=yes", 'GREETING=say "hi" $HOME']);
        assert.deepStrictEqual(c.ExposedPorts, { "1/udp": {}, "8080/tcp": {} });
        assert.deepStrictEqual(c.Cmd, ["serve", "--fast"]);
        assert.strictEqual(c.WorkingDir, "C:\\app");
    });

    it("sets USER over the base's", () => {
        const base = { ...baseConfig, config: { ...baseConfig.config, User: "ContainerAdministrator" } };
        assert.strictEqual(configOf(base).config.User, "ContainerUser");
    });

    it("gives the same bytes for the same base, layer and settings", () => {
        const bytes = () => imageConfiguration(Buffer.from(JSON.stringify(baseConfig)), diffId, settings, "x");
        assert.deepStrictEqual(bytes(), bytes());
    });

    it("refuses a Linux base and a configuration without diff ids", () => {
        assert.throws(() => configOf({ ...baseConfig, os: "linux" }), /a linux image, not a Windows one/);
        assert.throws(() => configOf({ ...baseConfig, rootfs: {} }), /no rootfs.diff_ids/);
    });
});

const layer = { digest: "sha256:" + "3".repeat(64), size: 1234 };
const config = { digest: "sha256:" + "4".repeat(64), size: 567 };
function baseManifest(family: typeof ociFamily, layers: object[]) {
    return Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: family.manifest,
            config: { mediaType: family.config, digest: "sha256:" + "5".repeat(64), size: 100 },
            layers,
        }),
    );
}

describe("imageManifest", () => {
    for (const family of [ociFamily, dockerFamily]) {
        it(`keeps the base's family of media types (${family.manifest})`, () => {
            const baseLayer = { mediaType: family.gzipLayer, digest: "sha256:" + "6".repeat(64), size: 99 };
            const base = parseManifest(baseManifest(family, [baseLayer]));
            const written = imageManifest(base, config, layer);
            assert.strictEqual(written.mediaType, family.manifest);
            assert.deepStrictEqual(JSON.parse(written.body.toString()), {
                schemaVersion: 2,
                mediaType: family.manifest,
                config: { mediaType: family.config, ...config },
                layers: [baseLayer, { mediaType: family.gzipLayer, ...layer }],
            });
        });
    }

    it("lists a foreign base layer in its distributable form, without URLs, since it is copied too", () => {
        const foreign = {
            mediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            digest: "sha256:" + "7".repeat(64),
            size: 100,
            urls: ["https://go.microsoft.com/fwlink/?linkid=1"],
        };
        const written = imageManifest(parseManifest(baseManifest(dockerFamily, [foreign])), config, layer);
        assert.deepStrictEqual(JSON.parse(written.body.toString()).layers[0], {
            mediaType: dockerFamily.gzipLayer,
            digest: foreign.digest,
            size: 100,
        });
    });

    it("takes the media type from the registry's Content-Type when the document has none", () => {
        const body = JSON.parse(baseManifest(ociFamily, []).toString());
        delete body.mediaType;
        assert.strictEqual(
            parseManifest(Buffer.from(JSON.stringify(body)), ociFamily.manifest).mediaType,
            ociFamily.manifest,
        );
    });

    it("refuses an index and a schema 1 manifest as a base", () => {
        const index = Buffer.from(
            JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] }),
        );
        assert.throws(() => parseManifest(index), /not an OCI or Docker image manifest/);
        const v1 = Buffer.from(JSON.stringify({ schemaVersion: 1, mediaType: dockerFamily.manifest, layers: [] }));
        assert.throws(() => parseManifest(v1), /schemaVersion 2/);
    });
});
