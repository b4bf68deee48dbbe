// For every policy of the pack, one resource per branch of its check that breaks it (policy → branch → resource).
import { findWindowsRelease } from "../../components/core";
import { renderDockerfile } from "../../components/image";

export interface PolicyCase {
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    /** The stack the case runs in (production policies apply to production stacks). */
    readonly stack?: string;
}

/** A Windows task definition whose containers log and whose roles differ; `extra` overrides task properties. */
export const windowsTask = (containers: object[], extra: object = {}) => ({
    runtimePlatform: { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" },
    executionRoleArn: "arn:aws:iam::1:role/exec",
    taskRoleArn: "arn:aws:iam::1:role/task",
    containerDefinitions: JSON.stringify(
        containers.map((c) => ({ name: "app", logConfiguration: { logDriver: "awslogs" }, ...c })),
    ),
    ...extra,
});
const linuxTask = (container: object) =>
    windowsTask([{ readonlyRootFilesystem: true, user: "1000", ...container }], {
        runtimePlatform: { operatingSystemFamily: "LINUX" },
    });

/** The generated Dockerfile, with spec overrides. */
const generatedDockerfile = (overrides: object = {}) => ({
    dockerfile: {
        inline: renderDockerfile({
            strategy: "cross",
            goVersion: "1.23",
            windows: findWindowsRelease("ltsc2022")!,
            baseImage: "nanoserver",
            packagePath: ".",
            binaryName: "app.exe",
            buildTags: [],
            ldflags: [],
            versionVariable: "main.version",
            env: {},
            ports: [],
            args: [],
            runtimeSetup: [],
            ...overrides,
        }),
    },
});
const inlineDockerfile = (text: string): PolicyCase => ({
    type: "docker-build:index:Image",
    inputs: { dockerfile: { inline: text } },
});
const windowsBase = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022";
const healthy = 'HEALTHCHECK CMD ["C:\\\\app\\\\app.exe", "healthcheck"]';

const repository = (inputs: Record<string, unknown>): PolicyCase => ({
    type: "aws:ecr/repository:Repository",
    inputs: {
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: [{ encryptionType: "KMS" }],
        ...inputs,
    },
});
const lifecycleRule = (tagStatus: string): PolicyCase => ({
    type: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    inputs: {
        policy: JSON.stringify({
            rules: [{ rulePriority: 1, selection: { tagStatus, countType: "sinceImagePushed", countNumber: 30 } }],
        }),
    },
});
const repositoryPolicy = (principal: unknown): PolicyCase => ({
    type: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    inputs: {
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: principal, Action: "ecr:BatchGetImage" }] }),
    },
});
const task = (inputs: Record<string, unknown>): PolicyCase => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    inputs,
});
const service = (inputs: Record<string, unknown>): PolicyCase => ({ type: "aws:ecs/service:Service", inputs });
const acrProps = {
    sku: { name: "Standard" },
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    publicNetworkAccess: "Enabled",
};
const registry = (inputs: Record<string, unknown>): PolicyCase => ({
    type: "azure-native:containerregistry:Registry",
    inputs: { ...acrProps, ...inputs },
});
const premium = (inputs: Record<string, unknown>) =>
    registry({
        sku: { name: "Premium" },
        zoneRedundancy: "Enabled",
        policies: { quarantinePolicy: { status: "enabled" }, retentionPolicy: { status: "enabled", days: 7 } },
        ...inputs,
    });
const group = (inputs: Record<string, unknown>): PolicyCase => ({
    type: "azure-native:containerinstance:ContainerGroup",
    inputs: { identity: { type: "UserAssigned" }, ...inputs },
});

const inProduction = (type: string, inputs: Record<string, unknown>): PolicyCase => ({
    type,
    inputs,
    stack: "fargate-prod",
});
const rollback = { enable: true, rollback: true };
const productionService = (inputs: Record<string, unknown>) =>
    inProduction("aws:ecs/service:Service", {
        deploymentCircuitBreaker: rollback,
        alarms: { alarmNames: ["api-5xx"], ...rollback },
        ...inputs,
    });

/** Policy name → branch → a resource that breaks the policy in that branch (and only that policy's check). */
const loadBalancerType = "aws:lb/loadBalancer:LoadBalancer";
const listenerType = "aws:lb/listener:Listener";
const httpsListener = (inputs: Record<string, unknown>): PolicyCase => ({
    type: listenerType,
    inputs: { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", ...inputs },
});

/** A function like the smoke test (in two subnets, a limit, a supported runtime, no environment), with overrides. */
const lambda = (inputs: Record<string, unknown>): PolicyCase => ({
    type: "aws:lambda/function:Function",
    inputs: {
        runtime: "nodejs22.x",
        reservedConcurrentExecutions: 2,
        vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] },
        ...inputs,
    },
});
const statement = (st: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [st] });
const rolePolicy = (st: Record<string, unknown>): PolicyCase => ({
    type: "aws:iam/rolePolicy:RolePolicy",
    inputs: { role: "r", policy: statement({ Effect: "Allow", ...st }) },
});
const role = (st: Record<string, unknown>): PolicyCase => ({
    type: "aws:iam/role:Role",
    inputs: { assumeRolePolicy: statement({ Effect: "Allow", Action: "sts:AssumeRole", ...st }) },
});
const fisTemplate = (inputs: Record<string, unknown>): PolicyCase => ({
    type: "aws:fis/experimentTemplate:ExperimentTemplate",
    inputs: {
        stopConditions: [{ source: "aws:cloudwatch:alarm", value: "arn:aws:cloudwatch:us-east-1:1:alarm:stop" }],
        logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: "arn:logs:group:*" } },
        ...inputs,
    },
});

export const violatingCases: Record<string, Record<string, PolicyCase>> = {
    "ecr-scan-on-push": {
        "scan on push off": repository({ imageScanningConfiguration: { scanOnPush: false } }),
        "no scanning configuration": repository({ imageScanningConfiguration: undefined }),
    },
    "ecr-immutable-tags": {
        "MUTABLE tags": repository({ imageTagMutability: "MUTABLE" }),
        "mutability left to the default (MUTABLE)": repository({ imageTagMutability: undefined }),
    },
    "ecr-kms-encryption": {
        "AES256 encryption": repository({ encryptionConfigurations: [{ encryptionType: "AES256" }] }),
        "no encryption configuration": repository({ encryptionConfigurations: undefined }),
    },
    "ecr-lifecycle-keeps-running-images": {
        "any image expired by age": lifecycleRule("any"),
        "tagged images expired by age": lifecycleRule("tagged"),
    },
    "ecr-repository-policy-not-public": {
        'Principal "*"': repositoryPolicy("*"),
        'Principal { AWS: "*" }': repositoryPolicy({ AWS: "*" }),
        'Principal { AWS: ["*"] }': repositoryPolicy({ AWS: ["arn:aws:iam::1:root", "*"] }),
    },
    "ecs-container-insights": {
        "Container Insights disabled": {
            type: "aws:ecs/cluster:Cluster",
            inputs: { settings: [{ name: "containerInsights", value: "disabled" }] },
        },
        "no settings": { type: "aws:ecs/cluster:Cluster", inputs: {} },
    },
    "ecs-separate-roles": {
        "one role for both": task(windowsTask([{}], { taskRoleArn: "arn:aws:iam::1:role/exec" })),
    },
    "ecs-not-privileged": { "a privileged container": task(windowsTask([{}, { name: "b", privileged: true }])) },
    "ecs-no-secrets-in-environment": {
        "a password in plain environment": task(windowsTask([{ environment: [{ name: "DB_PASSWORD", value: "x" }] }])),
        "an API key in plain environment": task(
            windowsTask([{ environment: [{ name: "STRIPE_API_KEY", value: "x" }] }]),
        ),
    },
    "ecs-log-configuration": {
        "a log configuration without a driver": task(windowsTask([{ logConfiguration: {} }])),
        "no log configuration": task(windowsTask([{ logConfiguration: undefined }])),
    },
    "ecs-non-admin-user": {
        "a Windows container that sets user": task(windowsTask([{ user: "ContainerUser" }])),
        "a Linux container without user": task(linuxTask({ user: undefined })),
        "a Linux container as root": task(linuxTask({ user: "root" })),
        "a Linux container as 0": task(linuxTask({ user: "0" })),
        "a Linux container as ContainerAdministrator": task(linuxTask({ user: "ContainerAdministrator" })),
    },
    "ecs-read-only-root-filesystem": {
        "a Linux container with a writable root": task(linuxTask({ readonlyRootFilesystem: false })),
        "a Linux container that does not say": task(linuxTask({ readonlyRootFilesystem: undefined })),
    },
    "ecs-no-public-ip": { "a public IP": service({ networkConfiguration: { assignPublicIp: true } }) },
    "ecs-fargate-latest-platform": {
        "a pinned Fargate platform": service({ launchType: "FARGATE", platformVersion: "1.0.0" }),
    },
    "acr-admin-user-disabled": { "the admin user on": registry({ adminUserEnabled: true }) },
    "acr-anonymous-pull-disabled": { "anonymous pull on": registry({ anonymousPullEnabled: true }) },
    "acr-public-network-disabled": {
        "public access Enabled": registry({}),
        "public access left to the default": registry({ publicNetworkAccess: undefined }),
    },
    "acr-sku-standard-or-premium": { "the Basic SKU": registry({ sku: { name: "Basic" } }) },
    "acr-premium-quarantine-and-retention": {
        "no quarantine": premium({ policies: { retentionPolicy: { status: "enabled", days: 7 } } }),
        "no retention": premium({ policies: { quarantinePolicy: { status: "enabled" } } }),
    },
    "acr-premium-zone-redundancy": {
        "zone redundancy left out": premium({ zoneRedundancy: undefined }),
        "zone redundancy Disabled": premium({ zoneRedundancy: "Disabled" }),
    },
    "acr-no-repository-tokens": {
        "a repository-scoped token": { type: "azure-native:containerregistry:Token", inputs: { scopeMapId: "/m" } },
        "a scope map": { type: "azure-native:containerregistry:ScopeMap", inputs: { actions: ["repo/x/pull"] } },
    },
    "aci-no-public-ip": { "a public IP": group({ ipAddress: { type: "Public" } }) },
    "aci-secure-environment": {
        "a key in a plain value": group({ containers: [{ environmentVariables: [{ name: "API_KEY", value: "x" }] }] }),
    },
    "aci-managed-identity": {
        "no identity": { type: "azure-native:containerinstance:ContainerGroup", inputs: { containers: [] } },
        "an identity without a type": group({ identity: {} }),
    },
    "dockerfile-healthcheck": {
        "no HEALTHCHECK": { type: "docker-build:index:Image", inputs: generatedDockerfile() },
        "HEALTHCHECK NONE": inlineDockerfile(`${windowsBase}\nHEALTHCHECK NONE\nUSER ContainerUser\n`),
        "a HEALTHCHECK in the build stage only": inlineDockerfile(
            `FROM golang:1.23 AS build\n${healthy}\n${windowsBase}\nUSER ContainerUser\n`,
        ),
    },
    "dockerfile-non-admin-user": {
        "USER ContainerAdministrator": inlineDockerfile(`${windowsBase}\n${healthy}\nUSER ContainerAdministrator\n`),
        "no USER": inlineDockerfile(`${windowsBase}\n${healthy}\n`),
        "USER root": inlineDockerfile(`${windowsBase}\n${healthy}\nUSER root\n`),
        "USER 0": inlineDockerfile(`${windowsBase}\n${healthy}\nUSER 0\n`),
        "a non-admin USER followed by Administrator": inlineDockerfile(
            `${windowsBase}\n${healthy}\nUSER ContainerUser\nUSER Administrator\n`,
        ),
        "a USER in the build stage only": inlineDockerfile(
            `FROM golang:1.23 AS build\nUSER ContainerUser\n${windowsBase}\n${healthy}\n`,
        ),
    },
    "dockerfile-pinned-base": {
        "an untagged base": {
            type: "docker-build:index:Image",
            inputs: generatedDockerfile({ baseImageRef: "mcr.microsoft.com/windows/nanoserver" }),
        },
        "a latest builder": {
            type: "docker-build:index:Image",
            inputs: generatedDockerfile({ builderImageRef: "golang:latest" }),
        },
    },
    "dockerfile-windows-base-digest": {
        "a Windows stage FROM a tag": { type: "docker-build:index:Image", inputs: generatedDockerfile() },
        "a Windows stage FROM a tag, with only the builder pinned": {
            type: "docker-build:index:Image",
            inputs: generatedDockerfile({ builderImageRef: `golang:1.23@sha256:${"a".repeat(64)}` }),
        },
    },
    "production-deployment-rollback": {
        "no deployment alarms": productionService({ alarms: undefined }),
        "alarms that do not roll back": productionService({
            alarms: { alarmNames: ["a"], enable: true, rollback: false },
        }),
        "alarms turned off": productionService({ alarms: { alarmNames: ["a"], enable: false, rollback: true } }),
        "no alarm names": productionService({ alarms: { alarmNames: [], ...rollback } }),
        "a circuit breaker that does not roll back": productionService({
            deploymentCircuitBreaker: { enable: true, rollback: false },
        }),
    },
    "production-alarms-notify": {
        "a CloudWatch alarm without actions": inProduction("aws:cloudwatch/metricAlarm:MetricAlarm", {}),
        "a CloudWatch alarm with no actions": inProduction("aws:cloudwatch/metricAlarm:MetricAlarm", {
            alarmActions: [],
        }),
        "an Azure log alert without action groups": inProduction("azure-native:monitor:ScheduledQueryRule", {
            actions: {},
        }),
    },
    "production-logs-kept": {
        "a log group kept forever": inProduction("aws:cloudwatch/logGroup:LogGroup", {}),
        "a log group kept 0 days (forever)": inProduction("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 0 }),
        "a log group kept 7 days": inProduction("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 7 }),
        "a workspace kept 7 days": inProduction("azure-native:operationalinsights:Workspace", { retentionInDays: 7 }),
        "a container group without logs": inProduction("azure-native:containerinstance:ContainerGroup", {
            identity: { type: "UserAssigned" },
        }),
    },
    "ecr-lifecycle-policy": {
        "a repository without a lifecycle policy": repository({ name: "orphan" }),
        "a lifecycle policy for another repository": repository({ name: "lonely" }),
    },
    "alb-drop-invalid-headers": {
        "invalid headers passed on": { type: loadBalancerType, inputs: { loadBalancerType: "application" } },
        "the default type, an application load balancer": {
            type: loadBalancerType,
            inputs: { dropInvalidHeaderFields: false },
        },
    },
    "alb-tls-policy": {
        "a TLS 1.0 policy": httpsListener({ sslPolicy: "ELBSecurityPolicy-2016-08" }),
        "no policy (ELB's default)": httpsListener({ sslPolicy: undefined }),
    },
    "production-alb-deletion-protection": {
        "no deletion protection": { type: loadBalancerType, inputs: { dropInvalidHeaderFields: true }, stack: "prod" },
    },
    "lambda-in-vpc": {
        "no vpcConfig": lambda({ vpcConfig: undefined }),
        "subnets without security groups": lambda({ vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] } }),
    },
    "lambda-multi-az": {
        "one subnet": lambda({ vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] } }),
    },
    "lambda-reserved-concurrency": {
        "no limit": lambda({ reservedConcurrentExecutions: undefined }),
        "unreserved (-1)": lambda({ reservedConcurrentExecutions: -1 }),
    },
    "lambda-supported-runtime": {
        "Node.js 18": lambda({ runtime: "nodejs18.x" }),
        "Python 3.9": lambda({ runtime: "python3.9" }),
        "go1.x": lambda({ runtime: "go1.x" }),
    },
    "lambda-no-secrets-in-environment": {
        "a token in the environment": lambda({
            environment: { variables: { API_TOKEN: "x" } },
            kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k",
        }),
    },
    "lambda-environment-kms": {
        "variables with the AWS-managed key": lambda({ environment: { variables: { LOG_LEVEL: "info" } } }),
    },
    "lambda-permission-not-public": {
        anyone: {
            type: "aws:lambda/permission:Permission",
            inputs: { principal: "*", action: "lambda:InvokeFunction" },
        },
    },
    "iam-no-wildcard-resources": {
        "a restrictable action on *": rolePolicy({ Action: "lambda:InvokeFunction", Resource: "*" }),
        "an allowed action beside a restrictable one on [*]": rolePolicy({
            Action: ["xray:PutSpans", "s3:GetObject"],
            Resource: ["*"],
        }),
        "every action": { ...rolePolicy({ Action: "*", Resource: "*" }), type: "aws:iam/policy:Policy" },
    },
    "iam-trust-no-wildcard-principal": {
        "Principal *": role({ Principal: "*" }),
        "Principal AWS *": role({ Principal: { AWS: ["*"] } }),
    },
    "fis-trust-source-account": {
        "FIS without aws:SourceAccount": role({ Principal: { Service: "fis.amazonaws.com" } }),
        "FIS with only the source ARN": role({
            Principal: { Service: ["fis.amazonaws.com"] },
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:fis:us-east-1:1:experiment/*" } },
        }),
    },
    "fis-stop-conditions": {
        "stop condition none": fisTemplate({ stopConditions: [{ source: "none" }] }),
        "no stop condition": fisTemplate({ stopConditions: [] }),
    },
    "fis-logging": {
        "no log configuration": fisTemplate({ logConfiguration: undefined }),
        "a log configuration without a destination": fisTemplate({ logConfiguration: { logSchemaVersion: 2 } }),
    },
    "alb-http-redirects-to-https": {
        "an HTTP listener forwarding beside an HTTPS one": {
            type: listenerType,
            inputs: { loadBalancerArn: "arn:lb/1", protocol: "HTTP", port: 80, defaultActions: [{ type: "forward" }] },
        },
        "an HTTP listener redirecting to HTTP": {
            type: listenerType,
            inputs: {
                loadBalancerArn: "arn:lb/1",
                protocol: "HTTP",
                port: 80,
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }],
            },
        },
    },
};

/** Resources that stand beside a case (a stack policy sees the whole stack). */
export const companions: Record<string, PolicyCase[]> = {
    "an HTTP listener forwarding beside an HTTPS one": [httpsListener({ loadBalancerArn: "arn:lb/1" })],
    "an HTTP listener redirecting to HTTP": [httpsListener({ loadBalancerArn: "arn:lb/1" })],
    "a lifecycle policy for another repository": [
        { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", inputs: { repository: "other", policy: "{}" } },
    ],
};
