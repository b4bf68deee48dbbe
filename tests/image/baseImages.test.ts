// Base images pinned by digest: a monthly update under the same tag rebuilds and rolls out, and nothing else does.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { registryImages } from "../support/fakeRegistry";
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
    const lookups = mocks.calls
        .filter((c) => c.token === "docker:index/getRegistryImage:getRegistryImage")
        .map((c) => String(c.inputs.name));
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
