// Mock tests of GoWindowsImage: exact children, inputs and outputs for each registry kind, previews and secrets.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { defaultRegistryInputs } from "../support/acr";
import * as mocks from "../support/mocks";
import { GoWindowsImage, GoWindowsImageArgs, pinnedReference } from "../../components";
import { autoNamedAs, physicalName } from "../support/autonaming";
import { lookedUp, registryImage } from "../support/fakeRegistry";
import { sampleApp, tempDir } from "../support/files";
import { sideEffectsOf } from "../support/sideEffects";

const component = "go-windows-containers:index:GoWindowsImage";
const componentUrn = (name: string) => `urn:pulumi:test::go-windows-containers::${component}::${name}`;

/** Creates the component and waits until every child and apply has settled. */
async function build(name: string, args: GoWindowsImageArgs): Promise<GoWindowsImage> {
    const image = new GoWindowsImage(name, args);
    await mocks.valueOf(image.repositoryUrl);
    await mocks.settle();
    return image;
}

function only(type: string): mocks.RecordedResource {
    const found = mocks.ofType(type);
    assert.strictEqual(found.length, 1, `one ${type}`);
    return found[0];
}

/** A copy of the sample app at a path relative to the working directory, as users pass `context`. */
function relativeCopyOfApp(): string {
    const dir = tempDir("app");
    fs.cpSync(sampleApp, dir, { recursive: true });
    return path.relative(process.cwd(), dir);
}

describe("GoWindowsImage", () => {
    describe("with ecr", () => {
        const repositoryName = autoNamedAs("aws:ecr/repository:Repository", "api-repo");
        let image: GoWindowsImage;
        before(async () => {
            mocks.setupMocks();
            image = await build("api", { context: "app", ecr: {}, ports: [8080], healthCheck: {} });
        });

        it("creates exactly a repository, a lifecycle policy and an image, all parented to the component", () => {
            assert.deepStrictEqual(
                mocks.resources.map((r) => [r.type, r.name, r.parent]),
                [
                    [component, "api", ""],
                    ["aws:ecr/repository:Repository", "api-repo", componentUrn("api")],
                    ["aws:ecr/lifecyclePolicy:LifecyclePolicy", "api-lifecycle", componentUrn("api")],
                    ["docker-build:index:Image", "api-image", componentUrn("api")],
                ],
            );
        });

        it("makes an auto-named repository that scans on push, with immutable tags but the content ones, KMS, kept on destroy", () => {
            const repository = only("aws:ecr/repository:Repository");
            assert.deepStrictEqual(repository.inputs, {
                imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
                imageTagMutabilityExclusionFilters: [
                    { filter: "ctx-*", filterType: "WILDCARD" },
                    { filter: "buildcache", filterType: "WILDCARD" },
                ],
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS" }],
                forceDelete: false,
            });
            assert.strictEqual(repository.retainOnDelete, true, "a repository that holds images cannot be deleted");
            assert.strictEqual(only("aws:ecr/lifecyclePolicy:LifecyclePolicy").retainOnDelete, true);
        });

        it("says what destroying the stack leaves behind and how to remove it", async () => {
            assert.strictEqual(
                await mocks.valueOf(image.retainedOnDestroy),
                `ECR repository ${repositoryName} (us-east-1) and its images are kept when this stack is destroyed; ` +
                    `remove them with \`aws ecr delete-repository --repository-name ${repositoryName} --region us-east-1 --force\`.`,
            );
        });

        it("expires only untagged images by age and keeps the newest tagged ones", () => {
            const policy = only("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs;
            assert.strictEqual(policy.repository, repositoryName);
            const rules = JSON.parse(policy.policy as string).rules;
            assert.deepStrictEqual(
                rules.map((r: { selection: unknown }) => r.selection),
                [
                    { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
                    { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 100 },
                ],
            );
        });

        it("builds for windows/amd64 with docker-build, pushes under the content tag, never builds on preview", async () => {
            const img = only("docker-build:index:Image");
            const tag = await mocks.valueOf(image.tag);
            assert.match(tag, /^ctx-[a-f0-9]{24}$/);
            assert.deepStrictEqual(img.inputs.platforms, ["windows/amd64"]);
            // Pushed by a registry export that rewrites layer times to SOURCE_DATE_EPOCH.
            assert.strictEqual(img.inputs.push, false);
            assert.deepStrictEqual(img.inputs.exports, [{ raw: "type=registry,rewrite-timestamp=true" }]);
            assert.strictEqual(img.inputs.buildOnPreview, false);
            assert.match(
                String((img.inputs.context as { location: string }).location),
                /^\.go-windows\/api-[0-9a-f]{8}\/context$/,
            );
            assert.deepStrictEqual(img.inputs.tags, [
                `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repositoryName}:${tag}`,
            ]);
            assert.deepStrictEqual(img.inputs.dockerfile, { inline: await mocks.valueOf(image.dockerfile) });
            assert.deepStrictEqual(img.inputs.buildArgs, {
                VERSION: "dev",
                REVISION: "unknown",
                SOURCE: "unknown",
                SOURCE_DATE_EPOCH: "0",
            });
            const urns = mocks.resources
                .filter((r) => r.type.startsWith("aws:ecr"))
                .map((r) => `urn:pulumi:test::go-windows-containers::${component}$${r.type}::${r.name}`);
            assert.deepStrictEqual(
                [...img.dependencies].sort(),
                urns.sort(),
                "the push waits for the repository and its policy",
            );
        });

        it("fetches a fresh ECR token for the repository's registry and passes it as a secret", () => {
            assert.deepStrictEqual(
                mocks.calls.filter((c) => c.token.startsWith("aws:")).map((c) => [c.token, c.inputs]),
                [["aws:ecr/getAuthorizationToken:getAuthorizationToken", { registryId: "123456789012" }]],
            );
            const registries = mocks.unwrapSecrets(only("docker-build:index:Image").inputs.registries);
            assert.deepStrictEqual(registries, [
                {
                    address: "123456789012.dkr.ecr.us-east-1.amazonaws.com",
                    username: "AWS",
                    password: mocks.fakeCredentials.ecrPassword,
                },
            ]);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });

        it("outputs a digest-pinned reference and the image facts", async () => {
            const tags = only("docker-build:index:Image").inputs.tags as string[];
            assert.ok(tags.length === 1);
            assert.match(
                await mocks.valueOf(image.imageRef),
                new RegExp(
                    `^123456789012\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/${repositoryName}@sha256:[a-f0-9]{64}$`,
                ),
            );
            assert.strictEqual(
                await mocks.valueOf(image.repositoryUrl),
                `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repositoryName}`,
            );
            assert.match(await mocks.valueOf(image.contextHash), /^[a-f0-9]{64}$/);
            assert.strictEqual(image.windowsVersion, "ltsc2022");
            assert.strictEqual(image.windowsBuild, "10.0.20348");
            assert.strictEqual(
                await mocks.valueOf(image.baseImage),
                `mcr.microsoft.com/windows/nanoserver:ltsc2022@${registryImage("mcr.microsoft.com/windows/nanoserver:ltsc2022").digest}`,
            );
            assert.match(
                await mocks.valueOf(image.dockerfile),
                /HEALTHCHECK .* CMD \["C:\\\\app\\\\hello\.exe", "healthcheck"\]/,
            );
            assert.strictEqual(await pulumi.isSecret(image.imageRef), false);
        });

        it("takes a customer-managed KMS key and the lifecycle numbers", async () => {
            mocks.setupMocks();
            await build("worker", {
                context: "app",
                ecr: {
                    repositoryName: "team/worker",
                    kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
                    untaggedExpiryDays: 3,
                    keepTaggedImages: 7,
                    forceDelete: true,
                },
            });
            const repo = only("aws:ecr/repository:Repository").inputs;
            assert.deepStrictEqual(repo.encryptionConfigurations, [
                { encryptionType: "KMS", kmsKey: "arn:aws:kms:us-east-1:123456789012:key/k" },
            ]);
            assert.strictEqual(repo.name, "team/worker");
            assert.strictEqual(repo.forceDelete, true);
            const rules = JSON.parse(only("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy as string).rules;
            assert.deepStrictEqual(
                rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber),
                [3, 7],
            );
        });
    });

    describe("with acr", () => {
        const exchanges = mocks.acrExchanges;
        let image: GoWindowsImage;
        before(async () => {
            mocks.setupMocks();
            image = await build("api", {
                context: "app",
                acr: { resourceGroupName: "rg", registryName: "contosoapps" },
            });
            await mocks.valueOf(image.imageRef);
        });
        it("creates a registry with the admin user and anonymous pull off, Standard SKU", () => {
            assert.deepStrictEqual(
                mocks.resources.map((r) => [r.type, r.name]),
                [
                    [component, "api"],
                    ["azure-native:containerregistry:Registry", "apiregistry"],
                    ["docker-build:index:Image", "api-image"],
                ],
            );
            assert.deepStrictEqual(
                only("azure-native:containerregistry:Registry").inputs,
                defaultRegistryInputs({ resourceGroupName: "rg", registryName: "contosoapps" }),
            );
        });

        it("exchanges the deployer's Azure AD token for a registry token and pushes with it as a secret", () => {
            assert.deepStrictEqual(
                mocks.calls
                    .map((c) => c.token)
                    .filter((t) => t.startsWith("azure"))
                    .sort(),
                ["azure-native:authorization:getClientConfig", "azure-native:authorization:getClientToken"],
            );
            assert.strictEqual(exchanges.length, 1);
            assert.strictEqual(exchanges[0].url, "https://contosoapps.azurecr.io/oauth2/exchange");
            const form = new URLSearchParams(exchanges[0].body);
            assert.deepStrictEqual(Object.fromEntries(form), {
                grant_type: "access_token",
                service: "contosoapps.azurecr.io",
                tenant: "tenant-id-1234",
                access_token: mocks.fakeCredentials.aadToken,
            });
            assert.deepStrictEqual(mocks.unwrapSecrets(only("docker-build:index:Image").inputs.registries), [
                {
                    address: "contosoapps.azurecr.io",
                    username: "00000000-0000-0000-0000-000000000000",
                    password: mocks.fakeCredentials.acrRefreshToken,
                },
            ]);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });

        it("outputs the pinned reference in the registry", async () => {
            assert.match(await mocks.valueOf(image.imageRef), /^contosoapps\.azurecr\.io\/api@sha256:[a-f0-9]{64}$/);
        });

        it("keeps the registry it had under its earlier logical name", () => {
            const registry = mocks.resources.find((r) => r.type === "azure-native:containerregistry:Registry");
            assert.deepStrictEqual(registry?.aliases, ["api-registry"]);
        });

        it("turns on Premium options only when asked, and goes private through a private endpoint", async () => {
            mocks.setupMocks();
            await build("api", {
                context: "app",
                acr: {
                    resourceGroupName: "rg",
                    registryName: "contosoapps",
                    sku: "Premium",
                    zoneRedundancy: true,
                    retentionDays: 7,
                    publicNetworkAccess: false,
                    privateEndpoint: {
                        subnetId: "/subnets/registry",
                        privateDnsZoneId: "/privateDnsZones/privatelink.azurecr.io",
                    },
                },
            });
            const inputs = only("azure-native:containerregistry:Registry").inputs;
            assert.strictEqual(inputs.zoneRedundancy, "Enabled");
            assert.strictEqual(inputs.publicNetworkAccess, "Disabled");
            assert.deepStrictEqual(inputs.policies, {
                azureADAuthenticationAsArmPolicy: { status: "enabled" },
                retentionPolicy: { days: 7, status: "enabled" },
            });
            const endpoint = only("azure-native:network:PrivateEndpoint");
            assert.deepStrictEqual(endpoint.inputs, {
                resourceGroupName: "rg",
                subnet: {
                    id: "/subnets/registry",
                    // The SDK's defaults for a subnet reference.
                    privateEndpointNetworkPolicies: "Disabled",
                    privateLinkServiceNetworkPolicies: "Enabled",
                },
                privateLinkServiceConnections: [
                    { name: "registry", privateLinkServiceId: "apiregistry-id", groupIds: ["registry"] },
                ],
            });
            assert.deepStrictEqual(only("azure-native:network:PrivateDnsZoneGroup").inputs, {
                resourceGroupName: "rg",
                privateEndpointName: endpoint.checkedInputs.privateEndpointName,
                privateDnsZoneConfigs: [
                    { name: "privatelink-azurecr-io", privateDnsZoneId: "/privateDnsZones/privatelink.azurecr.io" },
                ],
            });
            const push = only("docker-build:index:Image");
            assert.ok(
                push.dependencies.some((urn) =>
                    urn.endsWith("azure-native:network:PrivateDnsZoneGroup::api-registry-dns"),
                ),
                "the push waits until the registry is reachable through its endpoint",
            );
        });
    });

    describe("with an existing registry", () => {
        it("creates only the image, with no credentials when none are given", async () => {
            mocks.setupMocks();
            const image = await build("api", {
                context: "app",
                registry: { server: "localhost:5000", repositoryName: "samples/hello" },
            });
            assert.deepStrictEqual(
                mocks.resources.map((r) => r.type),
                [component, "docker-build:index:Image"],
            );
            const img = only("docker-build:index:Image").inputs;
            assert.strictEqual(img.registries, undefined);
            assert.deepStrictEqual(img.tags, [`localhost:5000/samples/hello:${await mocks.valueOf(image.tag)}`]);
            assert.match(await mocks.valueOf(image.imageRef), /^localhost:5000\/samples\/hello@sha256:[a-f0-9]{64}$/);
            assert.deepStrictEqual(mocks.calls, [], "no data source: the lookups are registry requests");
            assert.deepStrictEqual(
                lookedUp().sort(),
                ["golang:1.23", "mcr.microsoft.com/windows/nanoserver:ltsc2022"],
                "only the builder and base image lookups",
            );
        });

        it("passes the password as a secret", async () => {
            mocks.setupMocks();
            await build("api", {
                context: "app",
                registry: {
                    server: "registry.example.com",
                    username: "ci",
                    password: mocks.fakeCredentials.registryPassword,
                },
            });
            const registries = only("docker-build:index:Image").wireInputs.registries as Record<string, unknown>[];
            assert.strictEqual(
                (registries[0].password as Record<string, unknown>)["4dabf18193072939515e22adb298388d"],
                mocks.secretSignature,
            );
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });
    });

    it("builds with the named buildx builder when one is given", async () => {
        mocks.setupMocks();
        await build("api", { context: "app", builderName: "windows-builder", registry: { server: "localhost:5000" } });
        assert.deepStrictEqual(only("docker-build:index:Image").inputs.builder, { name: "windows-builder" });
    });

    describe("with the native strategy", () => {
        it("builds with @pulumi/docker's classic builder from a Dockerfile written beside the staged context", async () => {
            mocks.setupMocks();
            const context = relativeCopyOfApp();
            const image = await build("api", {
                context,
                strategy: "native",
                windowsVersion: "ltsc2019",
                baseImage: "servercore",
                registry: { server: "localhost:5000" },
            });
            assert.deepStrictEqual(
                mocks.resources.map((r) => r.type),
                [component, "docker:index/image:Image"],
            );
            const img = only("docker:index/image:Image").inputs;
            const staged = (img.build as { context: string }).context;
            assert.match(staged, /^\.go-windows\/api-[0-9a-f]{8}\/context$/);
            const dockerfilePath = staged.replace(/context$/, "Dockerfile");
            assert.deepStrictEqual(img.build, {
                context: staged,
                dockerfile: dockerfilePath,
                platform: "windows/amd64",
                builderVersion: "BuilderV1",
                args: { VERSION: "dev", REVISION: "unknown", SOURCE: "unknown" },
            });
            assert.strictEqual(img.imageName, `localhost:5000/api:${await mocks.valueOf(image.tag)}`);
            assert.strictEqual(img.buildOnPreview, false);
            assert.strictEqual(fs.readFileSync(dockerfilePath, "utf8"), await mocks.valueOf(image.dockerfile));
            assert.match(await mocks.valueOf(image.imageRef), /^localhost:5000\/api@sha256:[a-f0-9]{64}$/);
            assert.match(
                await mocks.valueOf(image.baseImage),
                /^mcr\.microsoft\.com\/windows\/servercore:ltsc2019@sha256:[a-f0-9]{64}$/,
            );
        });
    });

    describe("in a preview", () => {
        it("declares the same children, runs no build tool, writes nothing but the staged context and asks for no token", async () => {
            mocks.setupMocks(true);
            const effects = await sideEffectsOf(async () => {
                await build("api", { context: "app", ecr: {} });
                await build("acr", { context: "app", acr: { resourceGroupName: "rg" } });
            });
            // The build provider hashes the context in previews too, so the staged copy is kept up to date there.
            const staging = path.join(process.cwd(), ".go-windows") + path.sep;
            assert.deepStrictEqual(
                effects.filter((e) => !e.split(" ")[1].startsWith(staging)),
                [],
            );
            assert.deepStrictEqual(mocks.acrExchanges, [], "no token is exchanged for a push that will not happen");
            assert.deepStrictEqual(
                mocks.resources.filter((r) => r.name.startsWith("api")).map((r) => r.type),
                [
                    component,
                    "aws:ecr/repository:Repository",
                    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
                    "docker-build:index:Image",
                ],
            );
            // docker-build never pushes in a preview, and with buildOnPreview off it does not build either.
            assert.strictEqual(mocks.ofType("docker-build:index:Image")[0].inputs.buildOnPreview, false);
        });

        it("exchanges a registry token in a preview that builds", async () => {
            mocks.setupMocks(true);
            await build("acr", { context: "app", buildOnPreview: true, acr: { resourceGroupName: "rg" } });
            await mocks.valueOf(mocks.acrExchanges.length ? pulumi.output(1) : pulumi.output(0));
            assert.strictEqual(mocks.acrExchanges.length, 1);
        });
    });

    describe("validation", () => {
        it("throws a ResourceError naming the argument before any child is created", async () => {
            mocks.setupMocks();
            assert.throws(
                () => new GoWindowsImage("api", { context: "app", windowsVersion: "ltsc2016", ecr: {} }),
                (e: unknown) =>
                    pulumi.ResourceError.isInstance(e) && /`windowsVersion` is "ltsc2016"/.test((e as Error).message),
            );
            await mocks.settle();
            assert.deepStrictEqual(
                mocks.resources.filter((r) => r.type !== component),
                [],
            );
        });
    });

    it("derives child names from the component name, so two images do not collide", async () => {
        mocks.setupMocks();
        await build("api", { context: "app", ecr: {} });
        await build("worker", { context: "app", ecr: {} });
        const names = mocks.resources.map((r) => `${r.type}::${r.name}`);
        assert.strictEqual(new Set(names).size, names.length);
        const repositoryNames = mocks.ofType("aws:ecr/repository:Repository").map((r) => r.checkedInputs.name);
        assert.deepStrictEqual(repositoryNames, [
            autoNamedAs("aws:ecr/repository:Repository", "api-repo"),
            autoNamedAs("aws:ecr/repository:Repository", "worker-repo"),
        ]);
    });

    it("auto-names the registry per stack unless a name is given, so two stacks in one account never collide", async () => {
        const namesIn = async (stack: string, args: Partial<GoWindowsImageArgs>) => {
            mocks.setupMocks(false, stack);
            await build("api", { context: "app", ...args });
            return mocks.resources.map((r) => physicalName(r.type, r.checkedInputs)).filter(Boolean);
        };
        for (const args of [{ ecr: {} }, { acr: { resourceGroupName: "rg" } }]) {
            const dev = await namesIn("dev", args);
            const prod = await namesIn("prod", args);
            assert.strictEqual(dev.length, 1, JSON.stringify(args));
            assert.notDeepStrictEqual(dev, prod, JSON.stringify(args));
        }
        assert.deepStrictEqual(await namesIn("dev", { ecr: { repositoryName: "team/api" } }), ["team/api"]);
        assert.deepStrictEqual(
            await namesIn("dev", { acr: { resourceGroupName: "rg", registryName: "contosoapps" } }),
            ["contosoapps"],
        );
    });

    it("tags the same sources identically from another checkout, and differently after a change", async () => {
        mocks.setupMocks();
        const a = await build("a", { context: "app", registry: { server: "localhost:5000" } });
        const copy = relativeCopyOfApp();
        const b = await build("b", { context: copy, registry: { server: "localhost:5000" } });
        assert.strictEqual(await mocks.valueOf(b.tag), await mocks.valueOf(a.tag));
        fs.appendFileSync(path.join(copy, "main.go"), "\n// a change\n");
        const c = await build("c", { context: copy, registry: { server: "localhost:5000" } });
        assert.notStrictEqual(await mocks.valueOf(c.tag), await mocks.valueOf(a.tag));
    });

    it("keeps pushed images when the image resource is deleted or replaced, for both build tools", async () => {
        mocks.setupMocks();
        await build("cross", { context: "app", registry: { server: "localhost:5000" } });
        await build("native", {
            context: relativeCopyOfApp(),
            strategy: "native",
            registry: { server: "localhost:5000" },
        });
        const images = mocks.resources.filter((r) => r.type !== component);
        assert.deepStrictEqual(
            images.map((r) => [r.type, r.retainOnDelete]),
            [
                ["docker-build:index:Image", true],
                ["docker:index/image:Image", true],
            ],
        );
    });

    it("deletes the registry and its images on destroy only when asked with forceDelete", async () => {
        const kept = async (args: Partial<GoWindowsImageArgs>) => {
            mocks.setupMocks();
            const image = await build("api", { context: "app", ...args });
            const registries = mocks.resources.filter((r) =>
                /Repository|LifecyclePolicy|containerregistry:Registry/.test(r.type),
            );
            return {
                retain: registries.map((r) => r.retainOnDelete),
                message: await mocks.valueOf(image.retainedOnDestroy),
            };
        };
        assert.deepStrictEqual((await kept({ ecr: {} })).retain, [true, true]);
        const forced = await kept({ ecr: { forceDelete: true } });
        assert.deepStrictEqual(forced, { retain: [false, false], message: undefined });
        assert.strictEqual(only("aws:ecr/repository:Repository").inputs.forceDelete, true);
        assert.deepStrictEqual((await kept({ acr: { resourceGroupName: "rg" } })).retain, [true]);
        assert.deepStrictEqual((await kept({ acr: { resourceGroupName: "rg", forceDelete: true } })).retain, [false]);
        assert.match(
            String((await kept({ registry: { server: "localhost:5000" } })).message),
            /are kept when this stack is destroyed/,
        );
    });
});

describe("pinnedReference", () => {
    it("pins the digest to the repository", () => {
        const d = `sha256:${"a".repeat(64)}`;
        assert.strictEqual(pinnedReference("localhost:5000/api", d), `localhost:5000/api@${d}`);
        assert.strictEqual(pinnedReference("localhost:5000/api", `localhost:5000/api@${d}`), `localhost:5000/api@${d}`);
    });
    for (const bad of ["", "<none>@<none>", "latest", "sha256:abc"]) {
        it(`refuses ${JSON.stringify(bad)}`, () => {
            assert.throws(() => pinnedReference("localhost:5000/api", bad), /no image digest/);
        });
    }
});
