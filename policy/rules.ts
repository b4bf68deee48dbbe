// The policies of the pack: the checks live here, keyed by resource type and policy name; each policy's name,
// description (the scanner rules it mirrors) and enforcement level are in catalog.json.
import { DockerfileParser } from "dockerfile-ast";
import {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { credentialLikeName, rewritableTagFilters } from "../components/core";
import {
    fisLogDeliveryActions,
    lambdaNetworkInterfaceActions,
    traceWriteActions,
} from "../components/ecs/wildcardActions";
import catalog from "./catalog.json";

type Props = Record<string, unknown>;
/** What a check finds wrong: a message, several, or nothing. Unknown values (previews) are skipped by each check. */
type Problems = string | string[] | false | undefined;
/** What a check knows besides the resource: whether its stack is a production stack. */
interface CheckContext {
    readonly production: boolean;
}
type Check = (props: Props, context: CheckContext) => Problems;

/** Production stacks are those whose name has `prod` or `production` as a word (`prod`, `fargate-prod`, `prod-eu`). */
export const productionStackPattern = /(^|[-_.])prod(uction)?($|[-_.])/i;

/** The stack's name in a URN, `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export const stackOfUrn = (urn: string) => urn.split("::")[0].split(":").slice(2).join(":");

const obj = (value: unknown): Props => (value && typeof value === "object" ? (value as Props) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const problems = (found: Problems): string[] => (found ? (Array.isArray(found) ? found : [found]) : []);

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

/** One message per container for which `problem` says something. */
const perContainer = (props: Props, problem: (c: Props) => string | false | undefined): string[] =>
    ecsContainers(props).flatMap((c) => problems(problem(c)));

/** The entries under `key` of a JSON document held in a string property (unknown values give none). */
const jsonRules = (raw: unknown, key: string): Props[] =>
    typeof raw === "string" ? list(obj(JSON.parse(raw))[key]).map(obj) : [];

const isWindowsTask = (props: Props) =>
    String(obj(props.runtimePlatform).operatingSystemFamily ?? "").startsWith("WINDOWS");

const administrators = new Set(["containeradministrator", "administrator", "root", "0"]);

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

/** A check on the Dockerfile that docker-build takes inline (the generated one); images without one are skipped. */
const onDockerfile =
    (check: (text: string) => Problems): Check =>
    (props) => {
        const inline = obj(props.dockerfile).inline;
        return typeof inline === "string" && check(inline);
    };

function unpinnedBases(text: string): string[] {
    const dockerfile = DockerfileParser.parse(text);
    const stages = new Set(
        dockerfile
            .getFROMs()
            .map((f) => f.getBuildStage()?.toLowerCase())
            .filter(Boolean),
    );
    return dockerfile.getFROMs().flatMap((from) => {
        const image = from.getImageName();
        if (!image || stages.has(image.toLowerCase()) || image === "scratch") return [];
        const tag = from.getImageTag();
        const pinned = from.getImageDigest() || (tag !== undefined && tag !== null && tag !== "latest");
        return pinned ? [] : [`FROM ${from.getImage()} is not pinned to a version tag or digest.`];
    });
}

/** The Windows stage (the last) is FROM a reference with a digest. */
function windowsBaseByTag(text: string): string | undefined {
    const froms = DockerfileParser.parse(text).getFROMs();
    const last = froms[froms.length - 1];
    if (!last || last.getImageDigest()) return undefined;
    return `The Windows stage is FROM ${last.getImage()}, a tag Microsoft moves every month; pin it by digest (trackBaseImages).`;
}

function lastUserProblem(text: string): string | undefined {
    const users = lastStage(text).filter((i) => i.keyword === "USER");
    const user = users.length > 0 ? users[users.length - 1].args.trim() : undefined;
    if (user === undefined)
        return "The runtime stage sets no USER, so it runs as the base image's default (ContainerAdministrator on servercore).";
    if (administrators.has(user.toLowerCase())) return `The last USER is ${user}.`;
    return undefined;
}

function ecsUserProblem(props: Props, c: Props): string | undefined {
    const user = typeof c.user === "string" ? c.user : undefined;
    if (isWindowsTask(props) && user !== undefined)
        return `Container ${String(c.name)} sets user, which ECS does not support on Windows; set USER in the image.`;
    if (!isWindowsTask(props) && (user === undefined || administrators.has(user.toLowerCase())))
        return `Container ${String(c.name)} runs as ${user ?? "root"}.`;
    return undefined;
}

function publicStatements(policy: unknown): string[] {
    return jsonRules(policy, "Statement").flatMap((statement) => {
        const principal = statement.Principal;
        const everyone = principal === "*" || obj(principal).AWS === "*" || list(obj(principal).AWS).includes("*");
        return statement.Effect === "Allow" && everyone && !statement.Condition
            ? ['A statement allows Principal "*" without a condition.']
            : [];
    });
}

function expiresTaggedByAge(policy: unknown): string[] {
    return jsonRules(policy, "rules")
        .filter((rule) => {
            const selection = obj(rule.selection);
            return selection.tagStatus !== "untagged" && selection.countType === "sinceImagePushed";
        })
        .map(
            (rule) =>
                `Rule ${String(rule.rulePriority)} expires ${String(obj(rule.selection).tagStatus)} images by age; expire only untagged images by age.`,
        );
}

function containerInsightsOff(settings: unknown): Problems {
    const setting = list(settings)
        .map(obj)
        .find((s) => s.name === "containerInsights");
    return (
        setting?.value !== "enabled" &&
        setting?.value !== "enhanced" &&
        'Add settings [{ name: "containerInsights", value: "enabled" }].'
    );
}

function premiumPoliciesOff(p: Props): string[] {
    if (obj(p.sku).name !== "Premium") return [];
    const policies = obj(p.policies);
    return [
        ...(obj(policies.quarantinePolicy).status !== "enabled" ? ["The quarantine policy is not enabled."] : []),
        ...(obj(policies.retentionPolicy).status !== "enabled"
            ? ["The retention policy for untagged manifests is not enabled."]
            : []),
    ];
}

const plainCredentials = (p: Props): string[] =>
    ecsContainers(p).flatMap((c) =>
        list(c.environment)
            .map(obj)
            .filter((e) => credentialLikeName.test(String(e.name)))
            .map(
                (e) =>
                    `Container ${String(c.name)} has ${String(e.name)} in its plain environment; use secrets with valueFrom.`,
            ),
    );

const plainSecureValues = (p: Props): string[] =>
    list(p.containers)
        .map(obj)
        .flatMap((c) => list(c.environmentVariables).map(obj))
        .filter((e) => e.value !== undefined && credentialLikeName.test(String(e.name)))
        .map((e) => `${String(e.name)} is a plain value; use secureValue (secureEnvironment).`);

/** Tags an ECR repository lets be overwritten: none, or only the content-addressed ones. */
function mutableTags(p: Props): Problems {
    if (p.imageTagMutability === "IMMUTABLE") return undefined;
    if (p.imageTagMutability !== "IMMUTABLE_WITH_EXCLUSION")
        return `imageTagMutability is ${JSON.stringify(p.imageTagMutability ?? "MUTABLE")}; set it to IMMUTABLE.`;
    return list(p.imageTagMutabilityExclusionFilters)
        .map(obj)
        .filter((f) => !rewritableTagFilters.includes(String(f.filter)))
        .map(
            (f) =>
                `Tags matching ${JSON.stringify(f.filter)} can be overwritten; exclude only the content tags and the build cache (${rewritableTagFilters.join(", ")}).`,
        );
}

const repositoryTokens = (): Problems => "Push and pull with Azure AD identities instead of repository-scoped tokens.";

/** A check that applies in production stacks only. */
const inProduction =
    (check: (props: Props) => Problems): Check =>
    (props, context) =>
        context.production && check(props);

function rollbackOff(p: Props): string[] {
    const alarms = obj(p.alarms);
    return [
        ...(alarms.enable !== true || alarms.rollback !== true || list(alarms.alarmNames).length === 0
            ? [
                  "The service does not roll deployments back on CloudWatch alarms: set alarms { alarmNames, enable, rollback }.",
              ]
            : []),
        ...(obj(p.deploymentCircuitBreaker).rollback !== true
            ? ["The deployment circuit breaker does not roll back: set deploymentCircuitBreaker { enable, rollback }."]
            : []),
    ];
}

/** Logs kept at least this long in production. */
const minimumRetentionDays = 30;

function retentionProblem(days: unknown, what: string): Problems {
    if (days === undefined || days === 0) return `${what} keeps logs forever; set a retention.`;
    return (
        typeof days === "number" &&
        days < minimumRetentionDays &&
        `${what} keeps logs ${days} days; keep at least ${minimumRetentionDays}.`
    );
}

/**
 * Lambda runtimes past their deprecation date (Lambda's "Runtime deprecation policy" table): Node.js before 20,
 * Python before 3.10, and the retired ones by name. Security Hub Lambda.2 and CKV_AWS_363 flag these.
 */
function deprecatedRuntime(runtime: unknown): boolean {
    if (typeof runtime !== "string") return false;
    const node = /^nodejs(\d+)\.x$/.exec(runtime);
    if (node) return Number(node[1]) < 20;
    const python = /^python3\.(\d+)$/.exec(runtime);
    if (python) return Number(python[1]) < 10;
    return [
        "go1.x",
        "java8",
        "dotnet6",
        "dotnet7",
        "dotnetcore3.1",
        "ruby2.7",
        "ruby3.2",
        "provided",
        "python2.7",
    ].includes(runtime);
}

/**
 * Actions that take no resource ARN, or that AWS grants on `"Resource": "*"` itself, so that a statement of only
 * these on `*` is least privilege (CKV_AWS_355's "restrictable actions" are the others): the network interfaces of a
 * function in a VPC (as AWS's AWSLambdaVPCAccessExecutionRole grants them); X-Ray's span writes (no resource types);
 * FIS's vended log delivery (CloudWatch Logs' delivery and account resource policy actions, granted on `*` by AWS's
 * FIS logging page).
 */
export const actionsWithoutResources = new Set<string>([
    ...lambdaNetworkInterfaceActions,
    ...traceWriteActions,
    ...fisLogDeliveryActions,
]);

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** Allow statements on `*` whose actions are not all ones without resources (CKV_AWS_355, CKV_AWS_356). */
function wildcardResources(policy: unknown): string[] {
    return jsonRules(policy, "Statement")
        .filter((st) => st.Effect === "Allow" && asList(st.Resource).includes("*"))
        .flatMap((st) => {
            const restrictable = asList(st.Action)
                .map(String)
                .filter((action) => !actionsWithoutResources.has(action));
            return restrictable.length > 0
                ? [`A statement allows ${restrictable.join(", ")} on every resource ("*"); name the resources.`]
                : [];
        });
}

/** Trust statements that let anyone assume the role (CKV_AWS_60). */
function wildcardPrincipals(policy: unknown): string[] {
    return jsonRules(policy, "Statement").flatMap((st) => {
        const principal = st.Principal;
        return st.Effect === "Allow" && (principal === "*" || asList(obj(principal).AWS).includes("*"))
            ? ["The role's trust policy lets any principal assume it."]
            : [];
    });
}

/** A role that FIS assumes without `aws:SourceAccount` (AWS's confused-deputy advice for FIS's service role). */
function fisTrustWithoutSourceAccount(policy: unknown): string[] {
    return jsonRules(policy, "Statement")
        .filter((st) => asList(obj(st.Principal).Service).includes("fis.amazonaws.com"))
        .filter((st) => obj(obj(st.Condition).StringEquals)["aws:SourceAccount"] === undefined)
        .map(() => "FIS may assume the role for experiments of any account: add the condition aws:SourceAccount.");
}

const lambdaEnvironment = (p: Props) => obj(obj(p.environment).variables);

/** TLS 1.2 and 1.3 ELB security policies (CKV_AWS_103's list, by name). */
const tls12Policy = /^ELBSecurityPolicy-(TLS13-|TLS-1-2-|FS-1-2-)/;

/** Resource type → policy name → check. A policy applies to every type that has a check under its name. */
const checks: Record<string, Record<string, Check>> = {
    "aws:ecr/repository:Repository": {
        "ecr-scan-on-push": (p) =>
            obj(p.imageScanningConfiguration).scanOnPush !== true &&
            "Set imageScanningConfiguration.scanOnPush to true.",
        "ecr-immutable-tags": (p) => mutableTags(p),
        "ecr-kms-encryption": (p) =>
            obj(list(p.encryptionConfigurations)[0]).encryptionType !== "KMS" &&
            'Set encryptionConfigurations to [{ encryptionType: "KMS" }].',
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        "ecr-lifecycle-keeps-running-images": (p) => expiresTaggedByAge(p.policy),
    },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": {
        "ecr-repository-policy-not-public": (p) => publicStatements(p.policy),
    },
    "aws:ecs/cluster:Cluster": { "ecs-container-insights": (p) => containerInsightsOff(p.settings) },
    "aws:ecs/taskDefinition:TaskDefinition": {
        "ecs-separate-roles": (p) =>
            typeof p.executionRoleArn === "string" &&
            p.executionRoleArn === p.taskRoleArn &&
            "executionRoleArn and taskRoleArn are the same role.",
        "ecs-not-privileged": (p) =>
            perContainer(p, (c) => c.privileged === true && `Container ${String(c.name)} is privileged.`),
        "ecs-no-secrets-in-environment": plainCredentials,
        "ecs-log-configuration": (p) =>
            perContainer(
                p,
                (c) => !obj(c.logConfiguration).logDriver && `Container ${String(c.name)} has no logConfiguration.`,
            ),
        "ecs-non-admin-user": (p) => perContainer(p, (c) => ecsUserProblem(p, c)),
        "ecs-read-only-root-filesystem": (p) =>
            !isWindowsTask(p) &&
            perContainer(
                p,
                (c) =>
                    c.readonlyRootFilesystem !== true && `Container ${String(c.name)} has a writable root filesystem.`,
            ),
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        "production-logs-kept": inProduction((p) => retentionProblem(p.retentionInDays, "The log group")),
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        "production-alarms-notify": inProduction(
            (p) => list(p.alarmActions).length === 0 && "The alarm notifies no one: set alarmActions (an SNS topic).",
        ),
    },
    "azure-native:monitor:ScheduledQueryRule": {
        "production-alarms-notify": inProduction(
            (p) =>
                list(obj(p.actions).actionGroups).length === 0 &&
                "The alert notifies no one: set actions.actionGroups (an action group).",
        ),
    },
    "azure-native:operationalinsights:Workspace": {
        // Azure keeps 30 days when no retention is set, so only a shorter one is a problem.
        "production-logs-kept": inProduction(
            (p) => p.retentionInDays !== undefined && retentionProblem(p.retentionInDays, "The workspace"),
        ),
    },
    "aws:ecs/service:Service": {
        "production-deployment-rollback": inProduction(rollbackOff),
        "ecs-no-public-ip": (p) =>
            obj(p.networkConfiguration).assignPublicIp === true && "networkConfiguration.assignPublicIp is true.",
        "ecs-fargate-latest-platform": (p) =>
            p.launchType === "FARGATE" &&
            p.platformVersion !== undefined &&
            p.platformVersion !== "LATEST" &&
            `platformVersion is ${JSON.stringify(p.platformVersion)}; use LATEST.`,
    },
    "azure-native:containerregistry:Registry": {
        "acr-admin-user-disabled": (p) => p.adminUserEnabled === true && "adminUserEnabled is true.",
        "acr-anonymous-pull-disabled": (p) => p.anonymousPullEnabled === true && "anonymousPullEnabled is true.",
        "acr-public-network-disabled": (p) =>
            p.publicNetworkAccess !== "Disabled" && "publicNetworkAccess is not Disabled.",
        "acr-sku-standard-or-premium": (p) => {
            const sku = obj(p.sku).name;
            return (
                sku !== undefined &&
                sku !== "Standard" &&
                sku !== "Premium" &&
                `SKU is ${JSON.stringify(sku)}; use Standard or Premium.`
            );
        },
        "acr-premium-quarantine-and-retention": premiumPoliciesOff,
        "acr-premium-zone-redundancy": (p) =>
            obj(p.sku).name === "Premium" && p.zoneRedundancy !== "Enabled" && "zoneRedundancy is not Enabled.",
    },
    "azure-native:containerregistry:Token": { "acr-no-repository-tokens": repositoryTokens },
    "azure-native:containerregistry:ScopeMap": { "acr-no-repository-tokens": repositoryTokens },
    "azure-native:containerinstance:ContainerGroup": {
        "aci-no-public-ip": (p) =>
            obj(p.ipAddress).type === "Public" &&
            "The container group has a public IP; put it in a subnet (subnetId) or drop dnsNameLabel.",
        "aci-secure-environment": plainSecureValues,
        "aci-managed-identity": (p) => !obj(p.identity).type && "The container group has no managed identity.",
        "production-logs-kept": inProduction(
            (p) =>
                !obj(obj(p.diagnostics).logAnalytics).workspaceId &&
                "The container group sends its logs nowhere: set diagnostics.logAnalytics.",
        ),
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        "alb-drop-invalid-headers": (p) =>
            (p.loadBalancerType ?? "application") === "application" &&
            p.dropInvalidHeaderFields !== true &&
            "Set dropInvalidHeaderFields to true.",
        "production-alb-deletion-protection": inProduction(
            (p) => p.enableDeletionProtection !== true && "Set enableDeletionProtection to true.",
        ),
    },
    "aws:lb/listener:Listener": {
        "alb-tls-policy": (p) =>
            p.protocol === "HTTPS" &&
            !(typeof p.sslPolicy === "string" && tls12Policy.test(p.sslPolicy)) &&
            `sslPolicy is ${JSON.stringify(p.sslPolicy ?? "ELB's default")}; use a TLS 1.2 or 1.3 policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.`,
    },
    "aws:lambda/function:Function": {
        "lambda-in-vpc": (p) =>
            (list(obj(p.vpcConfig).subnetIds).length === 0 || list(obj(p.vpcConfig).securityGroupIds).length === 0) &&
            "The function is not in a VPC: set vpcConfig with subnets and security groups.",
        "lambda-multi-az": (p) =>
            list(obj(p.vpcConfig).subnetIds).length === 1 &&
            "The function runs in one subnet, so in one Availability Zone: give subnets in two or more.",
        "lambda-reserved-concurrency": (p) =>
            !(typeof p.reservedConcurrentExecutions === "number" && p.reservedConcurrentExecutions >= 0) &&
            "The function has no concurrency limit: set reservedConcurrentExecutions.",
        "lambda-supported-runtime": (p) =>
            deprecatedRuntime(p.runtime) && `The runtime ${String(p.runtime)} is deprecated; use a supported one.`,
        "lambda-no-secrets-in-environment": (p) =>
            Object.keys(lambdaEnvironment(p))
                .filter((name) => credentialLikeName.test(name))
                .map((name) => `${name} is in the function's plain environment; read it from Secrets Manager.`),
        "lambda-environment-kms": (p) =>
            Object.keys(lambdaEnvironment(p)).length > 0 &&
            !p.kmsKeyArn &&
            "The function's environment variables are encrypted with the AWS-managed key: set kmsKeyArn.",
    },
    "aws:lambda/permission:Permission": {
        "lambda-permission-not-public": (p) =>
            p.principal === "*" &&
            !p.sourceAccount &&
            !p.sourceArn &&
            !p.principalOrgId &&
            "The permission lets anyone invoke the function: name the principal, or a source account or ARN.",
    },
    "aws:iam/rolePolicy:RolePolicy": { "iam-no-wildcard-resources": (p) => wildcardResources(p.policy) },
    "aws:iam/policy:Policy": { "iam-no-wildcard-resources": (p) => wildcardResources(p.policy) },
    "aws:iam/role:Role": {
        "iam-trust-no-wildcard-principal": (p) => wildcardPrincipals(p.assumeRolePolicy),
        "fis-trust-source-account": (p) => fisTrustWithoutSourceAccount(p.assumeRolePolicy),
    },
    "aws:fis/experimentTemplate:ExperimentTemplate": {
        "fis-stop-conditions": (p) =>
            !list(p.stopConditions).some((c) => obj(c).source === "aws:cloudwatch:alarm") &&
            "The experiment has no alarm to stop it: add a stop condition on a CloudWatch alarm.",
        "fis-logging": (p) => {
            const logs = obj(p.logConfiguration);
            return (
                !obj(logs.cloudwatchLogsConfiguration).logGroupArn &&
                !obj(logs.s3Configuration).bucketName &&
                "The experiment keeps no log: set logConfiguration (a CloudWatch log group or an S3 bucket)."
            );
        },
    },
    "docker-build:index:Image": {
        "dockerfile-healthcheck": onDockerfile(
            (text) =>
                !lastStage(text).some((i) => i.keyword === "HEALTHCHECK" && !/^NONE$/i.test(i.args.trim())) &&
                "The runtime stage has no HEALTHCHECK.",
        ),
        "dockerfile-non-admin-user": onDockerfile(lastUserProblem),
        "dockerfile-pinned-base": onDockerfile(unpinnedBases),
        "dockerfile-windows-base-digest": onDockerfile(windowsBaseByTag),
    },
};

interface CatalogEntry {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: string;
}

const level = (entry: CatalogEntry) => entry.enforcementLevel as EnforcementLevel;

/** Every policy of the catalog, each running its checks on the resource types it has checks for. */
export const resourcePolicies: ResourceValidationPolicy[] = catalog.resourcePolicies.map((entry: CatalogEntry) => ({
    name: entry.name,
    description: entry.description,
    enforcementLevel: level(entry),
    validateResource: (args, report) => {
        const check = checks[args.type]?.[entry.name];
        const context = { production: productionStackPattern.test(stackOfUrn(args.urn)) };
        if (check) for (const problem of problems(check(args.props, context))) report(problem);
    },
}));

/** The names of the policies that have at least one check, for the test that catalog and checks agree. */
export const checkedPolicyNames = [...new Set(Object.values(checks).flatMap((byName) => Object.keys(byName)))].sort();

/** Every ECR repository has a lifecycle policy (Security Hub ECR.3). */
function ecrLifecyclePolicyRequired(args: StackValidationArgs, report: ReportViolation): void {
    const policies = args.resources.filter((r: PolicyResource) => r.type === "aws:ecr/lifecyclePolicy:LifecyclePolicy");
    for (const repo of args.resources.filter((r) => r.type === "aws:ecr/repository:Repository")) {
        const name = repo.props.name;
        if (name === undefined) continue;
        if (!policies.some((p) => p.props.repository === name))
            report(`Repository ${String(name)} has no lifecycle policy.`, repo.urn);
    }
}

/** On a load balancer that serves HTTPS, every HTTP listener redirects to HTTPS (CKV2_AWS_20). */
function httpRedirectsToHttps(args: StackValidationArgs, report: ReportViolation): void {
    const listeners = args.resources.filter((r) => r.type === "aws:lb/listener:Listener");
    const servesHttps = new Set(
        listeners.filter((l) => l.props.protocol === "HTTPS").map((l) => l.props.loadBalancerArn),
    );
    for (const listener of listeners) {
        if (listener.props.protocol !== "HTTP" || !servesHttps.has(listener.props.loadBalancerArn)) continue;
        const redirects = list(listener.props.defaultActions)
            .map(obj)
            .some((a) => a.type === "redirect" && obj(a.redirect).protocol === "HTTPS");
        if (!redirects)
            report(
                `The HTTP listener on port ${String(listener.props.port)} serves what its load balancer serves over HTTPS; redirect it to HTTPS.`,
                listener.urn,
            );
    }
}

/** Stack policy name → check (it sees every resource of the stack). */
const stackChecks: Record<string, StackValidationPolicy["validateStack"]> = {
    "ecr-lifecycle-policy": ecrLifecyclePolicyRequired,
    "alb-http-redirects-to-https": httpRedirectsToHttps,
};

export const stackPolicies: StackValidationPolicy[] = catalog.stackPolicies.map((entry: CatalogEntry) => ({
    name: entry.name,
    description: entry.description,
    enforcementLevel: level(entry),
    validateStack: stackChecks[entry.name],
}));
