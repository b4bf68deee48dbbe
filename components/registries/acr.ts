// An Azure Container Registry for the image: admin user and anonymous pull off, pushes with the deployer's Azure AD token.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as network from "@pulumi/azure-native/network";
import { shortHash, unknownOutput } from "../core";
import { acrTokenUserName, exchangeAadTokenForAcrRefreshToken } from "./acrToken";
import { DeclaredRegistry } from "./declared";
import { ResolvedAcr } from "./resolve";

/**
 * The logical name of a component's registry. Azure auto-names the registry by appending 8 hex digits to it, and
 * registry names are 5 to 50 letters and digits, so it keeps only the component name's letters and digits and at most
 * 42 characters (a long name is cut and made unique again with a hash of the whole name).
 */
export function acrLogicalName(componentName: string): string {
    const letters = componentName.replace(/[^A-Za-z0-9]/g, "");
    return `${letters.length <= 34 ? letters : letters.slice(0, 28) + shortHash(componentName)}registry`;
}

/** A private endpoint for the registry, registered in the private DNS zone when one is given. */
function declarePrivateEndpoint(
    name: string,
    args: ResolvedAcr,
    registry: containerregistry.Registry,
    parent: pulumi.Resource,
): pulumi.Resource[] {
    const endpoint = args.privateEndpoint;
    if (!endpoint) return [];
    const privateEndpoint = new network.PrivateEndpoint(
        `${name}-registry-endpoint`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            subnet: { id: endpoint.subnetId },
            privateLinkServiceConnections: [
                { name: "registry", privateLinkServiceId: registry.id, groupIds: ["registry"] },
            ],
        },
        { parent },
    );
    if (endpoint.privateDnsZoneId === undefined) return [privateEndpoint];
    const dns = new network.PrivateDnsZoneGroup(
        `${name}-registry-dns`,
        {
            resourceGroupName: args.resourceGroupName,
            privateEndpointName: privateEndpoint.name,
            privateDnsZoneConfigs: [{ name: "privatelink-azurecr-io", privateDnsZoneId: endpoint.privateDnsZoneId }],
        },
        { parent },
    );
    return [privateEndpoint, dns];
}

const keptRegistry = (registryName: string) =>
    `Azure Container Registry ${registryName} and its images are kept when this stack is destroyed; ` +
    `remove them with \`az acr delete --name ${registryName} --yes\`.`;

/** Declares an ACR with the admin user and anonymous pull off, and push credentials from the deployer's Azure AD token. */
export function declareAcrRegistry(
    name: string,
    args: ResolvedAcr,
    parent: pulumi.Resource,
    pushCredentialsInPreview: boolean,
): DeclaredRegistry {
    const keep = !args.forceDelete;
    const registry = new containerregistry.Registry(
        acrLogicalName(name),
        {
            resourceGroupName: args.resourceGroupName,
            registryName: args.registryName,
            location: args.location,
            sku: { name: args.sku },
            adminUserEnabled: args.adminUserEnabled,
            anonymousPullEnabled: false,
            publicNetworkAccess: args.publicNetworkAccess ? "Enabled" : "Disabled",
            // Container Instances pulls as a trusted Azure service, also when the registry is private.
            networkRuleBypassOptions: "AzureServices",
            zoneRedundancy: args.zoneRedundancy ? "Enabled" : "Disabled",
            policies: {
                // The token exchange below presents an ARM token, which the registry must accept.
                azureADAuthenticationAsArmPolicy: { status: "enabled" },
                ...(args.retentionDays !== undefined
                    ? { retentionPolicy: { days: args.retentionDays, status: "enabled" } }
                    : {}),
            },
        },
        // The name it had before registry names were auto-named; kept on destroy unless asked.
        { parent, retainOnDelete: keep, aliases: [{ name: `${name}-registry` }] },
    );
    const endpoint = declarePrivateEndpoint(name, args, registry, parent);
    const client = authorization.getClientConfigOutput({ parent });
    const aadToken = authorization.getClientTokenOutput({}, { parent });
    // A preview that does not build pushes nothing: it asks the registry for no token.
    const exchange = !pulumi.runtime.isDryRun() || pushCredentialsInPreview;
    const refreshToken = exchange
        ? pulumi
              .all([registry.loginServer, client.tenantId, aadToken.token])
              .apply(([loginServer, tenantId, token]) =>
                  exchangeAadTokenForAcrRefreshToken(loginServer, tenantId, token),
              )
        : unknownOutput<string>();
    return {
        repositoryUrl: pulumi.interpolate`${registry.loginServer}/${args.repositoryName}`,
        server: registry.loginServer,
        credentials: {
            address: registry.loginServer,
            username: pulumi.output(acrTokenUserName),
            password: pulumi.secret(refreshToken),
        },
        dependencies: [registry, ...endpoint],
        acrRegistryId: registry.id,
        retainedOnDestroy: keep ? registry.name.apply(keptRegistry) : undefined,
    };
}
