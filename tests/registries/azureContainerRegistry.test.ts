// One Azure Container Registry for many images: created once, pushed to by each image with the deployer's token.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AzureContainerRegistry, GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { useExistingRegistry } from "../../components/registries/existing";
import { autoNamedAs } from "../support/autonaming";
import { expectResourceError } from "../support/errors";
import { defaultRegistryInputs } from "../support/acr";
import * as mocks from "../support/mocks";

const registryType = "azure-native:containerregistry:Registry";
const component = "go-windows-containers:index:AzureContainerRegistry";
const sharedName = autoNamedAs(registryType, "sharedregistry");
const sharedServer = `${sharedName.toLowerCase()}.azurecr.io`;

async function settled(...outputs: pulumi.Output<unknown>[]): Promise<void> {
    for (const output of outputs) await mocks.valueOf(output);
    await mocks.settle();
}

describe("AzureContainerRegistry shared by three images", () => {
    let registry: AzureContainerRegistry;
    let images: GoWindowsImage[];
    before(async () => {
        mocks.setupMocks();
        registry = new AzureContainerRegistry("shared", { resourceGroupName: "rg-platform" });
        images = ["orders", "payments", "catalog"].map(
            (service) =>
                new GoWindowsImage(service, {
                    context: "app",
                    acr: { registryId: registry.registryId, loginServer: registry.loginServer },
                }),
        );
        await settled(...images.map((image) => image.imageRef));
    });

    it("creates one registry, under the component, with the admin user and anonymous pull off", () => {
        const registries = mocks.ofType(registryType);
        assert.strictEqual(registries.length, 1, "one registry for three images");
        assert.match(registries[0].parent, new RegExp(`${component}::shared$`));
        assert.deepStrictEqual(registries[0].inputs, defaultRegistryInputs({ resourceGroupName: "rg-platform" }));
        assert.deepStrictEqual(registries[0].retainOnDelete, true);
        assert.ok(
            !mocks.calls.some((c) => /listRegistryCredentials|generateCredentials/.test(c.token)),
            "no admin or repository-token credentials are read",
        );
    });

    it("pushes each image to its own repository with a token exchanged from the deployer's Azure AD token", async () => {
        const builds = mocks.ofType("docker-build:index:Image");
        assert.deepStrictEqual(
            builds.map((b) => (b.inputs.tags as string[])[0].split(":")[0]).sort(),
            ["catalog", "orders", "payments"].map((s) => `${sharedServer}/${s}`),
        );
        for (const build of builds) {
            assert.deepStrictEqual(mocks.unwrapSecrets(build.inputs.registries), [
                {
                    address: sharedServer,
                    username: "00000000-0000-0000-0000-000000000000",
                    password: mocks.fakeCredentials.acrRefreshToken,
                },
            ]);
        }
        assert.strictEqual(mocks.acrExchanges.length, 3);
        assert.ok(mocks.acrExchanges.every((e) => e.url === `https://${sharedServer}/oauth2/exchange`));
        assert.deepStrictEqual(mocks.exposedCredentials(), []);
        for (const image of images) {
            assert.strictEqual(await mocks.valueOf(image.acrRegistryId), "sharedregistry-id");
            assert.strictEqual(await mocks.valueOf(image.registryServer), sharedServer);
        }
    });

    it("outputs what hosts and DNS need", async () => {
        assert.strictEqual(await mocks.valueOf(registry.registryId), "sharedregistry-id");
        assert.strictEqual(await mocks.valueOf(registry.loginServer), sharedServer);
        assert.strictEqual(await mocks.valueOf(registry.registryName), sharedName);
        assert.match(String(await mocks.valueOf(registry.retainedOnDestroy)), /az acr delete --name/);
    });
});

describe("GoWindowsImage's acr", () => {
    const existing = {
        registryId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/corp",
        loginServer: "corp.azurecr.io",
    };

    it("pushes to a registry made elsewhere, given by id and login server, and creates none", async () => {
        mocks.setupMocks();
        const image = new GoWindowsImage("api", { context: "app", acr: existing });
        await settled(image.imageRef);
        assert.deepStrictEqual(mocks.ofType(registryType), []);
        assert.match(await mocks.valueOf(image.imageRef), /^corp\.azurecr\.io\/api@sha256:/);
        assert.strictEqual(await mocks.valueOf(image.acrRegistryId), existing.registryId);
        assert.match(
            String(await mocks.valueOf(image.retainedOnDestroy)),
            /az acr repository delete --name corp --repository api/,
        );
    });

    const refusals: [string, GoWindowsImageArgs["acr"], string, RegExp][] = [
        ["an id without a login server", { registryId: existing.registryId }, "acr.loginServer", /together/],
        ["a login server without an id", { loginServer: existing.loginServer }, "acr.registryId", /together/],
        ["a new registry's SKU beside an id", { ...existing, sku: "Premium" }, "acr.sku", /existing one/],
        ["the admin user beside an id", { ...existing, adminUserEnabled: true }, "acr.adminUserEnabled", /existing/],
        ["a new registry without a resource group", {}, "acr.resourceGroupName", /needs a resource group/],
    ];
    for (const [what, acr, argument, reason] of refusals) {
        it(`refuses ${what}, naming \`${argument}\`, before creating anything`, async () => {
            mocks.setupMocks();
            expectResourceError(() => new GoWindowsImage("api", { context: "app", acr }), argument, reason);
            await mocks.settle();
            assert.deepStrictEqual(
                mocks.resources.filter((r) => r.type !== "go-windows-containers:index:GoWindowsImage"),
                [],
            );
        });
    }

    it("refuses AzureContainerRegistry without a resource group and a private endpoint off Premium", () => {
        mocks.setupMocks();
        expectResourceError(
            () => new AzureContainerRegistry("r", {} as unknown as { resourceGroupName: string }),
            "resourceGroupName",
            /resource group/,
        );
        expectResourceError(
            () => new AzureContainerRegistry("r", { resourceGroupName: "rg", privateEndpoint: { subnetId: "/s" } }),
            "privateEndpoint",
            /Premium SKU, and `sku` is "Standard"/,
        );
    });
});

describe("GoWindowsImage's registry.server from another image", () => {
    it("takes another image's registryServer output, and pushes there", async () => {
        mocks.setupMocks();
        const first = new GoWindowsImage("first", { context: "app", registry: { server: "localhost:5000" } });
        const second = new GoWindowsImage("second", { context: "app", registry: { server: first.registryServer } });
        await settled(first.imageRef, second.imageRef);
        assert.strictEqual(await mocks.valueOf(second.repositoryUrl), "localhost:5000/second");
        assert.match(await mocks.valueOf(second.imageRef), /^localhost:5000\/second@sha256:/);
    });

    it("checks a server that arrives as an Output once it is known, naming `registry.server`", async () => {
        const declared = useExistingRegistry({
            kind: "existing",
            repositoryName: "bad",
            server: pulumi.output("https://registry.example.com/path"),
        });
        const internals = declared.repositoryUrl as unknown as { promise(): Promise<unknown> };
        await assert.rejects(internals.promise(), /`registry\.server` is "https:\/\/registry\.example\.com\/path"/);
    });
});
