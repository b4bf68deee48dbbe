// The arguments of WindowsContainerGroup, defined once: the component takes them, the resolver checks them.
import * as pulumi from "@pulumi/pulumi";

/**
 * Log alerts on the group's logs and events. Azure Monitor's CPU and memory metrics exist for Linux container groups
 * only, so a Windows group is watched through what it writes to Log Analytics.
 */
export interface WindowsContainerGroupAlertsArgs {
    /**
     * Create the alerts.
     * @default true
     */
    readonly enabled?: boolean;
    /**
     * The word that marks a log line as an error, matched as a whole term without regard to case: letters, digits,
     * `_`, `.`, `:` and `-`.
     * @default "error"
     */
    readonly errorPattern?: string;
    /**
     * Error lines in 15 minutes above which the error alert fires, 0 to 100000.
     * @default 10
     */
    readonly maxErrorLines?: number;
    /**
     * Container starts in an hour above which the restart alert fires (a crashing container is started again and
     * again), 1 to 100.
     * @default 2
     */
    readonly maxRestartsPerHour?: number;
    /**
     * An Azure Monitor action group (its resource id) the alerts notify.
     * @default none: the alerts show in the Azure portal only
     */
    readonly actionGroupId?: pulumi.Input<string>;
}

/** An Azure role the group's identity gets for the application, e.g. reading a Key Vault's secrets. */
export interface WindowsContainerGroupRoleArgs {
    /**
     * The role: a built-in role's GUID (e.g. `4633458b-17de-408a-b874-0445c86b69e6`, Key Vault Secrets User) or a
     * role definition's full resource id.
     */
    readonly roleDefinitionId: pulumi.Input<string>;
    /** The resource id the role applies to (a Key Vault, a storage account, a resource group...). */
    readonly scope: pulumi.Input<string>;
}

/** Arguments of WindowsContainerGroup. */
export interface WindowsContainerGroupArgs {
    /** The image to run, pinned by digest (GoWindowsImage's `imageRef`). */
    readonly imageRef: pulumi.Input<string>;
    /**
     * The image's Windows release; checked against what Azure Container Instances runs before anything is created.
     * Give this or `windowsVersions`, not both.
     */
    readonly windowsVersion?: string;
    /**
     * For an image index (`imageRef` names an index with one image per release): the releases it holds, e.g.
     * `["ltsc2019", "ltsc2022"]`. Azure documents ltsc2019 and ltsc2022, so an index with neither gets a warning.
     * Give this or `windowsVersion`.
     * @default none: `windowsVersion` is used
     */
    readonly windowsVersions?: string[];
    /** The resource group for the container group and its identity. */
    readonly resourceGroupName: pulumi.Input<string>;
    /**
     * The Azure region.
     * @default the resource group's region
     */
    readonly location?: pulumi.Input<string>;
    /** The registry's login server, e.g. `contosoapps.azurecr.io` (GoWindowsImage's `registryServer`). */
    readonly registryServer: pulumi.Input<string>;
    /**
     * The Azure Container Registry's resource id (GoWindowsImage's `acrRegistryId`, as it is): the group's identity
     * gets AcrPull there, and pulls with it.
     */
    readonly registryId: pulumi.Input<string | undefined>;
    /**
     * TCP ports to open, at most 5 (Azure's limit per IP address). Azure Container Instances reserves 22, 1025-1027,
     * 3389-3399, 9999, 19000, 19080, 19100, 19390, 20000-30000 and 49152-65534; 443 is allowed.
     * @default [8080]
     */
    readonly ports?: number[];
    /**
     * CPU cores, 0.1 to 4 in steps of 0.1: Azure documents 4 cores as the most a Windows container group takes.
     * @default 1
     */
    readonly cpu?: number;
    /**
     * Memory in GB, 0.1 to 16 in steps of 0.1: Azure documents 16 GB as the most a Windows container group takes.
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
     * A subnet delegated to Microsoft.ContainerInstance/containerGroups, for a private address. The subnet may hold
     * only container groups, and needs a NAT gateway for outbound traffic (the only way out that ACI supports from a
     * virtual network), or the group cannot reach anything outside it.
     * @default none: the group has no address unless `dnsNameLabel` is given
     */
    readonly subnetId?: pulumi.Input<string>;
    /**
     * An existing Log Analytics workspace (its resource id) for the group's logs and events. The workspace must
     * allow local authentication and public ingestion: container groups send with its shared key.
     * @default a new workspace in `resourceGroupName`
     */
    readonly logAnalyticsWorkspaceId?: pulumi.Input<string>;
    /**
     * Days the new workspace keeps logs, 30 to 730 (not with `logAnalyticsWorkspaceId`).
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * Log alerts on restarts and error lines.
     * @default both alerts, notifying no one
     */
    readonly alerts?: WindowsContainerGroupAlertsArgs;
    /**
     * How many times a create or update that fails to pull the image is tried again, a minute apart: a new AcrPull
     * role takes up to 10 minutes to apply. 0 registers no error hook, for a Pulumi CLI without error hooks.
     * @default 8
     */
    readonly pullRetries?: number;
    /**
     * Roles the group's identity gets for the application, by a name of your choosing (it names the role
     * assignment, so adding one never replaces another). The application signs in as the identity (its client id is
     * the `identityClientId` output).
     * @default none: the identity can only pull the image
     */
    readonly roleAssignments?: { [name: string]: WindowsContainerGroupRoleArgs };
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
