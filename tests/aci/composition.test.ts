// WindowsContainerGroup composed with other resources: the image's plain release, the identity's ids for IAM, the
// application's roles, and the address for DNS. Type-checked as a user writes it (no apply between image and host).
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AzureContainerRegistry, GoWindowsImage, WindowsContainerGroup } from "../../components";
import { expectResourceError } from "../support/errors";
import * as mocks from "../support/mocks";

const keyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
const vaultId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/app-secrets";

describe("WindowsContainerGroup composed with an image, IAM and DNS", () => {
    let image: GoWindowsImage;
    let group: WindowsContainerGroup;
    before(async () => {
        mocks.setupMocks();
        const registry = new AzureContainerRegistry("shared", { resourceGroupName: "rg" });
        image = new GoWindowsImage("api", {
            context: "app",
            windowsVersion: "ltsc2019",
            acr: { registryId: registry.registryId, loginServer: registry.loginServer },
        });
        group = new WindowsContainerGroup("api", {
            imageRef: image.imageRef,
            windowsVersion: image.windowsVersion,
            windowsVersions: image.windowsVersions,
            resourceGroupName: "rg",
            registryServer: image.registryServer,
            registryId: image.acrRegistryId,
            dnsNameLabel: "contoso-api",
            roleAssignments: {
                secrets: { roleDefinitionId: keyVaultSecretsUser, scope: vaultId },
                reports: {
                    roleDefinitionId: pulumi.output("/providers/Microsoft.Authorization/roleDefinitions/custom-reader"),
                    scope: pulumi.output("/subscriptions/s/resourceGroups/reports"),
                },
            },
        });
        await mocks.valueOf(group.containerGroupId);
        await mocks.settle();
    });

    it("takes the image's Windows release as a plain value", () => {
        assert.strictEqual(typeof image.windowsVersion, "string");
        assert.strictEqual(image.windowsVersion, "ltsc2019");
        assert.strictEqual(image.windowsVersions, undefined, "one image has no list");
        assert.strictEqual(image.windowsBuild, "10.0.17763");
    });

    it("grants the application's roles to the group's identity, built-in roles by GUID", () => {
        const assignments = mocks
            .ofType("azure-native:authorization:RoleAssignment")
            .filter((r) => r.name.startsWith("api-role-"));
        assert.deepStrictEqual(
            assignments.map((r) => [r.name, r.inputs]).sort(([a], [b]) => String(a).localeCompare(String(b))),
            [
                [
                    "api-role-reports",
                    {
                        scope: "/subscriptions/s/resourceGroups/reports",
                        principalId: "principal-of-api-identity",
                        principalType: "ServicePrincipal",
                        roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/custom-reader",
                    },
                ],
                [
                    "api-role-secrets",
                    {
                        scope: vaultId,
                        principalId: "principal-of-api-identity",
                        principalType: "ServicePrincipal",
                        roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-00000000feed/providers/Microsoft.Authorization/roleDefinitions/${keyVaultSecretsUser}`,
                    },
                ],
            ],
        );
        const acrPull = mocks.ofType("azure-native:authorization:RoleAssignment").find((r) => r.name === "api-acrpull");
        assert.strictEqual(acrPull?.inputs.scope, "sharedregistry-id", "AcrPull on the shared registry");
    });

    it("outputs the identity's ids, the role assignments, and the address a DNS record takes", async () => {
        assert.strictEqual(await mocks.valueOf(group.identityPrincipalId), "principal-of-api-identity");
        assert.strictEqual(await mocks.valueOf(group.identityClientId), "client-of-api-identity");
        assert.deepStrictEqual(await mocks.valueOf(group.roleAssignmentIds), {
            reports: "api-role-reports-id",
            secrets: "api-role-secrets-id",
        });
        assert.strictEqual(await mocks.valueOf(group.fqdn), "contoso-api.westeurope.azurecontainer.io");
        assert.strictEqual(await mocks.valueOf(group.ipAddress), "20.0.0.1");
    });

    it("takes an index's releases as a plain list", async () => {
        mocks.setupMocks();
        const index = new GoWindowsImage("multi", {
            context: "app",
            windowsVersions: ["ltsc2019", "ltsc2022"],
            registry: { server: "localhost:5000" },
        });
        assert.deepStrictEqual(index.windowsVersions, ["ltsc2019", "ltsc2022"]);
        assert.strictEqual(index.windowsVersion, "ltsc2022");
        const indexGroup = new WindowsContainerGroup("multi", {
            imageRef: index.imageRef,
            windowsVersions: index.windowsVersions,
            resourceGroupName: "rg",
            registryServer: index.registryServer,
            registryId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r",
        });
        await mocks.valueOf(indexGroup.containerGroupId);
        await mocks.settle();
    });

    it("refuses a role name that cannot name a role assignment", () => {
        mocks.setupMocks();
        expectResourceError(
            () =>
                new WindowsContainerGroup("api", {
                    imageRef: "r@sha256:0",
                    windowsVersion: "ltsc2019",
                    resourceGroupName: "rg",
                    registryServer: "r.azurecr.io",
                    registryId: "/r",
                    roleAssignments: { "key vault!": { roleDefinitionId: keyVaultSecretsUser, scope: vaultId } },
                }),
            "roleAssignments",
            /1 to 63 letters/,
        );
    });
});
