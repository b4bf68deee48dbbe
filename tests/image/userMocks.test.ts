// GoWindowsImage under a user's own plain `pulumi.runtime.setMocks`: it reaches no registry, uses its base and
// builder by tag, makes its outputs of what the mocks report (undefined where they report nothing), and still refuses
// a digest that is not one. The project's other tests run under the engine face of tests/support/engineMonitor.ts.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { runningWithMocks } from "../../components/core";
import { outputValues } from "../support/components";
import { installMonitor } from "../support/engineMonitor";
import * as mocks from "../support/mocks";

const digestA = `sha256:${"a".repeat(64)}`;
const digestB = `sha256:${"b".repeat(64)}`;

/** What a user's test records: the resources its mocks saw, and every request that tried to reach the network. */
interface PlainRun {
    readonly declared: pulumi.runtime.MockResourceArgs[];
    readonly requests: string[];
}

/**
 * Plain mocks as Pulumi's guide writes them: each resource's inputs as its state, plus what `extra` adds (what a
 * user's mocks choose to report); calls answered with their inputs. The network is refused and every request noted.
 */
function plainMocks(
    extra: (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown> = () => ({}),
    preview = false,
): PlainRun {
    const run: PlainRun = { declared: [], requests: [] };
    globalThis.fetch = (async (url: string | URL | Request) => {
        run.requests.push(String(url instanceof Request ? url.url : url));
        throw new Error("a unit test reaches no network");
    }) as typeof fetch;
    void pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                run.declared.push(args);
                return { id: `${args.name}_id`, state: { ...args.inputs, ...extra(args) } };
            },
            call: (args) => args.inputs,
        },
        "project",
        "stack",
        preview,
    );
    return run;
}

/** The inputs of the one docker-build image the mocks saw. */
function dockerBuildInputs(run: PlainRun): Record<string, unknown> {
    const images = run.declared.filter((r) => r.type === "docker-build:index:Image");
    assert.strictEqual(images.length, 1);
    return images[0].inputs as Record<string, unknown>;
}

describe("GoWindowsImage under a user's plain mocks", () => {
    const realFetch = globalThis.fetch;
    after(() => {
        globalThis.fetch = realFetch;
    });

    it("tells the user's mocks from the project's engine face", () => {
        plainMocks();
        assert.strictEqual(runningWithMocks(), true);
        mocks.setupMocks();
        assert.strictEqual(runningWithMocks(), false);
    });

    it("knows mocks installed through another copy of @pulumi/pulumi (a linked package), whose MockMonitor is not ours", () => {
        plainMocks();
        const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
        installMonitor({ mocks: monitor.mocks });
        assert.strictEqual(runningWithMocks(), true);
        installMonitor({ mocks: {} });
        assert.strictEqual(runningWithMocks(), false);
    });

    describe("that report nothing but the inputs", () => {
        // The registry kinds, and the repository URL each gives when the mocks report only inputs.
        for (const [kind, registry, repositoryUrl] of [
            ["ECR", { ecr: {} }, undefined],
            ["a named ECR repository", { ecr: { repositoryName: "team/app" } }, undefined],
            ["a new ACR", { acr: { resourceGroupName: "rg" } }, undefined],
            ["an existing registry", { registry: { server: "registry.example.com" } }, "registry.example.com/app"],
        ] as [string, Partial<GoWindowsImageArgs>, string | undefined][]) {
            it(`on ${kind}: reaches no registry, builds FROM the tags as given, and resolves what it cannot know as undefined`, async () => {
                const run = plainMocks();
                const outputs = await outputValues(new GoWindowsImage("app", { context: "app", ...registry }));
                assert.deepStrictEqual(run.requests, []);
                assert.strictEqual(outputs.repositoryUrl, repositoryUrl);
                assert.strictEqual(outputs.registryServer, repositoryUrl?.split("/")[0]);
                // What destroy keeps names the repository, so it is there only when the repository is known.
                if (repositoryUrl)
                    assert.match(String(outputs.retainedOnDestroy), new RegExp(`^Images pushed to ${repositoryUrl} `));
                else assert.strictEqual(outputs.retainedOnDestroy, undefined);
                assert.strictEqual(outputs.baseImage, "mcr.microsoft.com/windows/nanoserver:ltsc2022");
                assert.strictEqual(outputs.baseImageDigest, undefined);
                assert.strictEqual(outputs.windowsOsVersion, undefined);
                assert.strictEqual(outputs.imageRef, undefined);
                const dockerfile = String(outputs.dockerfile);
                assert.match(dockerfile, /^FROM --platform=\$BUILDPLATFORM golang:1\.23 AS build$/m);
                assert.match(dockerfile, /^FROM mcr\.microsoft\.com\/windows\/nanoserver:ltsc2022$/m);
                // The tag is a hash of the Dockerfile, so the same program gives the same tag in every test run.
                assert.match(String(outputs.tag), /^ctx-[0-9a-f]{24}$/);
            });
        }

        it("on ACR: exchanges no Azure AD token, and pushes with no password", async () => {
            const run = plainMocks();
            await outputValues(new GoWindowsImage("app", { context: "app", acr: { resourceGroupName: "rg" } }));
            assert.deepStrictEqual(run.requests, []);
            const registries = mocks.unwrapSecrets(dockerBuildInputs(run).registries) as { password?: string }[];
            // Serialized, an undefined password arrives as null.
            assert.deepStrictEqual(
                registries.map((r) => r.password ?? "none"),
                ["none"],
            );
        });

        it("keeps a base given by digest", async () => {
            plainMocks();
            const base = `mcr.microsoft.com/windows/nanoserver:ltsc2022@${digestB}`;
            const outputs = await outputValues(
                new GoWindowsImage("app", { context: "app", ecr: {}, baseImageRef: base }),
            );
            assert.strictEqual(outputs.baseImage, base);
            assert.strictEqual(outputs.baseImageDigest, digestB);
        });

        it("in a preview, renders its Dockerfile and tag without reaching a registry", async () => {
            // Outputs the mocks leave out are unknown in a preview (the SDK's rule): only what needs none resolves.
            const run = plainMocks(undefined, true);
            const image = new GoWindowsImage("app", { context: "app", ecr: {} });
            const [dockerfile, tag] = await Promise.all([mocks.valueOf(image.dockerfile), mocks.valueOf(image.tag)]);
            assert.match(dockerfile, /^FROM mcr\.microsoft\.com\/windows\/nanoserver:ltsc2022$/m);
            assert.match(tag, /^ctx-[0-9a-f]{24}$/);
            assert.deepStrictEqual(run.requests, []);
        });
    });

    describe("that report what the providers would", () => {
        const url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app-repo";
        const reporting = (digest: string) => (args: pulumi.runtime.MockResourceArgs) => {
            if (args.type === "aws:ecr/repository:Repository") return { repositoryUrl: url };
            if (args.type === "docker-build:index:Image") return { digest };
            if (args.type === "azure-native:containerregistry:Registry") return { loginServer: "contoso.azurecr.io" };
            return {};
        };

        it("pins imageRef to the digest the mocks report, in the repository they report", async () => {
            const run = plainMocks(reporting(digestA));
            const outputs = await outputValues(new GoWindowsImage("app", { context: "app", ecr: {} }));
            assert.strictEqual(outputs.imageRef, `${url}@${digestA}`);
            assert.strictEqual(outputs.repositoryUrl, url);
            assert.strictEqual(outputs.registryServer, "123456789012.dkr.ecr.us-east-1.amazonaws.com");
            assert.deepStrictEqual(dockerBuildInputs(run).tags, [`${url}:${String(outputs.tag)}`]);
            assert.deepStrictEqual(run.requests, []);
        });

        it("pushes to the login server the mocks report for ACR", async () => {
            plainMocks(reporting(digestA));
            const outputs = await outputValues(
                new GoWindowsImage("app", { context: "app", acr: { resourceGroupName: "rg" } }),
            );
            assert.strictEqual(outputs.registryServer, "contoso.azurecr.io");
            assert.strictEqual(outputs.repositoryUrl, "contoso.azurecr.io/app");
            assert.strictEqual(outputs.imageRef, `contoso.azurecr.io/app@${digestA}`);
        });

        it("still refuses a build digest that is not a SHA-256 digest", async () => {
            plainMocks(reporting("latest"));
            const image = new GoWindowsImage("app", { context: "app", ecr: {} });
            const internals = image.imageRef as unknown as { promise(): Promise<unknown> };
            await assert.rejects(internals.promise(), /reported no image digest \(got "latest"\)/);
        });
    });

    describe("with strategy daemonless", () => {
        const registry = { server: "registry.example.com" };
        const reporting = (pushed: Record<string, object>) => (args: pulumi.runtime.MockResourceArgs) =>
            args.type === mocks.daemonlessImageType ? { pushed } : {};

        it("reaches no registry, writes on the base's tag, and pins imageRef to the digest the mocks report", async () => {
            const pushed = { tag: "t", digest: digestA, mediaType: "m", size: 1, baseManifest: digestB };
            const run = plainMocks(reporting({ ltsc2022: pushed }));
            const outputs = await outputValues(
                new GoWindowsImage("app", { context: "app", registry, strategy: "daemonless" }),
            );
            assert.deepStrictEqual(run.requests, []);
            assert.strictEqual(outputs.imageRef, `registry.example.com/app@${digestA}`);
            const image = run.declared.filter((r) => r.type === mocks.daemonlessImageType);
            assert.deepStrictEqual(
                image.map((r) => (r.inputs as { images: { base: string }[] }).images.map((i) => i.base)),
                [["mcr.microsoft.com/windows/nanoserver:ltsc2022"]],
            );
        });

        it("for several releases, leaves out of the index what the mocks do not report, and reaches no registry", async () => {
            const run = plainMocks();
            const outputs = await outputValues(
                new GoWindowsImage("app", {
                    context: "app",
                    registry,
                    strategy: "daemonless",
                    windowsVersions: ["ltsc2019", "ltsc2022"],
                }),
            );
            assert.deepStrictEqual(run.requests, []);
            assert.strictEqual(outputs.imageRef, undefined);
            const index = run.declared.filter((r) => r.type.endsWith("ImageIndex"));
            // Serialized, an undefined entry arrives as null: the index's check shows the user what is missing.
            assert.deepStrictEqual(
                index.map((r) => (r.inputs as { entries: unknown[] }).entries),
                [[null, null]],
            );
        });
    });

    describe("under the project's engine face, as under an engine", () => {
        it("refuses an update whose build reports no digest", async () => {
            mocks.setupMocks(false, "test", (request) =>
                request.type === "docker-build:index:Image" ? { ...request.outputs, digest: undefined } : undefined,
            );
            const image = new GoWindowsImage("app", { context: "app", ecr: {} });
            const internals = image.imageRef as unknown as { promise(): Promise<unknown> };
            await assert.rejects(internals.promise(), /reported no image digest/);
        });
    });
});
