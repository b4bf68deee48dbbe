// The registry arguments of GoWindowsImage: one of an ECR repository, an Azure Container Registry, or an existing registry.
import * as pulumi from "@pulumi/pulumi";

/** An Amazon ECR repository created for the image. Every option defaults to what scanners require. */
export interface EcrRepositoryArgs {
    /**
     * The repository name: 2 to 256 lowercase letters, digits and `._-/` separators.
     * @default auto-named from the component name (`<name>-repo-<random>`), so stacks in one account never collide
     */
    readonly repositoryName?: string;
    /**
     * A customer-managed KMS key ARN to encrypt images with.
     * @default the AWS-managed ECR KMS key
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Days after which untagged images (left by interrupted pushes) expire. Tagged images never expire by age,
     * since a running service may still reference them by digest.
     * @default 14
     */
    readonly untaggedExpiryDays?: number;
    /**
     * How many tagged images to keep; older ones expire. Keep it above the number of releases you may roll back to.
     * @default 100
     */
    readonly keepTaggedImages?: number;
    /**
     * Delete the repository and its images when the stack is destroyed or the repository replaced. Off: they are kept
     * (a running service may still pull from them), `pulumi destroy` completes, and the `retainedOnDestroy` output
     * says how to remove them.
     * @default false
     */
    readonly forceDelete?: boolean;
    /**
     * Make every tag immutable, the content-addressed `ctx-` tags included (plain `IMMUTABLE`, as Checkov CKV_AWS_51
     * and Trivy AVD-AWS-0031 check). Then a rebuild of unchanged sources that the build provider decides on (another
     * builder, an interrupted earlier run) fails on the existing tag until the sources change. Off: `ctx-` tags are
     * exempt (`IMMUTABLE_WITH_EXCLUSION`); they name exactly what decides the image and hosts pin digests.
     * @default false
     */
    readonly strictTagImmutability?: boolean;
}

/** The settings of an Azure Container Registry that this package creates (admin user and anonymous pull off). */
export interface AcrSettingsArgs {
    /**
     * The registry name: 5 to 50 letters and digits, unique across Azure.
     * @default auto-named from the component name's letters and digits (`<name>registry<random>`)
     */
    readonly registryName?: string;
    /**
     * The Azure region.
     * @default the resource group's region
     */
    readonly location?: pulumi.Input<string>;
    /**
     * The SKU: `Basic`, `Standard` or `Premium`. Scanners ask for Standard or better.
     * @default "Standard"
     */
    readonly sku?: string;
    /**
     * Allow access from public networks. Turning it off needs the Premium SKU and `privateEndpoint`, and the machine
     * that runs `pulumi up` must then reach the registry through that endpoint (e.g. a CI runner in the network).
     * @default true
     */
    readonly publicNetworkAccess?: boolean;
    /**
     * A private endpoint for the registry in a subnet (Premium only): what `publicNetworkAccess: false` needs.
     * @default none
     */
    readonly privateEndpoint?: AcrPrivateEndpointArgs;
    /**
     * Delete the registry and its images when the stack is destroyed or the registry replaced. Off: it is kept,
     * `pulumi destroy` completes, and the `retainedOnDestroy` output says how to remove it.
     * @default false
     */
    readonly forceDelete?: boolean;
    /**
     * Zone redundancy (Premium only).
     * @default false
     */
    readonly zoneRedundancy?: boolean;
    /**
     * Days to keep untagged manifests (Premium only).
     * @default no retention policy
     */
    readonly retentionDays?: number;
}

/** Arguments of AzureContainerRegistry: one registry that many images push to and many hosts pull from. */
export interface AzureContainerRegistryArgs extends AcrSettingsArgs {
    /** The resource group that holds the registry. */
    readonly resourceGroupName: pulumi.Input<string>;
}

/**
 * An image's Azure Container Registry: a new one made for the image (`resourceGroupName` and the settings), or one
 * that exists (`registryId` and `loginServer`: an AzureContainerRegistry's outputs, or any registry's). Either way
 * the image pushes with the deployer's Azure AD token; no admin user is needed.
 */
export interface AcrRegistryArgs extends AcrSettingsArgs {
    /**
     * The resource group that holds the new registry (not with `registryId`).
     * @default none: required unless `registryId` is given
     */
    readonly resourceGroupName?: pulumi.Input<string>;
    /**
     * An existing registry's resource id to push to instead of creating one, e.g. an AzureContainerRegistry's
     * `registryId`. Give `loginServer` with it; the new-registry settings are then refused. The registry must accept
     * Azure AD tokens as ARM tokens (`azureADAuthenticationAsArmPolicy`, on in AzureContainerRegistry).
     * @default none: a registry is created for the image
     */
    readonly registryId?: pulumi.Input<string>;
    /**
     * The existing registry's login server, e.g. `contosoapps.azurecr.io` (an AzureContainerRegistry's
     * `loginServer`). Only with `registryId`.
     * @default none
     */
    readonly loginServer?: pulumi.Input<string>;
    /**
     * The repository inside the registry. Images sharing a registry need distinct repositories.
     * @default the component name, lowercased
     */
    readonly repositoryName?: string;
    /**
     * Enable the admin user of the new registry. Not needed for pushing (the component exchanges your Azure AD token)
     * and flagged by scanners.
     * @default false
     */
    readonly adminUserEnabled?: boolean;
}

/** A private endpoint for an Azure Container Registry. */
export interface AcrPrivateEndpointArgs {
    /** The subnet for the endpoint (not one delegated to Container Instances). */
    readonly subnetId: pulumi.Input<string>;
    /**
     * The `privatelink.azurecr.io` private DNS zone to register the endpoint in.
     * @default none: the network's DNS must resolve the registry's private address
     */
    readonly privateDnsZoneId?: pulumi.Input<string>;
}

/** A registry that already exists, e.g. `localhost:5000` or a company registry. */
export interface ExistingRegistryArgs {
    /**
     * The registry host with an optional port, without a scheme: `localhost:5000`, `registry.example.com`; another
     * image's `registryServer` too.
     */
    readonly server: pulumi.Input<string>;
    /**
     * The repository inside the registry.
     * @default the component name, lowercased
     */
    readonly repositoryName?: string;
    /**
     * The user name to push with.
     * @default no authentication
     */
    readonly username?: pulumi.Input<string>;
    /**
     * The password or token to push with; stored encrypted.
     * @default no authentication
     */
    readonly password?: pulumi.Input<string>;
}

/** Where an image is pushed: exactly one of the three is required at run time. */
export interface ImageRegistryArgs {
    /** Create an Amazon ECR repository and push there. */
    readonly ecr?: EcrRepositoryArgs;
    /** Create an Azure Container Registry and push there. */
    readonly acr?: AcrRegistryArgs;
    /** Push to a registry that already exists. */
    readonly registry?: ExistingRegistryArgs;
}
