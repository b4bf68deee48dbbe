// WindowsContainerGroup: runs a Windows image on Azure Container Instances, pulling from ACR with a managed identity.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerinstance from "@pulumi/azure-native/containerinstance";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as types from "@pulumi/azure-native/types";
import { resolveContainerGroupArgs } from "./hostValidation";
import { resolveArgsFor } from "./resolveArgs";

/** The built-in AcrPull role. */
export const acrPullRoleId = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

/** Arguments of WindowsContainerGroup. */
export interface WindowsContainerGroupArgs {
    /** The image to run, pinned by digest (GoWindowsImage's `imageRef`). */
    readonly imageRef: pulumi.Input<string>;
    /** The image's Windows release; checked against what Azure Container Instances runs before anything is created. */
    readonly windowsVersion: string;
    /** The resource group for the container group and its identity. */
    readonly resourceGroupName: pulumi.Input<string>;
    /**
     * The Azure region.
     * @default the resource group's region
     */
    readonly location?: pulumi.Input<string>;
    /** The registry's login server, e.g. `contosoapps.azurecr.io`. */
    readonly registryServer: pulumi.Input<string>;
    /** The registry's resource id: the identity gets AcrPull there. */
    readonly registryId: pulumi.Input<string>;
    /**
     * TCP ports to open (22, 443, 3389-3399 and 20000-30000 are reserved by the service).
     * @default [8080]
     */
    readonly ports?: number[];
    /**
     * CPU cores.
     * @default 1
     */
    readonly cpu?: number;
    /**
     * Memory in GB.
     * @default 2
     */
    readonly memoryGb?: number;
    /**
     * `Always`, `OnFailure` or `Never`.
     * @default "Always"
     */
    readonly restartPolicy?: string;
    /**
     * A DNS label for a public address (`<label>.<hash>.<region>.azurecontainer.io`). Not with `subnetId`.
     * Scanners flag public container groups (CKV_AZURE_245).
     * @default no public address
     */
    readonly dnsNameLabel?: string;
    /**
     * A subnet delegated to Microsoft.ContainerInstance/containerGroups, for a private address.
     * @default none: the group has no address unless `dnsNameLabel` is given
     */
    readonly subnetId?: pulumi.Input<string>;
    /**
     * Plain environment variables. Names that look like credentials are refused: use `secureEnvironment`.
     * @default {}
     */
    readonly environment?: { [key: string]: pulumi.Input<string> };
    /**
     * Environment variables passed as secure values (not shown by the Azure API).
     * @default {}
     */
    readonly secureEnvironment?: { [key: string]: pulumi.Input<string> };
}

/** A Windows container group on Azure Container Instances. */
export class WindowsContainerGroup extends pulumi.ComponentResource {
    /** The container group's resource id. */
    public readonly containerGroupId: pulumi.Output<string>;
    /** The identity that pulls the image. */
    public readonly identityId: pulumi.Output<string>;
    /** The group's IP address. */
    public readonly ipAddress: pulumi.Output<string | undefined>;
    /** `http://<fqdn or private IP>:<port>/` when the group has an address; undefined otherwise. */
    public readonly url: pulumi.Output<string | undefined>;

    constructor(name: string, args: WindowsContainerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:WindowsContainerGroup", name, {}, opts);
        const resolved = resolveArgsFor("WindowsContainerGroup", name, this, () => resolveContainerGroupArgs(args));
        if (resolved.compatibility.verdict === "unknown") void pulumi.log.warn(resolved.compatibility.message, this);

        // ACI pulls from ACR only with a user-assigned identity (a system-assigned one does not exist before the pull).
        const identity = new managedidentity.UserAssignedIdentity(
            `${name}-identity`,
            { resourceGroupName: args.resourceGroupName, location: args.location },
            { parent: this },
        );
        const client = authorization.getClientConfigOutput({ parent: this });
        const acrPull = new authorization.RoleAssignment(
            `${name}-acrpull`,
            {
                scope: args.registryId,
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${acrPullRoleId}`,
            },
            { parent: this },
        );

        const plain = args.environment ?? {};
        const secure = args.secureEnvironment ?? {};
        const environmentVariables: types.input.containerinstance.EnvironmentVariableArgs[] = [
            ...Object.keys(plain)
                .sort()
                .map((key) => ({ name: key, value: plain[key] })),
            // Secure values stay secret in Pulumi's state as well as in Azure's API.
            ...Object.keys(secure)
                .sort()
                .map((key) => ({ name: key, secureValue: pulumi.secret(secure[key]) })),
        ];
        const group = new containerinstance.ContainerGroup(
            `${name}-group`,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                osType: "Windows",
                restartPolicy: resolved.restartPolicy,
                identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
                imageRegistryCredentials: [{ server: args.registryServer, identity: identity.id }],
                containers: [
                    {
                        name: "app",
                        image: args.imageRef,
                        ports: resolved.ports.map((port) => ({ port, protocol: "TCP" })),
                        resources: { requests: { cpu: resolved.cpu, memoryInGB: resolved.memoryGb } },
                        environmentVariables,
                    },
                ],
                // No address unless asked for: a DNS label gives a public one, a subnet a private one.
                ipAddress:
                    args.dnsNameLabel !== undefined || args.subnetId !== undefined
                        ? {
                              type: args.subnetId !== undefined ? "Private" : "Public",
                              ports: resolved.ports.map((port) => ({ port, protocol: "TCP" })),
                              dnsNameLabel: args.dnsNameLabel,
                              // A label is hashed with the tenant, so nobody else can take it over after a delete.
                              autoGeneratedDomainNameLabelScope: "TenantReuse",
                          }
                        : undefined,
                subnetIds: args.subnetId ? [{ id: args.subnetId }] : undefined,
            },
            // The first pull needs the role assignment in place.
            { parent: this, dependsOn: [acrPull] },
        );

        this.containerGroupId = group.id;
        this.identityId = identity.id;
        this.ipAddress = group.ipAddress.apply((ip) => ip?.ip);
        const firstPort = resolved.ports[0];
        this.url = group.ipAddress.apply((ip) => {
            const host = ip?.fqdn ?? ip?.ip;
            return host ? `http://${host}:${firstPort}/` : undefined;
        });
        this.registerOutputs({
            containerGroupId: this.containerGroupId,
            identityId: this.identityId,
            ipAddress: this.ipAddress,
            url: this.url,
        });
    }
}
