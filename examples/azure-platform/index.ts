// A platform on Azure: three Go services built into Windows images, pushed to one shared registry, each run by its
// own container group that pulls with its own identity, in a private subnet (no public IP: the policy pack's
// aci-no-public-ip), reaching out through one NAT gateway, all logging to one Log Analytics workspace.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { AzureContainerRegistry, GoWindowsImage, WindowsContainerGroup } from "go-windows-containers";

const config = new pulumi.Config();
const resourceGroupName = config.require("resourceGroup");

/** One registry for every service: no admin user, each image pushes with the deployer's Azure AD token. */
const registry = new AzureContainerRegistry("platform", { resourceGroupName });

/** One workspace for every group's logs and alerts. */
const workspace = new operationalinsights.Workspace("platform-logs", {
    resourceGroupName,
    sku: { name: "PerGB2018" },
    retentionInDays: 30,
    // Container groups send with the workspace's shared key.
    features: { disableLocalAuth: false },
});

/**
 * One virtual network for the groups: a subnet delegated to Container Instances, whose groups get private addresses
 * only, and a NAT gateway for their outbound traffic (a group in a subnet has no other way out). Put an Application
 * Gateway or Front Door (private link) in front to serve the services publicly.
 */
const outbound = new network.PublicIPAddress("platform-nat-ip", {
    resourceGroupName,
    sku: { name: "Standard" },
    publicIPAllocationMethod: "Static",
});
const nat = new network.NatGateway("platform-nat", {
    resourceGroupName,
    sku: { name: "Standard" },
    publicIpAddresses: [{ id: outbound.id }],
});
const vnet = new network.VirtualNetwork("platform-vnet", {
    resourceGroupName,
    addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
});
const groupsSubnet = new network.Subnet("platform-groups", {
    resourceGroupName,
    virtualNetworkName: vnet.name,
    addressPrefix: "10.40.1.0/24",
    natGateway: { id: nat.id },
    delegations: [{ name: "aci", serviceName: "Microsoft.ContainerInstance/containerGroups" }],
});

const services = ["orders", "payments", "catalog"];

export const urls: Record<string, pulumi.Output<string | undefined>> = {};
for (const service of services) {
    const image = new GoWindowsImage(service, {
        // The three services share the sample module here; each of yours has its own folder.
        context: path.join(__dirname, "..", "..", "app"),
        windowsVersion: "ltsc2022",
        acr: { registryId: registry.registryId, loginServer: registry.loginServer },
    });
    const group = new WindowsContainerGroup(service, {
        imageRef: image.imageRef,
        windowsVersion: image.windowsVersion,
        resourceGroupName,
        registryServer: image.registryServer,
        registryId: image.acrRegistryId,
        subnetId: groupsSubnet.id,
        logAnalyticsWorkspaceId: workspace.id,
    });
    urls[service] = group.url;
}

export const registryServer = registry.loginServer;
