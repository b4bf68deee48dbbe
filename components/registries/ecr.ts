// An Amazon ECR repository for the image: scan on push, immutable tags, KMS, a lifecycle policy, and a fresh token per run.
import * as pulumi from "@pulumi/pulumi";
import * as ecr from "@pulumi/aws/ecr";
import { DeclaredRegistry, hostOf } from "./declared";
import { ResolvedEcr } from "./resolve";

/** Declares an ECR repository with scan on push, immutable tags, KMS encryption and a lifecycle policy. */
export function declareEcrRepository(name: string, args: ResolvedEcr, parent: pulumi.Resource): DeclaredRegistry {
    const repository = new ecr.Repository(
        `${name}-repo`,
        {
            name: args.repositoryName,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            forceDelete: args.forceDelete,
        },
        { parent },
    );
    const lifecycle = new ecr.LifecyclePolicy(
        `${name}-lifecycle`,
        {
            repository: repository.name,
            policy: JSON.stringify(ecrLifecyclePolicy(args.untaggedExpiryDays, args.keepTaggedImages)),
        },
        { parent },
    );
    // A fresh token on every run: ECR tokens last 12 hours, so a stored one would break later runs.
    const token = ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    const server = repository.repositoryUrl.apply(hostOf);
    return {
        repositoryUrl: repository.repositoryUrl,
        server,
        credentials: { address: server, username: token.userName, password: pulumi.secret(token.password) },
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
