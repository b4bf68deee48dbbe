// AzureContainerRegistry: one ACR that many GoWindowsImages push to and many container groups pull from.
import * as pulumi from "@pulumi/pulumi";
import { resolveArgsFor } from "../core";
import { declareAcrResource } from "./acr";
import { AzureContainerRegistryArgs } from "./args";
import { resolveAzureContainerRegistryArgs } from "./resolve";

/**
 * An Azure Container Registry shared by many images: admin user and anonymous pull off, Azure AD tokens accepted as
 * ARM tokens (each image exchanges the deployer's token to push), kept on destroy unless `forceDelete`. Give its
 * `registryId` and `loginServer` to each GoWindowsImage's `acr`; each WindowsContainerGroup pulls with its own
 * identity, granted AcrPull on this registry.
 */
export class AzureContainerRegistry extends pulumi.ComponentResource {
    /** The registry's resource id: an image's `acr.registryId`, the scope of each host's AcrPull role. */
    public readonly registryId: pulumi.Output<string>;
    /** The registry's login server, e.g. `contosoapps.azurecr.io`: an image's `acr.loginServer`. */
    public readonly loginServer: pulumi.Output<string>;
    /** The registry's name (auto-named unless `registryName` is given). */
    public readonly registryName: pulumi.Output<string>;
    /** What `pulumi destroy` leaves (the registry, unless `forceDelete`) and how to remove it; undefined otherwise. */
    public readonly retainedOnDestroy: pulumi.Output<string | undefined>;

    constructor(name: string, args: AzureContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:AzureContainerRegistry", name, {}, opts);
        const resolved = resolveArgsFor("AzureContainerRegistry", name, this, () =>
            resolveAzureContainerRegistryArgs(args),
        );
        const declared = declareAcrResource(name, resolved, this);
        this.registryId = declared.registry.id;
        this.loginServer = declared.registry.loginServer;
        this.registryName = declared.registry.name;
        this.retainedOnDestroy = declared.retainedOnDestroy ?? pulumi.output(undefined);
        this.retainedOnDestroy.apply((kept) => kept && pulumi.log.info(kept, this));
        this.registerOutputs({
            registryId: this.registryId,
            loginServer: this.loginServer,
            registryName: this.registryName,
            retainedOnDestroy: this.retainedOnDestroy,
        });
    }
}
