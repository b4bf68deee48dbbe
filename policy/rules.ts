// The policies of the pack, one per scanner rule that applies to what this project creates; each names the rules it mirrors.
import { DockerfileParser } from "dockerfile-ast";
import { credentialLikeName } from "../components/hostValidation";
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

type Props = Record<string, unknown>;

/** A resource policy that looks at one resource type; unknown values (previews) are skipped by each check. */
function forType(
    name: string,
    description: string,
    type: string,
    check: (props: Props, report: ReportViolation, args: ResourceValidationArgs) => void,
    enforcementLevel: "mandatory" | "advisory" | "disabled" = "mandatory",
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel,
        validateResource: (args, report) => {
            if (args.type === type) check(args.props, report, args);
        },
    };
}

const obj = (value: unknown): Props => (value && typeof value === "object" ? (value as Props) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The containers of an ECS task definition (its `containerDefinitions` is a JSON string). */
function ecsContainers(props: Props): Props[] {
    const raw = props.containerDefinitions;
    if (typeof raw !== "string") return [];
    try {
        return list(JSON.parse(raw)).map(obj);
    } catch {
        return [];
    }
}

const isWindowsTask = (props: Props) =>
    String(obj(props.runtimePlatform).operatingSystemFamily ?? "").startsWith("WINDOWS");

const administrators = new Set(["containeradministrator", "administrator", "root", "0"]);

/** A policy on the Dockerfile that docker-build takes inline (the generated one); images without one are skipped. */
function forDockerfile(
    name: string,
    description: string,
    check: (dockerfile: string, report: ReportViolation) => void,
): ResourceValidationPolicy {
    return forType(name, description, "docker-build:index:Image", (props, report) => {
        const inline = obj(props.dockerfile).inline;
        if (typeof inline === "string") check(inline, report);
    });
}

const ecr = "aws:ecr/repository:Repository";
const ecsTask = "aws:ecs/taskDefinition:TaskDefinition";
const ecsService = "aws:ecs/service:Service";
const acr = "azure-native:containerregistry:Registry";
const aci = "azure-native:containerinstance:ContainerGroup";

export const resourcePolicies: ResourceValidationPolicy[] = [
    // AWS: ECR
    forType(
        "ecr-scan-on-push",
        "ECR repositories scan images on push (CKV_AWS_163, Security Hub ECR.1, Trivy AVD-AWS-0030).",
        ecr,
        (p, report) => {
            if (obj(p.imageScanningConfiguration).scanOnPush !== true)
                report("Set imageScanningConfiguration.scanOnPush to true.");
        },
    ),
    forType(
        "ecr-immutable-tags",
        "ECR repositories have immutable tags (CKV_AWS_51, Security Hub ECR.2, Trivy AVD-AWS-0031).",
        ecr,
        (p, report) => {
            if (p.imageTagMutability !== "IMMUTABLE")
                report(
                    `imageTagMutability is ${JSON.stringify(p.imageTagMutability ?? "MUTABLE")}; set it to IMMUTABLE.`,
                );
        },
    ),
    forType(
        "ecr-kms-encryption",
        "ECR repositories are encrypted with KMS (CKV_AWS_136, Trivy AVD-AWS-0033).",
        ecr,
        (p, report) => {
            if (obj(list(p.encryptionConfigurations)[0]).encryptionType !== "KMS")
                report('Set encryptionConfigurations to [{ encryptionType: "KMS" }].');
        },
    ),
    forType(
        "ecr-lifecycle-keeps-running-images",
        "ECR lifecycle rules never expire tagged images by age: a running service may reference one by digest (project rule; keeps ECR.3 safe).",
        "aws:ecr/lifecyclePolicy:LifecyclePolicy",
        (p, report) => {
            if (typeof p.policy !== "string") return;
            for (const rule of list(obj(JSON.parse(p.policy)).rules).map(obj)) {
                const selection = obj(rule.selection);
                if (selection.tagStatus !== "untagged" && selection.countType === "sinceImagePushed") {
                    report(
                        `Rule ${String(rule.rulePriority)} expires ${String(selection.tagStatus)} images by age; expire only untagged images by age.`,
                    );
                }
            }
        },
    ),
    forType(
        "ecr-repository-policy-not-public",
        "ECR repository policies do not allow everyone (CKV_AWS_32, Trivy AVD-AWS-0032).",
        "aws:ecr/repositoryPolicy:RepositoryPolicy",
        (p, report) => {
            if (typeof p.policy !== "string") return;
            for (const statement of list(obj(JSON.parse(p.policy)).Statement).map(obj)) {
                const principal = statement.Principal;
                const everyone =
                    principal === "*" || obj(principal).AWS === "*" || list(obj(principal).AWS).includes("*");
                if (statement.Effect === "Allow" && everyone && !statement.Condition)
                    report('A statement allows Principal "*" without a condition.');
            }
        },
    ),
    // AWS: ECS
    forType(
        "ecs-container-insights",
        "ECS clusters have Container Insights on (CKV_AWS_65, Security Hub ECS.12, Trivy AVD-AWS-0034).",
        "aws:ecs/cluster:Cluster",
        (p, report) => {
            const setting = list(p.settings)
                .map(obj)
                .find((s) => s.name === "containerInsights");
            if (setting?.value !== "enabled" && setting?.value !== "enhanced")
                report('Add settings [{ name: "containerInsights", value: "enabled" }].');
        },
    ),
    forType(
        "ecs-separate-roles",
        "ECS task definitions use an execution role that differs from the task role (CKV_AWS_249).",
        ecsTask,
        (p, report) => {
            if (typeof p.executionRoleArn === "string" && p.executionRoleArn === p.taskRoleArn)
                report("executionRoleArn and taskRoleArn are the same role.");
        },
    ),
    forType(
        "ecs-not-privileged",
        "ECS containers are not privileged (CKV_AWS_334, Security Hub ECS.4).",
        ecsTask,
        (p, report) => {
            for (const c of ecsContainers(p))
                if (c.privileged === true) report(`Container ${String(c.name)} is privileged.`);
        },
    ),
    forType(
        "ecs-no-secrets-in-environment",
        "ECS containers take secrets through `secrets`/`valueFrom`, not plain environment variables (Security Hub ECS.8, Trivy AVD-AWS-0036).",
        ecsTask,
        (p, report) => {
            for (const c of ecsContainers(p)) {
                for (const e of list(c.environment).map(obj)) {
                    if (credentialLikeName.test(String(e.name)))
                        report(
                            `Container ${String(c.name)} has ${String(e.name)} in its plain environment; use secrets with valueFrom.`,
                        );
                }
            }
        },
    ),
    forType(
        "ecs-log-configuration",
        "ECS containers have a log configuration (Security Hub ECS.9).",
        ecsTask,
        (p, report) => {
            for (const c of ecsContainers(p))
                if (!obj(c.logConfiguration).logDriver) report(`Container ${String(c.name)} has no logConfiguration.`);
        },
    ),
    forType(
        "ecs-non-admin-user",
        "ECS containers do not run as an administrator (Security Hub ECS.21). ECS rejects `user` on Windows, so Windows tasks must leave it unset and take the non-administrator USER from the image (see dockerfile-non-admin-user).",
        ecsTask,
        (p, report) => {
            for (const c of ecsContainers(p)) {
                const user = typeof c.user === "string" ? c.user : undefined;
                if (isWindowsTask(p) && user !== undefined)
                    report(
                        `Container ${String(c.name)} sets user, which ECS does not support on Windows; set USER in the image.`,
                    );
                else if (!isWindowsTask(p) && (user === undefined || administrators.has(user.toLowerCase())))
                    report(`Container ${String(c.name)} runs as ${user ?? "root"}.`);
            }
        },
    ),
    forType(
        "ecs-read-only-root-filesystem",
        "ECS containers have a read-only root filesystem (CKV_AWS_336, Security Hub ECS.5). Exemption: Windows containers do not support it, so Windows task definitions are exempt.",
        ecsTask,
        (p, report) => {
            if (isWindowsTask(p)) return;
            for (const c of ecsContainers(p))
                if (c.readonlyRootFilesystem !== true)
                    report(`Container ${String(c.name)} has a writable root filesystem.`);
        },
    ),
    forType(
        "ecs-no-public-ip",
        "ECS services do not assign public IPs (CKV_AWS_333, Security Hub ECS.2).",
        ecsService,
        (p, report) => {
            if (obj(p.networkConfiguration).assignPublicIp === true)
                report("networkConfiguration.assignPublicIp is true.");
        },
    ),
    forType(
        "ecs-fargate-latest-platform",
        "Fargate services run on the latest platform version (CKV_AWS_332, Security Hub ECS.10).",
        ecsService,
        (p, report) => {
            if (p.launchType === "FARGATE" && p.platformVersion !== undefined && p.platformVersion !== "LATEST") {
                report(`platformVersion is ${JSON.stringify(p.platformVersion)}; use LATEST.`);
            }
        },
    ),
    // Azure: ACR
    forType(
        "acr-admin-user-disabled",
        "Container registries have the admin user disabled (CKV_AZURE_137, Azure Policy dc921057).",
        acr,
        (p, report) => {
            if (p.adminUserEnabled === true) report("adminUserEnabled is true.");
        },
    ),
    forType(
        "acr-anonymous-pull-disabled",
        "Container registries do not allow anonymous pull (CKV_AZURE_138).",
        acr,
        (p, report) => {
            if (p.anonymousPullEnabled === true) report("anonymousPullEnabled is true.");
        },
    ),
    forType(
        "acr-public-network-disabled",
        "Container registries disable public network access (CKV_AZURE_139). Opt-in (disabled by default): the machine that pushes needs a network path to the registry.",
        acr,
        (p, report) => {
            if (p.publicNetworkAccess !== "Disabled") report("publicNetworkAccess is not Disabled.");
        },
        "disabled",
    ),
    forType(
        "acr-sku-standard-or-premium",
        "Container registries use the Standard or Premium SKU (CKV_AZURE_163).",
        acr,
        (p, report) => {
            const sku = obj(p.sku).name;
            if (sku !== undefined && sku !== "Standard" && sku !== "Premium")
                report(`SKU is ${JSON.stringify(sku)}; use Standard or Premium.`);
        },
    ),
    forType(
        "acr-premium-quarantine-and-retention",
        "Premium container registries quarantine new images and retain untagged manifests for a limited time (CKV_AZURE_166, CKV_AZURE_167).",
        acr,
        (p, report) => {
            if (obj(p.sku).name !== "Premium") return;
            const policies = obj(p.policies);
            if (obj(policies.quarantinePolicy).status !== "enabled") report("The quarantine policy is not enabled.");
            if (obj(policies.retentionPolicy).status !== "enabled")
                report("The retention policy for untagged manifests is not enabled.");
        },
        "advisory",
    ),
    forType(
        "acr-premium-zone-redundancy",
        "Premium container registries are zone redundant (CKV_AZURE_233).",
        acr,
        (p, report) => {
            if (obj(p.sku).name === "Premium" && p.zoneRedundancy !== "Enabled")
                report("zoneRedundancy is not Enabled.");
        },
        "advisory",
    ),
    {
        name: "acr-no-repository-tokens",
        description:
            "Container registries have no repository-scoped access tokens, a form of local authentication (Azure Policy ff05e24e).",
        enforcementLevel: "mandatory",
        validateResource: (args, report) => {
            if (
                args.type === "azure-native:containerregistry:Token" ||
                args.type === "azure-native:containerregistry:ScopeMap"
            ) {
                report("Push and pull with Azure AD identities instead of repository-scoped tokens.");
            }
        },
    },
    // Azure: Container Instances
    forType(
        "aci-no-public-ip",
        "Container groups are in a subnet with a private address, or have no public IP (CKV_AZURE_98, CKV_AZURE_245).",
        aci,
        (p, report) => {
            if (obj(p.ipAddress).type === "Public")
                report("The container group has a public IP; put it in a subnet (subnetId) or drop dnsNameLabel.");
        },
    ),
    forType(
        "aci-secure-environment",
        "Container groups pass secrets as secureValue, not plain environment variables (CKV_AZURE_235).",
        aci,
        (p, report) => {
            for (const c of list(p.containers).map(obj)) {
                for (const e of list(c.environmentVariables).map(obj)) {
                    if (e.value !== undefined && credentialLikeName.test(String(e.name)))
                        report(`${String(e.name)} is a plain value; use secureValue (secureEnvironment).`);
                }
            }
        },
    ),
    forType("aci-managed-identity", "Container groups have a managed identity (CKV2_AZURE_28).", aci, (p, report) => {
        if (!obj(p.identity).type) report("The container group has no managed identity.");
    }),
    // The generated Dockerfile
    forDockerfile("dockerfile-healthcheck", "Images declare a HEALTHCHECK (CKV_DOCKER_2).", (text, report) => {
        const last = lastStage(text);
        if (!last.some((i) => i.keyword === "HEALTHCHECK" && !/^NONE$/i.test(i.args.trim())))
            report("The runtime stage has no HEALTHCHECK.");
    }),
    forDockerfile(
        "dockerfile-non-admin-user",
        "The last USER of an image is not an administrator (CKV_DOCKER_3, CKV_DOCKER_8).",
        (text, report) => {
            const users = lastStage(text).filter((i) => i.keyword === "USER");
            const user = users.length > 0 ? users[users.length - 1].args.trim() : undefined;
            if (user === undefined)
                report(
                    "The runtime stage sets no USER, so it runs as the base image's default (ContainerAdministrator on servercore).",
                );
            else if (administrators.has(user.toLowerCase())) report(`The last USER is ${user}.`);
        },
    ),
    forDockerfile(
        "dockerfile-pinned-base",
        "Base images are pinned to a tag that is not `latest`, or to a digest (CKV_DOCKER_7).",
        (text, report) => {
            const dockerfile = DockerfileParser.parse(text);
            const stages = new Set(
                dockerfile
                    .getFROMs()
                    .map((f) => f.getBuildStage()?.toLowerCase())
                    .filter(Boolean),
            );
            for (const from of dockerfile.getFROMs()) {
                const image = from.getImageName();
                if (!image || stages.has(image.toLowerCase()) || image === "scratch") continue;
                const tag = from.getImageTag();
                if (!from.getImageDigest() && (tag === undefined || tag === null || tag === "latest"))
                    report(`FROM ${from.getImage()} is not pinned to a version tag or digest.`);
            }
        },
    ),
];

/** The instructions of the last stage (the image that ships), with their raw arguments. */
function lastStage(text: string): { keyword: string; args: string }[] {
    const dockerfile = DockerfileParser.parse(text);
    const froms = dockerfile.getFROMs();
    const start = froms.length > 0 ? froms[froms.length - 1].getRange().start.line : 0;
    return dockerfile
        .getInstructions()
        .filter((i) => i.getRange().start.line >= start)
        .map((i) => ({ keyword: i.getKeyword(), args: i.getRawArgumentsContent() ?? "" }));
}

/** Every ECR repository has a lifecycle policy (Security Hub ECR.3). */
export const ecrLifecyclePolicyRequired: StackValidationPolicy = {
    name: "ecr-lifecycle-policy",
    description: "ECR repositories have at least one lifecycle policy (Security Hub ECR.3).",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const policies = args.resources.filter(
            (r: PolicyResource) => r.type === "aws:ecr/lifecyclePolicy:LifecyclePolicy",
        );
        for (const repo of args.resources.filter((r) => r.type === ecr)) {
            const name = repo.props.name;
            if (name === undefined) continue;
            if (!policies.some((p) => p.props.repository === name))
                report(`Repository ${String(name)} has no lifecycle policy.`, repo.urn);
        }
    },
};

export const stackPolicies: StackValidationPolicy[] = [ecrLifecyclePolicyRequired];
