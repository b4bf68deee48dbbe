// Checks EcsWindowsService arguments before anything is created, including the image's Windows release against the host.
import * as pulumi from "@pulumi/pulumi";
import {
    ArgumentError,
    CompatibilityResult,
    ImageReleases,
    checkEnvironmentPair,
    checkImageReleases,
    checkImageReleasesOnHost,
    checkNumber,
    checkWholeNumber,
    checkWindowsVersion,
    ecsEc2Releases,
    fail,
    fargateReleases,
    newestOffered,
    oneOf,
} from "../core";
import { EcsAlarmsArgs, EcsDeploymentArgs, EcsWindowsServiceArgs } from "./args";
import { fargateSizeProblem, fargateWindowsReservedPorts, logRetentionDays } from "./platform";

/** The load balancer with its defaults decided. */
export interface ResolvedLoadBalancer {
    readonly subnetIds: pulumi.Input<string>[];
    readonly internal: boolean;
    readonly listenerPort: number;
    readonly healthCheckPath: string;
    readonly ingressCidrBlocks: pulumi.Input<string>[];
}

/** EC2 capacity with its defaults decided. */
export interface ResolvedEc2Capacity {
    readonly instanceType: string;
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredCapacity: number;
    /** The pinned AMI; undefined means the latest from SSM. */
    readonly amiId?: string;
}

/** The deployment strategy with its defaults decided; settings of other strategies are left at their defaults. */
export interface ResolvedDeployment {
    readonly strategy: DeploymentStrategy;
    readonly canaryPercent: number;
    readonly canaryBakeMinutes: number;
    readonly linearStepPercent: number;
    readonly linearStepBakeMinutes: number;
    readonly bakeMinutes: number;
}

/** The alarms' thresholds with their defaults decided. */
export interface ResolvedAlarms {
    /** Whether the component creates alarms on the target groups. */
    readonly targetGroupAlarms: boolean;
    readonly http5xxPercent: number;
    readonly p99LatencySeconds: number;
    readonly unhealthyHosts: number;
    readonly evaluationMinutes: number;
}

export interface ResolvedEcsService {
    readonly capacity: "fargate" | "ec2";
    /** The Windows release of the instances (EC2) or the platform (Fargate). */
    readonly hostWindowsVersion: string;
    /** The image release the tasks run: `windowsVersion`, or the entry of the index that the host pulls. */
    readonly imageWindowsVersion: string;
    readonly port: number;
    readonly cpu: number;
    readonly memory: number;
    readonly desiredCount: number;
    readonly logRetentionDays: number;
    readonly assignPublicIp: boolean;
    readonly loadBalancer?: ResolvedLoadBalancer;
    readonly ec2: ResolvedEc2Capacity;
    readonly deployment: ResolvedDeployment;
    readonly alarms: ResolvedAlarms;
    readonly dashboard: boolean;
    readonly compatibility: CompatibilityResult;
}

const capacities = ["fargate", "ec2"] as const;
export const deploymentStrategies = ["rolling", "canary", "linear", "blue-green"] as const;
export type DeploymentStrategy = (typeof deploymentStrategies)[number];

/** The host's release: the one given (EC2), else the image's, else the newest of the index's that the capacity offers. */
function hostRelease(args: EcsWindowsServiceArgs, capacity: "fargate" | "ec2", image: ImageReleases): string {
    if (args.hostWindowsVersion !== undefined) {
        if (capacity === "fargate")
            fail(
                "hostWindowsVersion",
                args.hostWindowsVersion,
                "it applies to EC2 capacity only; Fargate's platform follows the image",
            );
        return checkWindowsVersion("hostWindowsVersion", args.hostWindowsVersion);
    }
    if (!image.index) return image.releases[0].name;
    return capacity === "fargate"
        ? newestOffered(image, fargateReleases, "Fargate needs: it runs Windows Server 2019 and 2022 only")
        : newestOffered(image, ecsEc2Releases, "ECS-optimized Windows AMIs need");
}

/** The capacity, the host's release, the image release it runs and the image/host compatibility. */
function resolvePlacement(args: EcsWindowsServiceArgs) {
    const image = checkImageReleases(args.windowsVersion, args.windowsVersions);
    const capacity = oneOf("capacity", args.capacity, capacities, "fargate");
    const hostWindowsVersion = hostRelease(args, capacity, image);
    if (capacity === "ec2" && !ecsEc2Releases.includes(hostWindowsVersion)) {
        fail(
            "hostWindowsVersion",
            hostWindowsVersion,
            `ECS-optimized Windows AMIs exist for ${ecsEc2Releases.join(", ")}`,
        );
    }
    const { windowsVersion, compatibility } = checkImageReleasesOnHost(
        image,
        capacity === "fargate"
            ? { kind: "ecs-fargate", windowsVersion: hostWindowsVersion }
            : { kind: "ecs-ec2", windowsVersion: hostWindowsVersion },
    );
    return { capacity, hostWindowsVersion, imageWindowsVersion: windowsVersion, compatibility };
}

/** Port, sizes, count and log retention. */
function resolveTaskSize(args: EcsWindowsServiceArgs, capacity: "fargate" | "ec2") {
    const port = args.port ?? 8080;
    checkWholeNumber("port", port, 1, 65535);
    if (capacity === "fargate" && fargateWindowsReservedPorts.includes(port))
        fail("port", port, "Fargate reserves port 3150 on Windows tasks");
    const cpu = args.cpu ?? 1024;
    const memory = args.memory ?? 2048;
    checkWholeNumber("cpu", cpu, 128, 16384);
    checkWholeNumber("memory", memory, 512, 122880);
    if (capacity === "fargate") {
        const problem = fargateSizeProblem(cpu, memory);
        if (problem) fail(problem.argument, problem.argument === "cpu" ? cpu : memory, problem.allowed);
    }
    const desiredCount = args.desiredCount ?? 1;
    checkWholeNumber("desiredCount", desiredCount, 0, 1000);
    const retention = args.logRetentionDays ?? 30;
    if (!logRetentionDays.includes(retention))
        fail("logRetentionDays", retention, `CloudWatch Logs allows ${logRetentionDays.join(", ")}`);
    return { port, cpu, memory, desiredCount, logRetentionDays: retention };
}

function resolveLoadBalancer(given: EcsWindowsServiceArgs["loadBalancer"]): ResolvedLoadBalancer | undefined {
    if (!given) return undefined;
    checkWholeNumber("loadBalancer.listenerPort", given.listenerPort, 1, 65535);
    const path = given.healthCheckPath;
    if (path !== undefined && !/^\/[\x21-\x7e]*$/.test(path))
        fail("loadBalancer.healthCheckPath", path, "it must be a URL path starting with `/`");
    if (Array.isArray(given.subnetIds) && given.subnetIds.length < 2) {
        fail(
            "loadBalancer.subnetIds",
            `${given.subnetIds.length} subnet(s)`,
            "an Application Load Balancer needs subnets in at least two Availability Zones",
        );
    }
    return {
        subnetIds: given.subnetIds,
        internal: given.internal ?? false,
        listenerPort: given.listenerPort ?? 80,
        healthCheckPath: path ?? "/healthz",
        ingressCidrBlocks: given.ingressCidrBlocks ?? ["0.0.0.0/0"],
    };
}

/** A secret is passed by reference: the ARN of an SSM parameter or a Secrets Manager secret. */
function checkSecretArn(name: string, arn: unknown): void {
    if (typeof arn === "string" && !/^arn:aws[\w-]*:(ssm|secretsmanager):/.test(arn)) {
        fail(`secrets.${name}`, arn, "it must be the ARN of an SSM parameter or a Secrets Manager secret");
    }
}

/** Settings that belong to one strategy: giving one with another strategy is a mistake worth an error. */
const strategySettings: [keyof EcsDeploymentArgs, DeploymentStrategy][] = [
    ["canaryPercent", "canary"],
    ["canaryBakeMinutes", "canary"],
    ["linearStepPercent", "linear"],
    ["linearStepBakeMinutes", "linear"],
];

/**
 * ECS takes traffic percentages in steps of 0.1 (API_CanaryConfiguration, API_LinearConfiguration: "multiples of
 * 0.1"): 12.34 is refused by the API only once the service updates, so it is refused here first.
 */
function checkTenths(argument: string, value: number | undefined): void {
    if (value !== undefined && Math.abs(value * 10 - Math.round(value * 10)) > 1e-9)
        fail(argument, value, "ECS takes percentages in steps of 0.1, e.g. 12.3");
}

function resolveDeployment(given: EcsDeploymentArgs = {}, hasLoadBalancer: boolean): ResolvedDeployment {
    const strategy = oneOf("deployment.strategy", given.strategy, deploymentStrategies, "rolling");
    if (strategy !== "rolling" && !hasLoadBalancer) {
        fail(
            "deployment.strategy",
            strategy,
            "it shifts traffic between two target groups of a load balancer, so it needs `loadBalancer`",
            'Add `loadBalancer: { subnetIds }`, or use `strategy: "rolling"`.',
        );
    }
    for (const [key, owner] of strategySettings) {
        if (given[key] !== undefined && strategy !== owner)
            fail(`deployment.${key}`, given[key], `it applies to \`strategy: "${owner}"\` only`);
    }
    if (given.bakeMinutes !== undefined && strategy === "rolling")
        fail("deployment.bakeMinutes", given.bakeMinutes, "a rolling deployment has no bake time");
    checkNumber("deployment.canaryPercent", given.canaryPercent, 0.1, 100);
    checkTenths("deployment.canaryPercent", given.canaryPercent);
    checkWholeNumber("deployment.canaryBakeMinutes", given.canaryBakeMinutes, 0, 1440);
    checkNumber("deployment.linearStepPercent", given.linearStepPercent, 3, 100);
    checkTenths("deployment.linearStepPercent", given.linearStepPercent);
    checkWholeNumber("deployment.linearStepBakeMinutes", given.linearStepBakeMinutes, 0, 1440);
    checkWholeNumber("deployment.bakeMinutes", given.bakeMinutes, 0, 1440);
    return {
        strategy,
        canaryPercent: given.canaryPercent ?? 10,
        canaryBakeMinutes: given.canaryBakeMinutes ?? 10,
        linearStepPercent: given.linearStepPercent ?? 25,
        linearStepBakeMinutes: given.linearStepBakeMinutes ?? 5,
        bakeMinutes: given.bakeMinutes ?? 10,
    };
}

function resolveAlarms(given: EcsAlarmsArgs = {}, hasLoadBalancer: boolean): ResolvedAlarms {
    const thresholds = [given.http5xxPercent, given.p99LatencySeconds, given.unhealthyHosts, given.evaluationMinutes];
    if (!hasLoadBalancer && (given.enabled === true || thresholds.some((t) => t !== undefined))) {
        fail(
            "alarms",
            "{...}",
            "the alarms watch the load balancer's target groups, so they need `loadBalancer`",
            "Without one, pass only `alarms.alarmNames` and `alarms.notifyTopicArn`.",
        );
    }
    checkNumber("alarms.http5xxPercent", given.http5xxPercent, 0.01, 100);
    checkNumber("alarms.p99LatencySeconds", given.p99LatencySeconds, 0.001, 300);
    checkWholeNumber("alarms.unhealthyHosts", given.unhealthyHosts, 1, 1000);
    checkWholeNumber("alarms.evaluationMinutes", given.evaluationMinutes, 1, 60);
    return {
        targetGroupAlarms: hasLoadBalancer && given.enabled !== false,
        http5xxPercent: given.http5xxPercent ?? 5,
        p99LatencySeconds: given.p99LatencySeconds ?? 2,
        unhealthyHosts: given.unhealthyHosts ?? 1,
        evaluationMinutes: given.evaluationMinutes ?? 3,
    };
}

function resolveEc2(args: EcsWindowsServiceArgs, capacity: "fargate" | "ec2"): ResolvedEc2Capacity {
    const ec2 = args.ec2 ?? {};
    if (capacity === "fargate" && args.ec2 !== undefined) fail("ec2", "{...}", 'it applies to `capacity: "ec2"` only');
    if (capacity === "ec2" && args.clusterArn !== undefined) {
        fail(
            "clusterArn",
            "an existing cluster",
            "EC2 capacity needs a cluster the component owns, since it sets the cluster's capacity providers",
            "Leave `clusterArn` out, or use Fargate.",
        );
    }
    const minSize = ec2.minSize ?? 1;
    const maxSize = ec2.maxSize ?? Math.max(2, minSize);
    const desiredCapacity = ec2.desiredCapacity ?? minSize;
    checkWholeNumber("ec2.minSize", minSize, 0, 1000);
    checkWholeNumber("ec2.maxSize", maxSize, 1, 1000);
    if (maxSize < minSize) fail("ec2.maxSize", maxSize, `it must be at least \`ec2.minSize\` (${minSize})`);
    if (desiredCapacity < minSize || desiredCapacity > maxSize)
        fail("ec2.desiredCapacity", desiredCapacity, `it must be from ${minSize} to ${maxSize}`);
    const instanceType = ec2.instanceType ?? "m5.large";
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType))
        fail("ec2.instanceType", instanceType, "it must be an EC2 instance type such as `m5.large`");
    if (ec2.amiId !== undefined && !/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(ec2.amiId))
        fail("ec2.amiId", ec2.amiId, "it must be an AMI id such as `ami-0123456789abcdef0`");
    return { instanceType, minSize, maxSize, desiredCapacity, amiId: ec2.amiId };
}

/** Validates EcsWindowsService arguments and fills in defaults; throws ArgumentError naming the first bad one. */
export function resolveEcsServiceArgs(args: EcsWindowsServiceArgs): ResolvedEcsService {
    if (!args)
        throw new ArgumentError(
            "args",
            "EcsWindowsService needs arguments: at least `imageRef`, `windowsVersion` (or `windowsVersions`), `vpcId` and `subnetIds`.",
        );
    const placement = resolvePlacement(args);
    const size = resolveTaskSize(args, placement.capacity);
    if (Array.isArray(args.subnetIds) && args.subnetIds.length === 0)
        fail("subnetIds", "[]", "the service needs at least one subnet");
    const loadBalancer = resolveLoadBalancer(args.loadBalancer);
    checkEnvironmentPair("environment", "secrets", args.environment, args.secrets, checkSecretArn);
    const ec2 = resolveEc2(args, placement.capacity);
    const deployment = resolveDeployment(args.deployment, loadBalancer !== undefined);
    const alarms = resolveAlarms(args.alarms, loadBalancer !== undefined);
    return {
        ...placement,
        ...size,
        assignPublicIp: args.assignPublicIp ?? false,
        loadBalancer,
        ec2,
        deployment,
        alarms,
        dashboard: args.dashboard ?? true,
    };
}
