// An Azure Container Registry for the image: admin user and anonymous pull off, pushes with the deployer's Azure AD token.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as network from "@pulumi/azure-native/network";
import { applyReported, runningWithMocks, shortHash, unknownOutput, unreportedOutput } from "../core";
import { acrTokenUserName, exchangeAadTokenForAcrRefreshToken } from "./acrToken";
import { DeclaredRegistry, PushCredentials, repositoryIn } from "./declared";
import { ResolvedAcr, ResolvedAcrSettings, ResolvedExistingAcr } from "./resolve";

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
    args: AcrResourceArgs,
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

/** A registry to create: its resource group and settings. */
export type AcrResourceArgs = ResolvedAcrSettings & { readonly resourceGroupName: pulumi.Input<string> };

/** The registry a component created, with what depends on it. */
export interface DeclaredAcrResource {
    readonly registry: containerregistry.Registry;
    /** The registry and its private endpoint, if any: what a push waits for. */
    readonly dependencies: pulumi.Resource[];
    /** What destroying the stack leaves, and how to remove it; undefined with `forceDelete`. */
    readonly retainedOnDestroy?: pulumi.Output<string>;
}

/**
 * Declares an ACR with anonymous pull off and Azure AD tokens accepted as ARM tokens (what the push credentials
 * need), kept on destroy unless `forceDelete`. `aliases` are the names it had before (an image's own registry).
 */
export function declareAcrResource(
    name: string,
    args: AcrResourceArgs,
    parent: pulumi.Resource,
    aliases: pulumi.Input<pulumi.Alias>[] = [],
): DeclaredAcrResource {
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
                // The token exchange of the push credentials presents an ARM token, which the registry must accept.
                azureADAuthenticationAsArmPolicy: { status: "enabled" },
                ...(args.retentionDays !== undefined
                    ? { retentionPolicy: { days: args.retentionDays, status: "enabled" } }
                    : {}),
            },
        },
        { parent, retainOnDelete: keep, aliases },
    );
    const endpoint = declarePrivateEndpoint(name, args, registry, parent);
    return {
        registry,
        dependencies: [registry, ...endpoint],
        retainedOnDestroy: keep ? applyReported(registry.name, keptRegistry) : undefined,
    };
}

/** The refresh token: exchanged on every run; unknown in a preview that does not build; none under Pulumi's mocks. */
function acrRefreshToken(
    server: pulumi.Output<string>,
    parent: pulumi.Resource,
    pushCredentialsInPreview: boolean,
): pulumi.Output<string> {
    const client = authorization.getClientConfigOutput({ parent });
    const aadToken = authorization.getClientTokenOutput({}, { parent });
    // A unit test reaches no registry, and its mocks cannot answer an HTTP exchange.
    if (runningWithMocks()) return unreportedOutput();
    if (pulumi.runtime.isDryRun() && !pushCredentialsInPreview) return unknownOutput();
    return pulumi
        .all([server, client.tenantId, aadToken.token])
        .apply(([host, tenantId, token]) => exchangeAadTokenForAcrRefreshToken(host, tenantId, token));
}

/**
 * Push credentials for the registry at `loginServer`: the deployer's Azure AD token exchanged for an ACR refresh
 * token on every run (it expires after about three hours), secret. A preview that does not build asks for none.
 */
export function acrPushCredentials(
    loginServer: pulumi.Input<string>,
    parent: pulumi.Resource,
    pushCredentialsInPreview: boolean,
): PushCredentials {
    const server = pulumi.output(loginServer);
    const refreshToken = acrRefreshToken(server, parent, pushCredentialsInPreview);
    return { address: server, username: pulumi.output(acrTokenUserName), password: pulumi.secret(refreshToken) };
}

/** Declares an ACR for one image with the admin user off, and push credentials from the deployer's Azure AD token. */
export function declareAcrRegistry(
    name: string,
    args: ResolvedAcr,
    parent: pulumi.Resource,
    pushCredentialsInPreview: boolean,
): DeclaredRegistry {
    // The name it had before registry names were auto-named.
    const declared = declareAcrResource(name, args, parent, [{ name: `${name}-registry` }]);
    const registry = declared.registry;
    return {
        repositoryUrl: repositoryIn(registry.loginServer, args.repositoryName),
        server: registry.loginServer,
        credentials: acrPushCredentials(registry.loginServer, parent, pushCredentialsInPreview),
        dependencies: declared.dependencies,
        acrRegistryId: registry.id,
        retainedOnDestroy: declared.retainedOnDestroy,
    };
}

/** Pushes to a registry that exists (a shared AzureContainerRegistry, or any ACR), with the deployer's token. */
export function useExistingAcr(
    args: ResolvedExistingAcr,
    parent: pulumi.Resource,
    pushCredentialsInPreview: boolean,
): DeclaredRegistry {
    const server = pulumi.output(args.loginServer);
    const keptImages = (host: string) =>
        `Images pushed to ${host}/${args.repositoryName} are kept when this stack is destroyed; remove them ` +
        `with \`az acr repository delete --name ${host.split(".")[0]} --repository ${args.repositoryName} --yes\`.`;
    return {
        repositoryUrl: repositoryIn(server, args.repositoryName),
        server,
        credentials: acrPushCredentials(server, parent, pushCredentialsInPreview),
        dependencies: [],
        acrRegistryId: pulumi.output(args.registryId),
        retainedOnDestroy: applyReported(server, keptImages),
    };
}
