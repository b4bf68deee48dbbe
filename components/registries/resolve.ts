// Checks the registry arguments before anything is created and decides every registry default, once.
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, checkWholeNumber, childName, fail, oneOf, repositoryPattern } from "../core";
import {
    AcrPrivateEndpointArgs,
    AcrRegistryArgs,
    AcrSettingsArgs,
    AzureContainerRegistryArgs,
    ImageRegistryArgs,
} from "./args";

/** An ECR repository with its defaults decided. */
export interface ResolvedEcr {
    readonly kind: "ecr";
    /** Undefined: auto-named from the logical name. */
    readonly repositoryName?: string;
    readonly kmsKeyArn?: pulumi.Input<string>;
    readonly untaggedExpiryDays: number;
    readonly keepTaggedImages: number;
    readonly forceDelete: boolean;
    readonly strictTagImmutability: boolean;
}

/** The settings of a registry to create, with their defaults decided. */
export interface ResolvedAcrSettings {
    /** Undefined: auto-named from the logical name. */
    readonly registryName?: string;
    readonly location?: pulumi.Input<string>;
    readonly sku: AcrSku;
    readonly adminUserEnabled: boolean;
    readonly publicNetworkAccess: boolean;
    readonly privateEndpoint?: AcrPrivateEndpointArgs;
    readonly zoneRedundancy: boolean;
    readonly retentionDays?: number;
    readonly forceDelete: boolean;
}

/** An Azure Container Registry made for the image, with its defaults decided. */
export interface ResolvedAcr extends ResolvedAcrSettings {
    readonly kind: "acr";
    readonly repositoryName: string;
    readonly resourceGroupName: pulumi.Input<string>;
}

/** An Azure Container Registry that exists (a shared one): pushed to with the deployer's Azure AD token. */
export interface ResolvedExistingAcr {
    readonly kind: "existing-acr";
    readonly repositoryName: string;
    readonly registryId: pulumi.Input<string>;
    readonly loginServer: pulumi.Input<string>;
}

/** A registry that already exists. */
export interface ResolvedExistingRegistry {
    readonly kind: "existing";
    readonly repositoryName: string;
    readonly server: pulumi.Input<string>;
    /** Both or neither: checked. */
    readonly credentials?: { readonly username: pulumi.Input<string>; readonly password: pulumi.Input<string> };
}

export type ResolvedRegistry = ResolvedEcr | ResolvedAcr | ResolvedExistingAcr | ResolvedExistingRegistry;

const acrSkus = ["Basic", "Standard", "Premium"] as const;
type AcrSku = (typeof acrSkus)[number];
// ECR's own rule for repository names.
const ecrRepositoryPattern = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const serverPattern = /^(?:\[[0-9a-fA-F:]+\]|[a-zA-Z0-9.-]+)(?::\d{1,5})?$/;

/** The repository given, or the component's name; checked against the OCI rule for repository names. */
function repositoryFor(argument: string, given: string | undefined, defaultRepository: string): string {
    const name = given ?? defaultRepository;
    if (!repositoryPattern.test(name))
        fail(argument, name, "repository names are lowercase letters and digits with `._-/` separators");
    return name;
}

/**
 * The logical name of a component's ECR repository. Pulumi auto-names the repository from it by appending "-" and 7
 * hex digits, and ECR takes lowercase names of at most 256 characters, so other names are fitted to that.
 */
export const ecrLogicalName = (componentName: string) =>
    childName(componentName, "-repo", { maxLength: 248, lowercase: true });

function resolveEcr(args: NonNullable<ImageRegistryArgs["ecr"]>): ResolvedEcr {
    const name = args.repositoryName;
    if (name !== undefined && (name.length < 2 || name.length > 256 || !ecrRepositoryPattern.test(name))) {
        fail(
            "ecr.repositoryName",
            name,
            "ECR repository names are 2 to 256 lowercase letters, digits and `._-/` separators",
        );
    }
    checkWholeNumber("ecr.untaggedExpiryDays", args.untaggedExpiryDays, 1, 3650);
    checkWholeNumber("ecr.keepTaggedImages", args.keepTaggedImages, 1, 10000);
    return {
        kind: "ecr",
        repositoryName: args.repositoryName,
        kmsKeyArn: args.kmsKeyArn,
        untaggedExpiryDays: args.untaggedExpiryDays ?? 14,
        keepTaggedImages: args.keepTaggedImages ?? 100,
        forceDelete: args.forceDelete ?? false,
        strictTagImmutability: args.strictTagImmutability ?? false,
    };
}

function checkAcrNetwork(prefix: string, args: AcrSettingsArgs, sku: AcrSku): void {
    if (args.privateEndpoint !== undefined && sku !== "Premium") {
        fail(
            `${prefix}privateEndpoint`,
            "{...}",
            `private endpoints need the Premium SKU, and \`${prefix}sku\` is "${sku}"`,
        );
    }
    if (args.publicNetworkAccess === false && args.privateEndpoint === undefined) {
        fail(
            `${prefix}publicNetworkAccess`,
            false,
            "a registry without public access is reachable only through a private endpoint, and none is given",
            `Give \`${prefix}privateEndpoint\` (Premium SKU) and run \`pulumi up\` from a machine that reaches it, or leave public access on.`,
        );
    }
}

/**
 * Checks a new registry's settings and decides their defaults; `prefix` is how the arguments are named in errors
 * (`acr.` for an image's, none for AzureContainerRegistry's).
 */
export function resolveAcrSettings(
    prefix: string,
    args: AcrSettingsArgs & { adminUserEnabled?: boolean },
): ResolvedAcrSettings {
    if (args.registryName !== undefined && !/^[a-zA-Z0-9]{5,50}$/.test(String(args.registryName))) {
        fail(
            `${prefix}registryName`,
            args.registryName,
            "ACR registry names are 5 to 50 letters and digits, unique across Azure",
        );
    }
    const sku = oneOf(`${prefix}sku`, args.sku, acrSkus, "Standard");
    if (args.zoneRedundancy && sku !== "Premium") {
        fail(
            `${prefix}zoneRedundancy`,
            true,
            `zone redundancy needs the Premium SKU, and \`${prefix}sku\` is "${sku}"`,
        );
    }
    if (args.retentionDays !== undefined && sku !== "Premium") {
        fail(
            `${prefix}retentionDays`,
            args.retentionDays,
            `retention of untagged manifests needs the Premium SKU, and \`${prefix}sku\` is "${sku}"`,
        );
    }
    checkWholeNumber(`${prefix}retentionDays`, args.retentionDays, 0, 365);
    checkAcrNetwork(prefix, args, sku);
    return {
        registryName: args.registryName,
        location: args.location,
        sku,
        adminUserEnabled: args.adminUserEnabled ?? false,
        publicNetworkAccess: args.publicNetworkAccess ?? true,
        privateEndpoint: args.privateEndpoint,
        zoneRedundancy: args.zoneRedundancy ?? false,
        retentionDays: args.retentionDays,
        forceDelete: args.forceDelete ?? false,
    };
}

/** Checks AzureContainerRegistry's arguments and decides their defaults; its registry never has the admin user. */
export function resolveAzureContainerRegistryArgs(
    args: AzureContainerRegistryArgs,
): ResolvedAcrSettings & { readonly resourceGroupName: pulumi.Input<string> } {
    if (!args || args.resourceGroupName === undefined)
        fail("resourceGroupName", undefined, "a registry needs the resource group that holds it");
    return { ...resolveAcrSettings("", args), adminUserEnabled: false, resourceGroupName: args.resourceGroupName };
}

/** The settings that make a new registry, refused beside `registryId`. */
const newRegistrySettings = [
    "resourceGroupName",
    "registryName",
    "location",
    "sku",
    "adminUserEnabled",
    "publicNetworkAccess",
    "privateEndpoint",
    "forceDelete",
    "zoneRedundancy",
    "retentionDays",
] as const;

/** A registry that exists, by id and login server; nothing of a new registry may be set beside them. */
function resolveExistingAcr(args: AcrRegistryArgs, repositoryName: string): ResolvedExistingAcr {
    if (args.registryId === undefined || args.loginServer === undefined) {
        fail(
            args.registryId === undefined ? "acr.registryId" : "acr.loginServer",
            undefined,
            "an existing registry is given by its resource id and its login server together",
            "Give both (an AzureContainerRegistry's `registryId` and `loginServer`), or neither to create a registry.",
        );
    }
    const extra = newRegistrySettings.find((key) => args[key] !== undefined);
    if (extra !== undefined) {
        fail(
            `acr.${extra}`,
            typeof args[extra] === "object" ? "{...}" : args[extra],
            "it configures a new registry, and `acr.registryId` names an existing one",
            `Drop \`acr.${extra}\` (set it on the registry itself), or drop \`acr.registryId\` to create a registry.`,
        );
    }
    return { kind: "existing-acr", repositoryName, registryId: args.registryId, loginServer: args.loginServer };
}

function resolveAcr(args: AcrRegistryArgs, defaultRepository: string): ResolvedAcr | ResolvedExistingAcr {
    const repositoryName = repositoryFor("acr.repositoryName", args.repositoryName, defaultRepository);
    if (args.registryId !== undefined || args.loginServer !== undefined)
        return resolveExistingAcr(args, repositoryName);
    const settings = resolveAcrSettings("acr.", args);
    if (args.resourceGroupName === undefined) {
        fail(
            "acr.resourceGroupName",
            undefined,
            "a new registry needs a resource group",
            "Give `acr.resourceGroupName`, or `acr.registryId` and `acr.loginServer` to push to an existing registry.",
        );
    }
    return {
        kind: "acr",
        repositoryName,
        resourceGroupName: args.resourceGroupName,
        ...settings,
    };
}

/** A registry host with an optional port, without a scheme or path. */
export function checkRegistryServer(server: string): string {
    if (!serverPattern.test(server)) {
        fail(
            "registry.server",
            server,
            "it must be a registry host with an optional port, such as `localhost:5000`, without a scheme or path",
        );
    }
    return server;
}

function resolveExisting(
    args: NonNullable<ImageRegistryArgs["registry"]>,
    defaultRepository: string,
): ResolvedExistingRegistry {
    // A plain host is checked now; an Output (another image's `registryServer`) once it is known.
    if (typeof args.server === "string") checkRegistryServer(args.server);
    else if (!pulumi.Output.isInstance(args.server) && !(args.server instanceof Promise))
        checkRegistryServer(args.server as unknown as string);
    if ((args.username === undefined) !== (args.password === undefined)) {
        fail(
            args.username === undefined ? "registry.username" : "registry.password",
            undefined,
            "a user name and a password go together",
            "Give both, or neither for a registry without authentication.",
        );
    }
    return {
        kind: "existing",
        repositoryName: repositoryFor("registry.repositoryName", args.repositoryName, defaultRepository),
        server: args.server,
        credentials:
            args.username !== undefined && args.password !== undefined
                ? { username: args.username, password: args.password }
                : undefined,
    };
}

/** Checks that exactly one registry is given and resolves it; the repository defaults to the component name. */
export function resolveRegistry(args: ImageRegistryArgs, componentName: string): ResolvedRegistry {
    const given = (["ecr", "acr", "registry"] as const).filter((k) => args[k] !== undefined);
    if (given.length !== 1) {
        throw new ArgumentError(
            "ecr",
            `Exactly one of \`ecr\`, \`acr\` or \`registry\` must be given; ${given.length === 0 ? "none was" : `${given.map((g) => `\`${g}\``).join(" and ")} were`}. ` +
                "Pass `ecr: {}` for AWS, `acr: { resourceGroupName, registryName }` for Azure, or `registry: { server }` for an existing registry.",
        );
    }
    const defaultRepository = componentName.toLowerCase();
    if (args.ecr) return resolveEcr(args.ecr);
    if (args.acr) return resolveAcr(args.acr, defaultRepository);
    return resolveExisting(args.registry!, defaultRepository);
}
