// The arguments of WindowsContainerGroup, defined once: the component takes them, the resolver checks them.
import * as pulumi from "@pulumi/pulumi";

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
    /** The registry's login server, e.g. `contosoapps.azurecr.io` (GoWindowsImage's `registryServer`). */
    readonly registryServer: pulumi.Input<string>;
    /**
     * The Azure Container Registry's resource id (GoWindowsImage's `acrRegistryId`, as it is): the group's identity
     * gets AcrPull there, and pulls with it.
     */
    readonly registryId: pulumi.Input<string | undefined>;
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
