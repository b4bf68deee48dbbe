// Declares the image's registry (ECR, ACR or an existing one) and the per-run push credentials for it.
import * as pulumi from "@pulumi/pulumi";
import * as ecr from "@pulumi/aws/ecr";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import { acrTokenUserName, exchangeAadTokenForAcrRefreshToken } from "./acrToken";

/** An Amazon ECR repository created for the image. Every option defaults to what scanners require. */
export interface EcrRepositoryArgs {
    /**
     * The repository name: 2 to 256 lowercase letters, digits and `._-/` separators.
     * @default the component name, lowercased
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
     * Delete the repository even when it holds images. This destroys images, so it is off unless asked for.
     * @default false
     */
    readonly forceDelete?: boolean;
}

/** An Azure Container Registry created for the image, with the admin user off. */
export interface AcrRegistryArgs {
    /** The resource group that holds the registry. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** The registry name: 5 to 50 letters and digits, unique across Azure. */
    readonly registryName: string;
    /**
     * The Azure region.
     * @default the resource group's region
     */
    readonly location?: pulumi.Input<string>;
    /**
     * The repository inside the registry.
     * @default the component name, lowercased
     */
    readonly repositoryName?: string;
    /**
     * The SKU: `Basic`, `Standard` or `Premium`. Scanners ask for Standard or better.
     * @default "Standard"
     */
    readonly sku?: string;
    /**
     * Enable the admin user. Not needed for pushing (the component exchanges your Azure AD token) and flagged by scanners.
     * @default false
     */
    readonly adminUserEnabled?: boolean;
    /**
     * Allow access from public networks. The machine that runs `pulumi up` needs a network path to push.
     * @default true
     */
    readonly publicNetworkAccess?: boolean;
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

/** A registry that already exists, e.g. `localhost:5000` or a company registry. */
export interface ExistingRegistryArgs {
    /** The registry host with an optional port, without a scheme: `localhost:5000`, `registry.example.com`. */
    readonly server: string;
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

/** Credentials for one push; the password is always a secret. */
export interface PushCredentials {
    readonly address: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    readonly password: pulumi.Output<string>;
}

/** What the image needs from its registry. */
export interface DeclaredRegistry {
    /** `host/repository`, without tag or digest. */
    readonly repositoryUrl: pulumi.Output<string>;
    readonly credentials?: PushCredentials;
    /** Resources the push must wait for (repository, policies). */
    readonly dependencies: pulumi.Resource[];
    /** The ACR resource id, for ACR only. */
    readonly acrRegistryId?: pulumi.Output<string>;
}

function hostOf(repositoryUrl: string): string {
    return repositoryUrl.split("/")[0];
}

/** Declares an ECR repository with scan on push, immutable tags, KMS encryption and a lifecycle policy. */
export function declareEcrRepository(
    name: string,
    repositoryName: string,
    args: EcrRepositoryArgs,
    parent: pulumi.Resource,
): DeclaredRegistry {
    const repository = new ecr.Repository(
        `${name}-repo`,
        {
            name: repositoryName,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            forceDelete: args.forceDelete ?? false,
        },
        { parent },
    );
    const lifecycle = new ecr.LifecyclePolicy(
        `${name}-lifecycle`,
        {
            repository: repository.name,
            policy: JSON.stringify(ecrLifecyclePolicy(args.untaggedExpiryDays ?? 14, args.keepTaggedImages ?? 100)),
        },
        { parent },
    );
    // A fresh token on every run: ECR tokens last 12 hours, so a stored one would break later runs.
    const token = ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    return {
        repositoryUrl: repository.repositoryUrl,
        credentials: {
            address: repository.repositoryUrl.apply(hostOf),
            username: token.userName,
            password: pulumi.secret(token.password),
        },
        dependencies: [repository, lifecycle],
    };
}

/** The ECR lifecycle policy: untagged images expire after N days; only the newest N tagged images are kept. */
export function ecrLifecyclePolicy(untaggedExpiryDays: number, keepTaggedImages: number): object {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${untaggedExpiryDays} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: untaggedExpiryDays,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the newest ${keepTaggedImages} tagged images`,
                selection: {
                    tagStatus: "tagged",
                    tagPatternList: ["*"],
                    countType: "imageCountMoreThan",
                    countNumber: keepTaggedImages,
                },
                action: { type: "expire" },
            },
        ],
    };
}

/** Declares an ACR with the admin user and anonymous pull off, and push credentials from the deployer's Azure AD token. */
export function declareAcrRegistry(
    name: string,
    repositoryName: string,
    args: AcrRegistryArgs,
    parent: pulumi.Resource,
): DeclaredRegistry {
    const sku = args.sku ?? "Standard";
    const registry = new containerregistry.Registry(
        `${name}-registry`,
        {
            resourceGroupName: args.resourceGroupName,
            registryName: args.registryName,
            location: args.location,
            sku: { name: sku },
            adminUserEnabled: args.adminUserEnabled ?? false,
            anonymousPullEnabled: false,
            publicNetworkAccess: args.publicNetworkAccess === false ? "Disabled" : "Enabled",
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
        repositoryUrl: pulumi.interpolate`${registry.loginServer}/${repositoryName}`,
        credentials: {
            address: registry.loginServer,
            username: pulumi.output(acrTokenUserName),
            password: pulumi.secret(refreshToken),
        },
        dependencies: [registry],
        acrRegistryId: registry.id,
    };
}

/** Uses a registry that already exists; credentials only when both user name and password are given. */
export function useExistingRegistry(repositoryName: string, args: ExistingRegistryArgs): DeclaredRegistry {
    const credentials =
        args.username !== undefined && args.password !== undefined
            ? {
                  address: pulumi.output(args.server),
                  username: pulumi.output(args.username),
                  password: pulumi.secret(args.password),
              }
            : undefined;
    return {
        repositoryUrl: pulumi.output(`${args.server}/${repositoryName}`),
        credentials,
        dependencies: [],
    };
}
