// The Azure platform example (examples/azure-platform), evaluated under the mocks as `pulumi up` would run it,
// counting what it creates: one registry, no admin user, one workspace, an identity with AcrPull per service.
import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as mocks from "../support/mocks";
import { repoRoot } from "../support/files";
import { usePackageFromSource } from "../support/examples";

describe("examples/azure-platform", () => {
    let exported: Record<string, unknown>;
    before(async () => {
        mocks.setupMocks();
        // The mocks run every program as this repository's project.
        pulumi.runtime.setAllConfig({ "go-windows-containers:resourceGroup": "rg-platform" });
        usePackageFromSource();
        const program = (await import(path.join(repoRoot, "examples/azure-platform/index"))) as Record<
            string,
            pulumi.Input<unknown>
        >;
        exported = {};
        for (const [key, value] of Object.entries(program)) exported[key] = await mocks.valueOf(pulumi.output(value));
        await mocks.settle();
    });

    const count = (type: string) => mocks.ofType(type).length;

    it("creates one registry, without an admin user, and one workspace", () => {
        assert.strictEqual(count("azure-native:containerregistry:Registry"), 1);
        assert.strictEqual(mocks.onlyOfType("azure-native:containerregistry:Registry").inputs.adminUserEnabled, false);
        assert.ok(!mocks.calls.some((c) => /listRegistryCredentials/.test(c.token)), "no admin credentials read");
        assert.strictEqual(count("azure-native:operationalinsights:Workspace"), 1);
    });

    it("runs three groups, each pulling with its own identity that holds AcrPull on the registry", () => {
        const registryId = `${mocks.onlyOfType("azure-native:containerregistry:Registry").name}-id`;
        const groups = mocks.ofType("azure-native:containerinstance:ContainerGroup");
        const identities = mocks.ofType("azure-native:managedidentity:UserAssignedIdentity");
        const pulls = mocks.ofType("azure-native:authorization:RoleAssignment");
        assert.deepStrictEqual([groups.length, identities.length, pulls.length], [3, 3, 3]);
        for (const pull of pulls) {
            assert.strictEqual(pull.inputs.scope, registryId);
            assert.match(String(pull.inputs.roleDefinitionId), /7f951dda-4ed3-4680-a7ca-43fe172d538d$/);
        }
        assert.deepStrictEqual(new Set(pulls.map((p) => p.inputs.principalId)).size, 3, "one identity each");
        for (const group of groups) {
            const identity = (group.inputs.identity as { userAssignedIdentities: string[] }).userAssignedIdentities;
            assert.strictEqual(identity.length, 1);
        }
        assert.ok(
            mocks
                .ofType("azure-native:monitor:ScheduledQueryRule")
                .every((rule) =>
                    String((rule.inputs.scopes as string[])[0]).endsWith(
                        mocks.onlyOfType("azure-native:operationalinsights:Workspace").checkedInputs
                            .workspaceName as string,
                    ),
                ),
            "every alert watches the one workspace",
        );
    });

    it("puts every group in the delegated subnet behind the NAT gateway, with a private address only", () => {
        const subnet = mocks.onlyOfType("azure-native:network:Subnet");
        assert.deepStrictEqual(
            (subnet.inputs.delegations as { serviceName: string }[]).map((d) => d.serviceName),
            ["Microsoft.ContainerInstance/containerGroups"],
        );
        assert.strictEqual(
            (subnet.inputs.natGateway as { id: string }).id,
            `${mocks.onlyOfType("azure-native:network:NatGateway").name}-id`,
        );
        for (const group of mocks.ofType("azure-native:containerinstance:ContainerGroup")) {
            assert.deepStrictEqual(group.inputs.subnetIds, [{ id: `${subnet.name}-id` }]);
            assert.strictEqual((group.inputs.ipAddress as { type: string }).type, "Private");
            assert.strictEqual((group.inputs.ipAddress as { dnsNameLabel?: string }).dnsNameLabel, undefined);
        }
    });

    it("exports each service's URL and the registry", () => {
        assert.deepStrictEqual(Object.keys(exported.urls as object).sort(), ["catalog", "orders", "payments"]);
        assert.match(String(exported.registryServer), /\.azurecr\.io$/);
    });
});
