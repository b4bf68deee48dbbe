// An Amazon ECR repository for the image: scan on push, immutable tags, KMS, a lifecycle policy, and a fresh token per run.
import * as pulumi from "@pulumi/pulumi";
import * as ecr from "@pulumi/aws/ecr";
import { applyReported, fail, fromReported, rewritableTagFilters } from "../core";
import { DeclaredRegistry, hostOf } from "./declared";
import { ResolvedEcr, ecrLogicalName } from "./resolve";

/**
 * Tag immutability: every tag is immutable except the content-addressed ones, which name exactly what decides the
 * image, so that a rebuild the build provider decides on (another builder, an interrupted run) can push the same
 * tag again instead of failing, and the build cache's, which every build rewrites. `strictTagImmutability` makes
 * them immutable too.
 */
export function ecrTagMutability(
    strict: boolean,
): Pick<ecr.RepositoryArgs, "imageTagMutability" | "imageTagMutabilityExclusionFilters"> {
    if (strict) return { imageTagMutability: "IMMUTABLE" };
    return {
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: rewritableTagFilters.map((filter) => ({ filter, filterType: "WILDCARD" })),
    };
}

/** What destroying the stack leaves of a kept repository, and the command that removes it. */
function keptRepository(repositoryUrl: string): string {
    const [host, ...path] = repositoryUrl.split("/");
    const region = host.split(".")[3];
    const name = path.join("/");
    return (
        `ECR repository ${name} (${region}) and its images are kept when this stack is destroyed; ` +
        `remove them with \`aws ecr delete-repository --repository-name ${name} --region ${region} --force\`.`
    );
}

/**
 * A given repository name, once ECR says the repository of that name (if one exists) has the key asked for: a new
 * key would replace it by one of the same name, which fails (see `checkKmsKeyUnchanged`). Read from ECR itself
 * (previews too), not from the stack's state, so the refusal comes before anything is changed.
 */
function checkedRepositoryName(
    name: string,
    kmsKeyArn: pulumi.Input<string> | undefined,
    kept: boolean,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const existing = ecr
        .getRepositoriesOutput({}, { parent })
        .names.apply((names) =>
            fromReported(names, (all) => all.includes(name))
                ? ecr.getRepositoryOutput({ name }, { parent }).encryptionConfigurations.apply((c) => c[0]?.kmsKey)
                : undefined,
        );
    return pulumi.all([existing, kmsKeyArn]).apply(([current, wanted]) => {
        checkKmsKeyUnchanged(name, current, wanted, kept);
        return name;
    });
}

/** Declares an ECR repository with scan on push, immutable tags, KMS encryption and a lifecycle policy. */
export function declareEcrRepository(name: string, args: ResolvedEcr, parent: pulumi.Resource): DeclaredRegistry {
    // Kept on destroy unless asked: deleting a repository that holds images fails, and a service may pull from it.
    const keep = !args.forceDelete;
    const checkedName = args.repositoryName
        ? checkedRepositoryName(args.repositoryName, args.kmsKeyArn, keep, parent)
        : undefined;
    const repository = new ecr.Repository(
        ecrLogicalName(name),
        {
            name: checkedName,
            ...ecrTagMutability(args.strictTagImmutability),
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            forceDelete: args.forceDelete,
        },
        { parent, retainOnDelete: keep },
    );
    // The refusal reaches everything that uses the repository, not only its registration.
    const repositoryUrl = checkedName
        ? pulumi.all([checkedName, repository.repositoryUrl]).apply(([, url]) => url)
        : repository.repositoryUrl;
    const lifecycle = new ecr.LifecyclePolicy(
        `${name}-lifecycle`,
        {
            repository: repository.name,
            policy: JSON.stringify(ecrLifecyclePolicy(args.untaggedExpiryDays, args.keepTaggedImages)),
        },
        // A kept repository keeps expiring what it no longer needs.
        { parent, retainOnDelete: keep },
    );
    // A fresh token on every run: ECR tokens last 12 hours, so a stored one would break later runs.
    const token = ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    const server = applyReported(repositoryUrl, hostOf);
    return {
        repositoryUrl,
        server,
        credentials: { address: server, username: token.userName, password: pulumi.secret(token.password) },
        dependencies: [repository, lifecycle],
        retainedOnDestroy: keep ? applyReported(repositoryUrl, keptRepository) : undefined,
    };
}

/**
 * Refuses a new `kmsKeyArn` for a repository whose name is given. ECR cannot change a repository's encryption (the AWS
 * provider replaces the repository: `encryption_configuration` is ForceNew), and the replacement, under the same
 * name while the old repository still exists (kept, or not yet deleted), fails with RepositoryAlreadyExistsException.
 * `current` is the key the repository has (its state), `wanted` the one given; a key left out keeps the current one.
 */
export function checkKmsKeyUnchanged(
    repositoryName: string,
    current: string | undefined,
    wanted: string | undefined,
    kept: boolean,
): void {
    if (wanted === undefined || current === undefined || current === "" || current === wanted) return;
    const old = kept
        ? "The old repository and its images are kept (delete it with `aws ecr delete-repository --force` once nothing pulls from it)."
        : "The old repository is deleted with its images (`forceDelete`), after the new one is made.";
    fail(
        "ecr.kmsKeyArn",
        wanted,
        `the repository ${repositoryName} (\`ecr.repositoryName\`) is encrypted with ${current}, and ECR cannot change ` +
            "a repository's key: it would be replaced by a new repository of the same name, which ECR refuses " +
            "(RepositoryAlreadyExistsException) while the old one exists",
        `Set \`ecr.kmsKeyArn\` back to ${current}, or move to the new key under another name: give a new ` +
            `\`ecr.repositoryName\` (or none, for an auto-named repository) and run \`pulumi up\`; the images are pushed ` +
            `there again. ${old}`,
    );
}

/** What an image keeps tagged in its repository while it is live: what its `keepTaggedImages` must cover. */
export interface LiveTaggedImages {
    /** Release images: one per release of `windowsVersions`, else the one image. */
    readonly releases: number;
    /** Whether an image index lists them (`windowsVersions`). */
    readonly index: boolean;
    /** Whether the build cache is exported to the repository (`registryCache`), under a tag of its own. */
    readonly cache: boolean;
}

/**
 * Refuses a `keepTaggedImages` below what the live image needs: ECR's lifecycle policy counts every tagged image
 * (each release image, the index, the build cache) and expires the oldest beyond the count, so a smaller count
 * would expire images the live index still names, and hosts could no longer pull them.
 */
export function checkKeepTaggedImages(keepTaggedImages: number, live: LiveTaggedImages): void {
    const parts = [
        live.index ? `${live.releases} release images of \`windowsVersions\`` : "the image",
        ...(live.index ? ["the image index"] : []),
        ...(live.cache ? ["the build cache of `registryCache`"] : []),
    ];
    const needed = live.releases + (live.index ? 1 : 0) + (live.cache ? 1 : 0);
    if (keepTaggedImages < needed)
        fail(
            "ecr.keepTaggedImages",
            keepTaggedImages,
            `the live image keeps ${needed} tagged images in its repository (${parts.join(", ")}), and ECR's ` +
                "lifecycle policy counts them all: a smaller count would expire images hosts still pull",
            `Give at least ${needed}, and more to keep earlier images to roll back to (each update adds ${needed - (live.cache ? 1 : 0)}).`,
        );
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
