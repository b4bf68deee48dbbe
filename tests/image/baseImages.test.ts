// Base images pinned by digest: a monthly update under the same tag rebuilds and rolls out, and nothing else does.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { foreignRequests, lookedUp, privateRegistries, registryImage, registryImages } from "../support/fakeRegistry";
import * as mocks from "../support/mocks";

const base = "mcr.microsoft.com/windows/nanoserver:ltsc2022";
const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

interface Rendered {
    dockerfile: string;
    tag: string;
    imageRef: string;
    baseImageDigest?: string;
    windowsOsVersion?: string;
    lookups: string[];
}

/** Declares the image as a run would, with the registry holding `base` at `digest` (a patch level). */
async function render(
    args: Partial<GoWindowsImageArgs> = {},
    published?: { digest: string; osVersion: string },
): Promise<Rendered> {
    mocks.setupMocks();
    if (published) registryImages.set(base, published);
    const image = new GoWindowsImage("api", { context: "app", registry: { server: "localhost:5000" }, ...args });
    const result = {
        dockerfile: await mocks.valueOf(image.dockerfile),
        tag: await mocks.valueOf(image.tag),
        imageRef: await mocks.valueOf(image.imageRef),
        baseImageDigest: await mocks.valueOf(image.baseImageDigest),
        windowsOsVersion: await mocks.valueOf(image.windowsOsVersion),
    };
    await mocks.settle();
    const lookups = lookedUp();
    return { ...result, lookups };
}

describe("base images pinned by digest", () => {
    const march = { digest: digest(1), osVersion: "10.0.20348.2340" };
    const april = { digest: digest(2), osVersion: "10.0.20348.2402" };

    it("looks up the base and the builder and builds FROM their digests", async () => {
        const r = await render({}, march);
        assert.deepStrictEqual(r.lookups.sort(), ["golang:1.23", base]);
        assert.match(r.dockerfile, new RegExp(`^FROM ${base}@${march.digest}$`, "m"));
        assert.match(r.dockerfile, /^FROM --platform=\$BUILDPLATFORM golang:1\.23@sha256:[a-f0-9]{64} AS build$/m);
        assert.strictEqual(r.baseImageDigest, march.digest);
        assert.strictEqual(r.windowsOsVersion, march.osVersion, "the patch level, from the registry");
    });

    it("rebuilds and rolls out when the base's tag moves to a patched image, and changes nothing otherwise", async () => {
        const before = await render({}, march);
        const same = await render({}, march);
        assert.deepStrictEqual(
            [same.dockerfile, same.tag, same.imageRef],
            [before.dockerfile, before.tag, before.imageRef],
        );
        const patched = await render({}, april);
        assert.notStrictEqual(patched.dockerfile, before.dockerfile);
        assert.notStrictEqual(patched.tag, before.tag);
        assert.notStrictEqual(patched.imageRef, before.imageRef);
        assert.strictEqual(patched.windowsOsVersion, april.osVersion);
    });

    it("uses a digest pinned by hand as given, without a lookup", async () => {
        const pinned = `registry.example.com/mirror/nanoserver:ltsc2022@${digest(3)}`;
        const r = await render({ baseImageRef: pinned }, april);
        assert.match(r.dockerfile, new RegExp(`^FROM ${pinned.replace(/[./]/g, "\\$&")}$`, "m"));
        assert.deepStrictEqual(r.lookups, ["golang:1.23"]);
        assert.strictEqual(r.baseImageDigest, digest(3));
    });

    it("keeps tags as they are with trackBaseImages off", async () => {
        const r = await render({ trackBaseImages: false }, april);
        assert.match(r.dockerfile, new RegExp(`^FROM ${base}$`, "m"));
        assert.deepStrictEqual(r.lookups, []);
        assert.strictEqual(r.baseImageDigest, undefined);
    });

    it("refuses a malformed digest given by hand, naming the argument", () => {
        mocks.setupMocks();
        assert.throws(
            () =>
                new GoWindowsImage("api", {
                    context: "app",
                    registry: { server: "localhost:5000" },
                    baseImageRef: `${base}@sha256:abc`,
                }),
            (e: unknown) => pulumi.ResourceError.isInstance(e) && /`baseImageRef`/.test((e as Error).message),
        );
    });

    it("refuses a digest the registry reports that is not a SHA-256 digest, naming the argument", async () => {
        mocks.setupMocks();
        registryImages.set(base, { digest: "md5:0123" });
        const image = new GoWindowsImage("api", { context: "app", registry: { server: "localhost:5000" } });
        const failure = await (image.dockerfile as unknown as { promise(): Promise<string> }).promise().then(
            () => "",
            (e: Error) => e.message,
        );
        assert.match(failure, /"md5:0123".*`baseImageRef`/);
    });
});

describe("base images in private registries", () => {
    const ecrHost = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    const basic = (username: string, password: string) =>
        `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    const push = { username: "ci", password: mocks.fakeCredentials.registryPassword };

    /** The first failure of the image's Dockerfile output, or "". */
    const failureOf = (image: GoWindowsImage) =>
        (image.dockerfile as unknown as { promise(): Promise<string> }).promise().then(
            () => "",
            (e: Error) => e.message,
        );

    it("never sends the push registry's credentials to another registry, nor to its token endpoint", async () => {
        mocks.setupMocks();
        const image = new GoWindowsImage("api", {
            context: "app",
            registry: { server: "registry.example.com", ...push },
        });
        await mocks.valueOf(image.dockerfile);
        await mocks.valueOf(image.windowsOsVersion);
        await mocks.settle();
        // Docker Hub (the builder) challenges every request; Microsoft's registry (the base) answers anonymously.
        assert.ok(foreignRequests.some((r) => r.url.startsWith("https://auth.docker.io/token")));
        assert.ok(foreignRequests.some((r) => r.url.startsWith("https://mcr.microsoft.com/")));
        for (const r of foreignRequests)
            assert.ok(
                r.authorization === undefined || r.authorization === "Bearer token-of-registry-1.docker.io",
                `${r.url} received ${r.authorization}`,
            );
    });

    it("pins Microsoft's base in a preview on ACR, which asks for no token: only the push registry's images wait for one", async () => {
        mocks.setupMocks(true);
        const image = new GoWindowsImage("api", { context: "app", acr: { resourceGroupName: "rg" } });
        const { value, known } = await mocks.settled(image.baseImage);
        assert.ok(known, "known in the preview");
        assert.match(String(value), /^mcr\.microsoft\.com\/windows\/nanoserver:ltsc2022@sha256:[a-f0-9]{64}$/);
        assert.deepStrictEqual(mocks.acrExchanges, []);
        await mocks.settle();
    });

    it("looks up a base in the push registry (an ECR pull-through cache) with the push credentials", async () => {
        mocks.setupMocks();
        privateRegistries.set(ecrHost, {
            username: "AWS",
            password: mocks.fakeCredentials.ecrPassword,
            scheme: "basic",
        });
        const cached = `${ecrHost}/mcr/windows/nanoserver:ltsc2022`;
        const image = new GoWindowsImage("api", { context: "app", ecr: {}, baseImageRef: cached });
        assert.match(
            await mocks.valueOf(image.dockerfile),
            new RegExp(`^FROM ${cached}@${registryImage(cached).digest}$`, "m"),
        );
        assert.strictEqual(await mocks.valueOf(image.windowsOsVersion), "10.0.20348.2849");
        // Read with the push credentials, which are secret; neither a build number nor a digest is.
        assert.strictEqual(await pulumi.isSecret(image.windowsOsVersion), false);
        assert.strictEqual(await pulumi.isSecret(image.baseImage), false);
        await mocks.settle();
        const sent = foreignRequests.filter((r) => r.url.startsWith(`https://${ecrHost}/`)).map((r) => r.authorization);
        assert.ok(sent.includes(basic("AWS", mocks.fakeCredentials.ecrPassword)));
        assert.ok(!foreignRequests.some((r) => !r.url.includes(ecrHost) && r.authorization?.startsWith("Basic")));
    });

    it("sends an ECR of another account its own credentials, never the push registry's", async () => {
        mocks.setupMocks();
        const other = "999999999999.dkr.ecr.us-east-1.amazonaws.com";
        privateRegistries.set(other, { username: "AWS", password: "other-account-token", scheme: "basic" });
        const cached = `${other}/mcr/windows/nanoserver:ltsc2022`;
        const image = new GoWindowsImage("api", {
            context: "app",
            ecr: {},
            baseImageRef: cached,
            baseImageRegistries: [{ address: other, username: "AWS", password: "other-account-token" }],
        });
        assert.match(await mocks.valueOf(image.dockerfile), new RegExp(`^FROM ${cached}@sha256:[a-f0-9]{64}$`, "m"));
        await mocks.settle();
        const sent = foreignRequests.filter((r) => r.url.includes(other)).map((r) => r.authorization);
        assert.ok(sent.includes(basic("AWS", "other-account-token")));
        assert.ok(!sent.includes(basic("AWS", mocks.fakeCredentials.ecrPassword)), "not the push registry's");
    });

    it("sends an ECR of another account no credentials when none are given for it", async () => {
        mocks.setupMocks();
        const other = "999999999999.dkr.ecr.us-east-1.amazonaws.com";
        // ECR answers with a Basic challenge: a client holding the wrong credentials would send them now.
        privateRegistries.set(other, { username: "AWS", password: "other-account-token", scheme: "basic" });
        const image = new GoWindowsImage("api", {
            context: "app",
            ecr: {},
            baseImageRef: `${other}/mcr/windows/nanoserver:ltsc2022`,
        });
        assert.match(
            await failureOf(image),
            /HTTP 401\. If 999999999999\.dkr\.ecr.* give its credentials in `baseImageRegistries`/,
        );
        await mocks.settle();
        const sent = foreignRequests.filter((r) => r.url.includes(other)).map((r) => r.authorization);
        assert.ok(sent.length > 0 && sent.every((a) => a === undefined), `it received ${sent.join(", ")}`);
    });

    for (const scheme of ["basic", "bearer"] as const) {
        it(`looks up a base in a private mirror (${scheme}) with the credentials given for it, and only there`, async () => {
            mocks.setupMocks();
            privateRegistries.set("mirror.example.com", { username: "reader", password: "mirror-secret", scheme });
            const mirrored = "mirror.example.com/windows/nanoserver:ltsc2022";
            const image = new GoWindowsImage("api", {
                context: "app",
                registry: { server: "registry.example.com", ...push },
                baseImageRef: mirrored,
                baseImageRegistries: [{ address: "mirror.example.com", username: "reader", password: "mirror-secret" }],
            });
            const pinned = `${mirrored}@${registryImage(mirrored).digest}`;
            assert.match(await mocks.valueOf(image.dockerfile), new RegExp(`^FROM ${pinned}$`, "m"));
            assert.strictEqual(await mocks.valueOf(image.baseImage), pinned);
            assert.strictEqual(await pulumi.isSecret(image.baseImage), false, "a digest is no secret");
            assert.strictEqual(await mocks.valueOf(image.windowsOsVersion), "10.0.20348.2849");
            await mocks.settle();
            const mirrorLogin = basic("reader", "mirror-secret");
            const toMirror = foreignRequests.filter((r) => r.url.includes("mirror.example.com"));
            assert.ok(toMirror.some((r) => r.authorization === mirrorLogin || r.authorization?.startsWith("Bearer")));
            for (const r of foreignRequests.filter((r) => !r.url.includes("mirror.example.com")))
                assert.notStrictEqual(r.authorization, mirrorLogin, `${r.url} received the mirror's credentials`);
            const build = mocks.resources.find((r) => r.type === "docker-build:index:Image");
            assert.deepStrictEqual(mocks.unwrapSecrets(build?.inputs.registries), [
                { address: "registry.example.com", ...push },
                { address: "mirror.example.com", username: "reader", password: "mirror-secret" },
            ]);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });
    }

    it("fails naming the argument and the registry's answer when a private mirror gets no credentials", async () => {
        mocks.setupMocks();
        privateRegistries.set("mirror.example.com", { username: "reader", password: "mirror-secret", scheme: "basic" });
        const image = new GoWindowsImage("api", {
            context: "app",
            registry: { server: "registry.example.com" },
            baseImageRef: "mirror.example.com/windows/nanoserver:ltsc2022",
        });
        assert.match(
            await failureOf(image),
            /digest of mirror.example.com\/windows\/nanoserver:ltsc2022 \(`baseImageRef`\) failed: .*HTTP 401\. If mirror.example.com is private, give its credentials in `baseImageRegistries`/,
        );
        await mocks.settle();
    });

    it("outputs the base's Windows build as a plain value, for one image and for each release", async () => {
        mocks.setupMocks();
        const one = new GoWindowsImage("one", {
            context: "app",
            registry: { server: "registry.example.com", ...push },
        });
        const many = new GoWindowsImage("many", {
            context: "app",
            registry: { server: "registry.example.com", ...push },
            windowsVersions: ["ltsc2019", "ltsc2022"],
        });
        assert.strictEqual(await mocks.valueOf(one.windowsOsVersion), "10.0.20348.2849");
        assert.strictEqual(await pulumi.isSecret(one.windowsOsVersion), false);
        assert.strictEqual(await pulumi.isSecret(many.windowsOsVersion), false);
        assert.strictEqual(await pulumi.isSecret(many.releases), false);
        await mocks.settle();
    });
});
