// An Azure Container Registry for the image: admin user and anonymous pull off, pushes with the deployer's Azure AD token.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import { acrTokenUserName, exchangeAadTokenForAcrRefreshToken } from "./acrToken";
import { DeclaredRegistry } from "./declared";
import { ResolvedAcr } from "./resolve";

/** Declares an ACR with the admin user and anonymous pull off, and push credentials from the deployer's Azure AD token. */
export function declareAcrRegistry(name: string, args: ResolvedAcr, parent: pulumi.Resource): DeclaredRegistry {
    const registry = new containerregistry.Registry(
        `${name}-registry`,
        {
            resourceGroupName: args.resourceGroupName,
            registryName: args.registryName,
            location: args.location,
            sku: { name: args.sku },
            adminUserEnabled: args.adminUserEnabled,
            anonymousPullEnabled: false,
            publicNetworkAccess: args.publicNetworkAccess ? "Enabled" : "Disabled",
            zoneRedundancy: args.zoneRedundancy ? "Enabled" : "Disabled",
            policies: {
                // The token exchange below presents an ARM token, which the registry must accept.
                azureADAuthenticationAsArmPolicy: { status: "enabled" },
                ...(args.retentionDays !== undefined
                    ? { retentionPolicy: { days: args.retentionDays, status: "enabled" } }
                    : {}),
            },
        },
        { parent },
    );
    const client = authorization.getClientConfigOutput({ parent });
    const aadToken = authorization.getClientTokenOutput({}, { parent });
    const refreshToken = pulumi
        .all([registry.loginServer, client.tenantId, aadToken.token])
        .apply(([loginServer, tenantId, token]) => exchangeAadTokenForAcrRefreshToken(loginServer, tenantId, token));
    return {
        repositoryUrl: pulumi.interpolate`${registry.loginServer}/${args.repositoryName}`,
        server: registry.loginServer,
        credentials: {
            address: registry.loginServer,
            username: pulumi.output(acrTokenUserName),
            password: pulumi.secret(refreshToken),
        },
        dependencies: [registry],
        acrRegistryId: registry.id,
    };
}
