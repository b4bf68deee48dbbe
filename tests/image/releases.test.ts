// GoWindowsImage with windowsVersions under the mocks: one image per release from one build stage, an image index of
// them read from and written to the registry stand-in, stable names as the list changes, previews, secrets, destroy.
import * as assert from "assert";
import * as crypto from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { GoWindowsImage, GoWindowsImageArgs, GoWindowsImageRelease, buildImageIndex } from "../../components";
import { hashReleaseTags, tagForHash } from "../../components/image/contextHash";
import { readReleaseEntry } from "../../components/image/releases";
import { RegistryClient } from "../../components/registries/distribution";
import { physicalName } from "../support/autonaming";
import { lookedUp, pushRegistryRequests, registryImage } from "../support/fakeRegistry";
import * as mocks from "../support/mocks";
import { sideEffectsOf } from "../support/sideEffects";

const component = "go-windows-containers:index:GoWindowsImage";
const build = "docker-build:index:Image";
const all = ["ltsc2019", "ltsc2022", "ltsc2025"];
const login = { username: "ci", password: mocks.fakeCredentials.registryPassword };
/** An existing registry with credentials: the stand-in answers only requests that carry them. */
const registry = { server: "registry.example.com", repositoryName: "samples/api", ...login };
const osVersions: Record<string, string> = {
    ltsc2019: "10.0.17763.6893",
    ltsc2022: "10.0.20348.2849",
    ltsc2025: "10.0.26100.2605",
};

/** Declares the component (under mocks set up by the caller) and waits until every child and apply settled. */
async function declare(args: Partial<GoWindowsImageArgs>, name = "api"): Promise<GoWindowsImage> {
    const image = new GoWindowsImage(name, { context: "app", registry, ...args } as GoWindowsImageArgs);
    await mocks.valueOf(image.tag);
    await mocks.settle();
    return image;
}

/** What an update declares: the component, and its recorded children by name. */
async function update(args: Partial<GoWindowsImageArgs>, stack = "test") {
    mocks.setupMocks(false, stack);
    const image = await declare(args);
    const imageRef = await mocks.valueOf(image.imageRef);
    const releases = (await mocks.valueOf(image.releases)) ?? {};
    await mocks.settle();
    const byName = new Map(mocks.resources.map((r) => [r.name, r]));
    return {
        image,
        imageRef,
        releases,
        byName,
        resources: [...mocks.resources],
        calls: [...mocks.calls],
        lookups: lookedUp(),
    };
}

const dockerfileOf = (r: mocks.RecordedResource) => (r.inputs.dockerfile as { inline: string }).inline;
type Declared = Awaited<ReturnType<typeof update>>;
const ofType = (run: Pick<Declared, "resources">, type: string) => run.resources.filter((r) => r.type === type);
const indexOf = (run: Pick<Declared, "resources">) => ofType(run, mocks.imageIndexType)[0];
/** The build stage: from its FROM to the blank line before the runtime stage. */
function buildStage(dockerfile: string): string {
    const start = dockerfile.indexOf("FROM --platform");
    return dockerfile.slice(start, dockerfile.indexOf("\n\nFROM ", start));
}
/** The digest the mocked docker-build reports for an image: a hash of its tags. */
const digestBuiltBy = (inputs: Record<string, unknown>) =>
    `sha256:${crypto.createHash("sha256").update(JSON.stringify(inputs.tags)).digest("hex")}`;

describe("GoWindowsImage with windowsVersions", () => {
    describe("for all three releases", () => {
        let declared: Declared;
        before(async () => {
            declared = await update({ windowsVersions: ["ltsc2022", "ltsc2025", "ltsc2019"], baseImage: "servercore" });
        });

        it("declares one docker-build image per release and an index, named by release, all children of the component", () => {
            const urn = `urn:pulumi:test::go-windows-containers::${component}::api`;
            assert.deepStrictEqual(
                declared.resources.map((r) => [r.type, r.name, r.parent]),
                [
                    [component, "api", ""],
                    [build, "api-ltsc2019-image", urn],
                    [build, "api-ltsc2022-image", urn],
                    [build, "api-ltsc2025-image", urn],
                    [mocks.imageIndexType, "api-index", urn],
                ],
            );
        });

        it("builds every release from the same build stage: same text, builder, context and arguments", () => {
            const images = ofType(declared, build);
            const stages = images.map((r) => buildStage(dockerfileOf(r)));
            assert.match(stages[0], /^FROM --platform=\$BUILDPLATFORM golang:1\.23@sha256:[a-f0-9]{64} AS build\n/);
            assert.match(stages[0], /go build -trimpath/);
            assert.strictEqual(new Set(stages).size, 1, "one build stage text");
            for (const key of ["context", "buildArgs", "platforms", "builder", "exports"])
                assert.strictEqual(new Set(images.map((r) => JSON.stringify(r.inputs[key]))).size, 1, key);
            assert.deepStrictEqual(
                declared.lookups.sort(),
                [
                    "golang:1.23",
                    "mcr.microsoft.com/windows/servercore:ltsc2019",
                    "mcr.microsoft.com/windows/servercore:ltsc2022",
                    "mcr.microsoft.com/windows/servercore:ltsc2025",
                ],
                "the builder is pinned once, each release's base once",
            );
        });

        it("gives each release its own base, pinned by digest, and its own content tag", () => {
            const images = ofType(declared, build);
            images.forEach((r, i) => {
                const base = `mcr.microsoft.com/windows/servercore:${all[i]}`;
                assert.match(dockerfileOf(r), new RegExp(`\\n\\nFROM ${base}@${registryImage(base).digest}\\n`));
            });
            const tags = images.map((r) => (r.inputs.tags as string[])[0]);
            assert.strictEqual(new Set(tags).size, 3);
            for (const tag of tags) assert.match(tag, /^registry\.example\.com\/samples\/api:ctx-[a-f0-9]{24}$/);
        });

        it("lists each release in the index with its build's digest and the registry's media type, size, os.version and os.features", async () => {
            const entries = mocks.unwrapSecrets(indexOf(declared).inputs.entries) as Record<string, unknown>[];
            const client = new RegistryClient(registry.server, login);
            const sizes = await Promise.all(
                entries.map(async (e) => (await client.getManifest("samples/api", String(e.digest))).body.length),
            );
            assert.deepStrictEqual(
                entries,
                ofType(declared, build).map((image, i) => ({
                    digest: digestBuiltBy(image.inputs),
                    mediaType: "application/vnd.oci.image.manifest.v1+json",
                    size: sizes[i],
                    os: "windows",
                    architecture: "amd64",
                    osVersion: osVersions[all[i]],
                    osFeatures: ["win32k"],
                })),
            );
            for (const [i, entry] of entries.entries())
                assert.strictEqual(
                    `registry.example.com/samples/api@${entry.digest}`,
                    declared.releases[all[i]].imageRef,
                );
        });

        it("writes an OCI index, newest release first, and outputs it pinned by digest", async () => {
            const client = new RegistryClient(registry.server, login);
            const digest = declared.imageRef.split("@")[1];
            assert.strictEqual(declared.imageRef, `registry.example.com/samples/api@${digest}`);
            const written = await client.getManifest("samples/api", digest);
            assert.strictEqual(written.mediaType, "application/vnd.oci.image.index.v1+json");
            const document = JSON.parse(written.body.toString("utf8"));
            assert.deepStrictEqual(
                document.manifests.map((m: { digest: string; platform: object }) => [m.digest, m.platform]),
                [...all].reverse().map((release) => [
                    declared.releases[release].imageRef.split("@")[1],
                    {
                        architecture: "amd64",
                        os: "windows",
                        "os.version": osVersions[release],
                        "os.features": ["win32k"],
                    },
                ]),
            );
            const entries = mocks.unwrapSecrets(indexOf(declared).inputs.entries) as Parameters<
                typeof buildImageIndex
            >[0];
            assert.strictEqual(digest, buildImageIndex(entries).digest);
        });

        it("tags the index from the releases' tags", async () => {
            const tags = Object.fromEntries(Object.entries(declared.releases).map(([r, v]) => [r, v.tag]));
            const tag = tagForHash(hashReleaseTags(tags));
            assert.strictEqual(await mocks.valueOf(declared.image.tag), tag);
            assert.strictEqual(indexOf(declared).inputs.tag, tag);
            assert.strictEqual(await mocks.valueOf(declared.image.contextHash), hashReleaseTags(tags));
            const client = new RegistryClient(registry.server, login);
            assert.strictEqual((await client.getManifest("samples/api", tag)).digest, declared.imageRef.split("@")[1]);
        });

        it("outputs each release's reference, tag, base and Windows build, and the newest release's as the image's", async () => {
            const image = declared.image;
            assert.deepStrictEqual(Object.keys(declared.releases), all);
            for (const release of all) {
                const r: GoWindowsImageRelease = declared.releases[release];
                const base = `mcr.microsoft.com/windows/servercore:${release}`;
                assert.match(r.imageRef, /^registry\.example\.com\/samples\/api@sha256:[a-f0-9]{64}$/);
                assert.deepStrictEqual(
                    [r.baseImage, r.baseImageDigest, r.windowsOsVersion, r.windowsBuild],
                    [
                        `${base}@${registryImage(base).digest}`,
                        registryImage(base).digest,
                        osVersions[release],
                        osVersions[release].split(".").slice(0, 3).join("."),
                    ],
                );
                assert.match(r.contextHash, /^[a-f0-9]{64}$/);
                assert.strictEqual(r.tag, tagForHash(r.contextHash));
            }
            const newest = declared.releases.ltsc2025;
            assert.deepStrictEqual(
                await Promise.all([
                    image.windowsVersion,
                    image.windowsBuild,
                    mocks.valueOf(image.dockerfile),
                    mocks.valueOf(image.baseImage),
                    mocks.valueOf(image.windowsOsVersion),
                ]),
                ["ltsc2025", newest.windowsBuild, newest.dockerfile, newest.baseImage, newest.windowsOsVersion],
            );
            assert.strictEqual(await pulumi.isSecret(image.releases), false, "nothing secret in them");
            assert.strictEqual(await pulumi.isSecret(image.imageRef), false);
        });

        it("keeps the images and the index in the registry on destroy, as one image is kept", () => {
            assert.deepStrictEqual(
                declared.resources.filter((r) => r.type !== component).map((r) => [r.name, r.retainOnDelete]),
                [
                    ["api-ltsc2019-image", true],
                    ["api-ltsc2022-image", true],
                    ["api-ltsc2025-image", true],
                    ["api-index", true],
                ],
            );
        });

        it("writes the index with the push credentials, as secrets", () => {
            const index = indexOf(declared);
            assert.deepStrictEqual(mocks.unwrapSecrets([index.inputs.username, index.inputs.password]), [
                login.username,
                login.password,
            ]);
            const wire = index.wireInputs as Record<string, Record<string, unknown>>;
            assert.strictEqual(wire.password["4dabf18193072939515e22adb298388d"], mocks.secretSignature);
            assert.deepStrictEqual(index.additionalSecretOutputs, ["username", "password"]);
            const entries = mocks.stringsIn(index.wireInputs.entries);
            assert.ok(entries.length > 0 && entries.every((e) => !e.secret), "the entries stay readable in the state");
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });
    });

    describe("as its list of releases changes", () => {
        it("renders for each release exactly the Dockerfile and tag that windowsVersion alone gives", async () => {
            const declared = await update({ windowsVersions: all, baseImage: "servercore" });
            const multi = Object.entries(declared.releases).map(([r, v]) => [r, v.dockerfile, v.tag]);
            const single: string[][] = [];
            for (const windowsVersion of all) {
                mocks.setupMocks();
                const image = await declare({ windowsVersion, baseImage: "servercore" });
                single.push([windowsVersion, await mocks.valueOf(image.dockerfile), await mocks.valueOf(image.tag)]);
            }
            assert.deepStrictEqual(multi, single);
        });

        it("keeps the names and inputs of the releases it had when one is added, removed or the list reordered", async () => {
            const two = await update({ windowsVersions: ["ltsc2019", "ltsc2022"] });
            const three = await update({ windowsVersions: ["ltsc2025", "ltsc2019", "ltsc2022"] });
            const one = await update({ windowsVersions: ["ltsc2022"] });
            const names = (run: typeof two) => run.resources.filter((r) => r.type === build).map((r) => r.name);
            assert.deepStrictEqual(names(two), ["api-ltsc2019-image", "api-ltsc2022-image"]);
            assert.deepStrictEqual(names(three), ["api-ltsc2019-image", "api-ltsc2022-image", "api-ltsc2025-image"]);
            assert.deepStrictEqual(names(one), ["api-ltsc2022-image"]);
            const same = (a: typeof two, b: typeof two, name: string) =>
                assert.deepStrictEqual(a.byName.get(name)?.inputs, b.byName.get(name)?.inputs, name);
            for (const name of ["api-ltsc2019-image", "api-ltsc2022-image"]) same(two, three, name);
            same(two, one, "api-ltsc2022-image");
            assert.deepStrictEqual(two.releases.ltsc2022, three.releases.ltsc2022);
            const tags = [two, three, one].map((run) => run.byName.get("api-index")?.inputs.tag);
            assert.strictEqual(new Set(tags).size, 3, "the index tag follows its releases");
            const again = await update({ windowsVersions: ["ltsc2022", "ltsc2019"] });
            assert.deepStrictEqual(again.byName.get("api-index")?.inputs, two.byName.get("api-index")?.inputs);
            assert.strictEqual(again.imageRef, two.imageRef, "the same images give the same index");
        });

        it("changes the index tag when a release is removed, though each remaining release's tag stays", async () => {
            const three = await update({ windowsVersions: all });
            const two = await update({ windowsVersions: ["ltsc2022", "ltsc2025"] });
            const tagsOf = (run: Declared) => [run.releases.ltsc2022.tag, run.releases.ltsc2025.tag];
            assert.deepStrictEqual(tagsOf(two), tagsOf(three), "the remaining releases' tags are the same");
            assert.notStrictEqual(
                two.byName.get("api-index")?.inputs.tag,
                three.byName.get("api-index")?.inputs.tag,
                "another set of releases, another index tag",
            );
        });

        it("hashes the index tag from each release's name and tag, in no particular order", () => {
            const both = hashReleaseTags({ ltsc2022: "ctx-a", ltsc2025: "ctx-b" });
            assert.strictEqual(hashReleaseTags({ ltsc2025: "ctx-b", ltsc2022: "ctx-a" }), both);
            assert.notStrictEqual(hashReleaseTags({ ltsc2025: "ctx-b" }), both, "a release removed");
            assert.notStrictEqual(hashReleaseTags({ ltsc2022: "ctx-a" }), both, "the other removed");
            assert.notStrictEqual(hashReleaseTags({ ltsc2019: "ctx-a", ltsc2025: "ctx-b" }), both, "a release renamed");
            assert.notStrictEqual(hashReleaseTags({ ltsc2022: "ctx-b", ltsc2025: "ctx-a" }), both, "tags swapped");
        });

        it("builds an index of one release: its digest is not the image's", async () => {
            const one = await update({ windowsVersions: ["ltsc2019"] });
            assert.notStrictEqual(one.imageRef, one.releases.ltsc2019.imageRef);
            assert.strictEqual((mocks.unwrapSecrets(one.byName.get("api-index")?.inputs.entries) as []).length, 1);
        });

        it("leaves one image of windowsVersion as it was: no index, no release outputs", async () => {
            const single = await update({ windowsVersion: "ltsc2022" });
            assert.deepStrictEqual(
                single.resources.map((r) => [r.type, r.name]),
                [
                    [component, "api"],
                    [build, "api-image"],
                ],
            );
            assert.strictEqual(await mocks.valueOf(single.image.releases), undefined);
        });
    });

    describe("with each kind of registry", () => {
        it("reads and writes an ECR repository with the run's ECR token, fetched once", async () => {
            const run = await update({ registry: undefined, ecr: {}, windowsVersions: ["ltsc2019", "ltsc2022"] });
            const repositoryUrl = await mocks.valueOf(run.image.repositoryUrl);
            const [host, repository] = [repositoryUrl.split("/")[0], repositoryUrl.split("/")[1]];
            const index = indexOf(run);
            assert.deepStrictEqual(
                mocks.unwrapSecrets([
                    index.inputs.registry,
                    index.inputs.repository,
                    index.inputs.username,
                    index.inputs.password,
                ]),
                [host, repository, "AWS", mocks.fakeCredentials.ecrPassword],
            );
            assert.strictEqual(run.imageRef.split("@")[0], repositoryUrl);
            assert.strictEqual(
                mocks.calls.filter((c) => c.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken").length,
                1,
            );
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });

        it("reads and writes an ACR with one token exchange", async () => {
            const acr = { resourceGroupName: "rg", registryName: "contosoapps" };
            const run = await update({ registry: undefined, acr, windowsVersions: ["ltsc2019", "ltsc2022"] });
            assert.strictEqual(mocks.acrExchanges.length, 1);
            const index = indexOf(run);
            assert.deepStrictEqual(mocks.unwrapSecrets([index.inputs.username, index.inputs.password]), [
                "00000000-0000-0000-0000-000000000000",
                mocks.fakeCredentials.acrRefreshToken,
            ]);
            assert.match(run.imageRef, /^contosoapps\.azurecr\.io\/api@sha256:[a-f0-9]{64}$/);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });

        it("reads and writes a registry without credentials anonymously", async () => {
            const run = await update({ registry: { server: "localhost:5000" }, windowsVersions: ["ltsc2022"] });
            const index = indexOf(run);
            assert.deepStrictEqual([index.inputs.username, index.inputs.password], [undefined, undefined]);
            assert.match(run.imageRef, /^localhost:5000\/api@sha256:[a-f0-9]{64}$/);
            assert.ok(
                pushRegistryRequests.some((r) => r.method === "PUT" && r.url.startsWith("http://localhost:5000/")),
            );
        });

        it("gives two stacks their own repository, so their indexes never meet", async () => {
            const args = { registry: undefined, ecr: {}, windowsVersions: ["ltsc2022", "ltsc2025"] };
            const dev = await update(args, "dev");
            const devNames = dev.resources.map((r) => physicalName(r.type, r.checkedInputs)).filter(Boolean);
            const prod = await update(args, "prod");
            const prodNames = prod.resources.map((r) => physicalName(r.type, r.checkedInputs)).filter(Boolean);
            assert.strictEqual(devNames.length, 1);
            assert.notDeepStrictEqual(devNames, prodNames);
            const repositories = [dev, prod].map((run) => run.byName.get("api-index")?.inputs.repository);
            assert.deepStrictEqual(repositories, [devNames[0], prodNames[0]]);
        });
    });

    describe("in a preview", () => {
        /** A preview under the mocks: docker-build reports `digest(inputs)` for each release image, as the engine would. */
        async function preview(args: Partial<GoWindowsImageArgs>, digest: (inputs: Record<string, unknown>) => string) {
            mocks.setupMocks(true, "test", (request) =>
                request.type === build ? { ...request.outputs, digest: digest(request.inputs) } : undefined,
            );
            let image: GoWindowsImage | undefined;
            const effects = await sideEffectsOf(async () => {
                image = await declare(args);
            });
            return { image: image!, effects };
        }
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const staging = path.join(process.cwd(), ".go-windows") + path.sep;
        /** How the mock monitor hands a resource an input it does not know yet. */
        const isUnknownInput = (value: unknown) => (value as { __pulumiUnknown?: boolean }).__pulumiUnknown === true;
        const isKnown = (output: pulumi.Output<unknown>) =>
            (output as unknown as { isKnown: Promise<boolean> }).isKnown;

        it("of a first deploy declares the same children, writes nothing, and knows neither imageRef nor releases", async () => {
            const acr = { resourceGroupName: "rg", registryName: "contosoapps" };
            const { image, effects } = await preview({ registry: undefined, acr, windowsVersions: all }, () => unknown);
            assert.deepStrictEqual(
                mocks.resources.map((r) => r.name),
                ["api", "apiregistry", "api-ltsc2019-image", "api-ltsc2022-image", "api-ltsc2025-image", "api-index"],
            );
            assert.deepStrictEqual(
                effects.filter((e) => !e.split(" ")[1].startsWith(staging)),
                [],
            );
            assert.deepStrictEqual(pushRegistryRequests, [], "no registry read or write");
            assert.deepStrictEqual(mocks.acrExchanges, [], "no token for a push that will not happen");
            assert.strictEqual(await isKnown(image.imageRef), false);
            assert.strictEqual(await isKnown(image.releases), false);
            assert.match(await mocks.valueOf(image.tag), /^ctx-[a-f0-9]{24}$/, "the index tag is known");
            assert.strictEqual(mocks.ofType(build)[0].inputs.buildOnPreview, false);
            assert.ok(isUnknownInput(indexOf(mocks).inputs.entries));
        });

        it("of unchanged images reads the registry but writes nothing, and the index shows no unknown entry", async () => {
            const args = { windowsVersions: ["ltsc2019", "ltsc2022"] };
            // docker-build reports the digest its state holds; the registry holds what the last update pushed.
            const { image } = await preview(args, (inputs) => {
                mocks.recordPushes(inputs, digestBuiltBy(inputs));
                return digestBuiltBy(inputs);
            });
            await mocks.valueOf(image.releases);
            await mocks.settle();
            assert.deepStrictEqual([...new Set(pushRegistryRequests.map((r) => r.method))], ["GET"]);
            const entries = mocks.unwrapSecrets(indexOf(mocks).inputs.entries) as { osVersion: string }[];
            assert.deepStrictEqual(
                entries.map((e) => e.osVersion),
                [osVersions.ltsc2019, osVersions.ltsc2022],
            );
            assert.strictEqual(await isKnown(image.imageRef), false, "the index's digest is the update's to give");
        });

        it("of unchanged images on ACR asks for no token, so it reads nothing and shows the entries unknown", async () => {
            const acr = { resourceGroupName: "rg", registryName: "contosoapps" };
            const { image } = await preview({ registry: undefined, acr, windowsVersions: ["ltsc2022"] }, (inputs) => {
                mocks.recordPushes(inputs, digestBuiltBy(inputs));
                return digestBuiltBy(inputs);
            });
            await mocks.valueOf(image.tag);
            await mocks.settle();
            assert.deepStrictEqual(mocks.acrExchanges, [], "no token exchange in a preview");
            assert.deepStrictEqual(pushRegistryRequests, [], "no registry read");
            assert.ok(isUnknownInput(indexOf(mocks).inputs.entries), "unknown in a preview");
        });

        it("of images it cannot read yet shows the index's entries unknown", async () => {
            const { image } = await preview({ windowsVersions: ["ltsc2022"] }, () => `sha256:${"c".repeat(64)}`);
            assert.strictEqual(await isKnown(image.imageRef), false);
            assert.strictEqual(await isKnown(image.releases), true, "the release's own reference is known");
            await mocks.settle();
            assert.ok(isUnknownInput(indexOf(mocks).inputs.entries), "unknown in a preview");
        });
    });

    describe("readReleaseEntry", () => {
        const ref = `registry.example.com/samples/api@sha256:${"c".repeat(64)}`;
        it("reads an image as the index lists it", async () => {
            const run = await update({ windowsVersions: ["ltsc2022"] });
            const entry = await readReleaseEntry("c", "ltsc2022", run.releases.ltsc2022.imageRef, login, false);
            assert.deepStrictEqual([entry], mocks.unwrapSecrets(indexOf(run).inputs.entries));
        });

        it("fails an update naming the component, the release and the image; gives a preview nothing", async () => {
            mocks.setupMocks();
            await assert.rejects(
                readReleaseEntry('GoWindowsImage "api"', "ltsc2022", ref, login, false),
                /^Error: GoWindowsImage "api": reading the ltsc2022 image registry\.example\.com\/samples\/api@sha256:c{64}: .*HTTP 404/,
            );
            assert.strictEqual(await readReleaseEntry("c", "ltsc2022", ref, login, true), undefined);
        });
    });

    describe("validation", () => {
        const refusals: [string, Partial<GoWindowsImageArgs>, RegExp][] = [
            [
                "both windowsVersion and windowsVersions",
                { windowsVersion: "ltsc2022", windowsVersions: ["ltsc2022"] },
                /`windowsVersions` is \["ltsc2022"\]; .*give exactly one of them/,
            ],
            ["an empty list", { windowsVersions: [] }, /`windowsVersions` is \[\]; it must be a non-empty list/],
            ["a release listed twice", { windowsVersions: ["ltsc2022", "ltsc2022"] }, /listed once/],
            [
                "the native strategy",
                { strategy: "native", windowsVersions: all },
                /only the `cross` and `daemonless` strategies/,
            ],
            [
                "one base for every release",
                { windowsVersions: all, baseImageRef: "mirror.example.com/nanoserver:1" },
                /`baseImageRef` .* `baseImageRefs`/,
            ],
        ];
        for (const [what, args, message] of refusals) {
            it(`refuses ${what} before any child is created`, async () => {
                mocks.setupMocks();
                assert.throws(
                    () => new GoWindowsImage("api", { context: "app", registry, ...args } as GoWindowsImageArgs),
                    (e: unknown) => pulumi.ResourceError.isInstance(e) && message.test((e as Error).message),
                );
                await mocks.settle();
                assert.deepStrictEqual(
                    mocks.resources.map((r) => r.type),
                    [component],
                );
            });
        }
    });
});
