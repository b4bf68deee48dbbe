// Checks EcsWindowsService arguments before anything is created, including the image's Windows release against the host.
import * as pulumi from "@pulumi/pulumi";
import {
    ArgumentError,
    CompatibilityResult,
    checkEnvironmentPair,
    checkImageOnHost,
    checkWholeNumber,
    checkWindowsVersion,
    ecsEc2Releases,
    fail,
    oneOf,
} from "../core";
import { EcsWindowsServiceArgs } from "./args";
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

export interface ResolvedEcsService {
    readonly capacity: "fargate" | "ec2";
    /** The Windows release of the instances (EC2) or the platform (Fargate). */
    readonly hostWindowsVersion: string;
    readonly port: number;
    readonly cpu: number;
    readonly memory: number;
    readonly desiredCount: number;
    readonly logRetentionDays: number;
    readonly assignPublicIp: boolean;
    readonly loadBalancer?: ResolvedLoadBalancer;
    readonly ec2: ResolvedEc2Capacity;
    readonly compatibility: CompatibilityResult;
}

const capacities = ["fargate", "ec2"] as const;

/** The capacity, the host's release and the image/host compatibility. */
function resolvePlacement(args: EcsWindowsServiceArgs) {
    const windowsVersion = checkWindowsVersion("windowsVersion", args.windowsVersion);
    const capacity = oneOf("capacity", args.capacity, capacities, "fargate");
    let hostWindowsVersion = windowsVersion;
    if (args.hostWindowsVersion !== undefined) {
        if (capacity === "fargate")
            fail(
                "hostWindowsVersion",
                args.hostWindowsVersion,
                "it applies to EC2 capacity only; Fargate's platform follows the image",
            );
        hostWindowsVersion = checkWindowsVersion("hostWindowsVersion", args.hostWindowsVersion);
    }
    if (capacity === "ec2" && !ecsEc2Releases.includes(hostWindowsVersion)) {
        fail(
            "hostWindowsVersion",
            hostWindowsVersion,
            `ECS-optimized Windows AMIs exist for ${ecsEc2Releases.join(", ")}`,
        );
    }
    const { compatibility } = checkImageOnHost(
        windowsVersion,
        capacity === "fargate" ? { kind: "ecs-fargate" } : { kind: "ecs-ec2", windowsVersion: hostWindowsVersion },
    );
    return { capacity, hostWindowsVersion, compatibility };
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
            "EcsWindowsService needs arguments: at least `imageRef`, `windowsVersion`, `vpcId` and `subnetIds`.",
        );
    const placement = resolvePlacement(args);
    const size = resolveTaskSize(args, placement.capacity);
    if (Array.isArray(args.subnetIds) && args.subnetIds.length === 0)
        fail("subnetIds", "[]", "the service needs at least one subnet");
    const loadBalancer = resolveLoadBalancer(args.loadBalancer);
    checkEnvironmentPair("environment", "secrets", args.environment, args.secrets, checkSecretArn);
    const ec2 = resolveEc2(args, placement.capacity);
    return { ...placement, ...size, assignPublicIp: args.assignPublicIp ?? false, loadBalancer, ec2 };
}
