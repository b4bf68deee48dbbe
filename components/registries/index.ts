// The registries an image is pushed to: ECR, ACR (with the Azure AD token exchange) or an existing one.
import * as pulumi from "@pulumi/pulumi";
import { declareAcrRegistry, useExistingAcr } from "./acr";
import { DeclaredRegistry } from "./declared";
import { declareEcrRepository } from "./ecr";
import { useExistingRegistry } from "./existing";
import { ResolvedRegistry } from "./resolve";

export * from "./args";
export { resolveRegistry } from "./resolve";
export type {
    ResolvedRegistry,
    ResolvedEcr,
    ResolvedAcr,
    ResolvedExistingAcr,
    ResolvedExistingRegistry,
} from "./resolve";
export { AzureContainerRegistry } from "./azureContainerRegistry";
export type { DeclaredRegistry, PushCredentials } from "./declared";
export { checkKeepTaggedImages, ecrLifecyclePolicy } from "./ecr";
export type { LiveTaggedImages } from "./ecr";
export { EcrAccountSettings } from "./ecrAccountSettings";
export type { EcrAccountSettingsArgs } from "./ecrAccountSettings";
export { acrExchangeRequest, acrTokenUserName, exchangeAadTokenForAcrRefreshToken } from "./acrToken";
export { ImageIndex, buildImageIndex, imageIndexProvider } from "./imageIndex";
export { readIndexEntry } from "./indexEntries";
export type { BuiltImageIndex, ImageIndexArgs, ImageIndexEntry, ImageIndexEntryArgs } from "./imageIndex";
export type { ImageIndexInputs, ImageIndexOutputs } from "./imageIndex";

/**
 * Declares the resolved registry's resources (none for an existing one) under `parent`. `pushCredentialsInPreview`:
 * whether a preview needs push credentials (it builds); otherwise a preview asks for none.
 */
export function declareRegistry(
    name: string,
    registry: ResolvedRegistry,
    parent: pulumi.Resource,
    pushCredentialsInPreview: boolean,
): DeclaredRegistry {
    switch (registry.kind) {
        case "ecr":
            return declareEcrRepository(name, registry, parent);
        case "acr":
            return declareAcrRegistry(name, registry, parent, pushCredentialsInPreview);
        case "existing-acr":
            return useExistingAcr(registry, parent, pushCredentialsInPreview);
        case "existing":
            return useExistingRegistry(registry);
    }
}
