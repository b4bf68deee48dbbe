// Checks the arguments of the host components before anything is created, including image/host Windows compatibility.
import { CompatibilityResult, HostKind, checkCompatibility, ecsEc2Releases } from "./compatibility";
import { fargateSizeProblem, fargateWindowsReservedPorts, logRetentionDays } from "./ecs";
import { ArgumentError, checkWholeNumber, envKeyPattern, fail } from "./validation";
import { windowsVersionNames } from "./windowsVersions";

/** Names that hold credentials: they belong in `secrets` / `secureEnvironment`, never plain environment variables. */
export const credentialLikeName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CONNECTION_?STRING|CREDENTIAL)/i;

function checkWindowsVersion(argument: string, value: unknown): string {
    if (typeof value !== "string" || !windowsVersionNames.includes(value)) {
        fail(
            argument,
            value,
            `allowed values: ${windowsVersionNames.join(", ")}`,
            "Pass the image's `windowsVersion` output's value.",
        );
    }
    return value;
}

function checkEnvironment(
    argument: string,
    secretsArgument: string,
    env: Readonly<Record<string, unknown>> | undefined,
): void {
    for (const key of Object.keys(env ?? {})) {
        if (!envKeyPattern.test(key))
            fail(argument, key, "variable names are letters, digits and `_`, not starting with a digit");
        if (credentialLikeName.test(key)) {
            fail(
                argument,
                key,
                "it looks like a credential, and plain environment variables are readable by anyone who can describe the task",
                `Pass it in \`${secretsArgument}\` instead.`,
            );
        }
    }
}

/** Fails on "does not run", returns the warning for "unknown". */
function checkHost(
    argument: string,
    imageVersion: string,
    host: { kind: HostKind; windowsVersion?: string },
): CompatibilityResult {
    const result = checkCompatibility(imageVersion, host);
    // checkCompatibility already says "no" for Hyper-V-only images on ECS, which cannot use Hyper-V isolation.
    if (result.verdict === "no") {
        throw new ArgumentError(
            argument,
            `\`${argument}\` is "${imageVersion}", which this host cannot run: ${result.message}`,
        );
    }
    return result;
}

export interface EcsServiceArgsToValidate {
    readonly windowsVersion: string;
    readonly capacity?: string;
    readonly hostWindowsVersion?: string;
    readonly port?: number;
    readonly cpu?: number;
    readonly memory?: number;
    readonly desiredCount?: number;
    readonly logRetentionDays?: number;
    readonly clusterArn?: unknown;
    readonly subnetIds?: unknown;
    readonly environment?: Readonly<Record<string, unknown>>;
    readonly secrets?: Readonly<Record<string, unknown>>;
    readonly loadBalancer?: {
        readonly listenerPort?: number;
        readonly healthCheckPath?: string;
        readonly subnetIds?: unknown;
    };
    readonly ec2?: {
        readonly instanceType?: string;
        readonly minSize?: number;
        readonly maxSize?: number;
        readonly desiredCapacity?: number;
    };
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
    readonly ec2: {
        readonly instanceType: string;
        readonly minSize: number;
        readonly maxSize: number;
        readonly desiredCapacity: number;
    };
    readonly compatibility: CompatibilityResult;
}

/** Validates EcsWindowsService arguments and fills in defaults; throws ArgumentError naming the first bad one. */
export function resolveEcsServiceArgs(args: EcsServiceArgsToValidate): ResolvedEcsService {
    if (!args)
        throw new ArgumentError(
            "args",
            "EcsWindowsService needs arguments: at least `imageRef`, `windowsVersion`, `vpcId` and `subnetIds`.",
        );
    const windowsVersion = checkWindowsVersion("windowsVersion", args.windowsVersion);
    const capacity = args.capacity ?? "fargate";
    if (capacity !== "fargate" && capacity !== "ec2") fail("capacity", capacity, "allowed values: fargate, ec2");

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
    const compatibility = checkHost(
        "windowsVersion",
        windowsVersion,
        capacity === "fargate" ? { kind: "ecs-fargate" } : { kind: "ecs-ec2", windowsVersion: hostWindowsVersion },
    );

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

    if (Array.isArray(args.subnetIds) && args.subnetIds.length === 0)
        fail("subnetIds", "[]", "the service needs at least one subnet");
    if (args.loadBalancer) {
        checkWholeNumber("loadBalancer.listenerPort", args.loadBalancer.listenerPort, 1, 65535);
        const path = args.loadBalancer.healthCheckPath;
        if (path !== undefined && !/^\/[\x21-\x7e]*$/.test(path))
            fail("loadBalancer.healthCheckPath", path, "it must be a URL path starting with `/`");
        if (Array.isArray(args.loadBalancer.subnetIds) && args.loadBalancer.subnetIds.length < 2) {
            fail(
                "loadBalancer.subnetIds",
                `${args.loadBalancer.subnetIds.length} subnet(s)`,
                "an Application Load Balancer needs subnets in at least two Availability Zones",
            );
        }
    }
    checkEnvironment("environment", "secrets", args.environment);
    for (const [name, arn] of Object.entries(args.secrets ?? {})) {
        if (!envKeyPattern.test(name))
            fail("secrets", name, "variable names are letters, digits and `_`, not starting with a digit");
        if (typeof arn === "string" && !/^arn:aws[\w-]*:(ssm|secretsmanager):/.test(arn)) {
            fail(`secrets.${name}`, arn, "it must be the ARN of an SSM parameter or a Secrets Manager secret");
        }
        if (args.environment && name in args.environment) fail("secrets", name, "it is also set in `environment`");
    }

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

    return {
        capacity,
        hostWindowsVersion,
        port,
        cpu,
        memory,
        desiredCount,
        logRetentionDays: retention,
        ec2: { instanceType, minSize, maxSize, desiredCapacity },
        compatibility,
    };
}

export interface ContainerGroupArgsToValidate {
    readonly windowsVersion: string;
    readonly ports?: readonly number[];
    readonly cpu?: number;
    readonly memoryGb?: number;
    readonly restartPolicy?: string;
    readonly dnsNameLabel?: string;
    readonly subnetId?: unknown;
    readonly environment?: Readonly<Record<string, unknown>>;
    readonly secureEnvironment?: Readonly<Record<string, unknown>>;
}

export interface ResolvedContainerGroup {
    readonly ports: readonly number[];
    readonly cpu: number;
    readonly memoryGb: number;
    readonly restartPolicy: string;
    readonly compatibility: CompatibilityResult;
}

/** Ports Azure Container Instances reserves. */
export const aciReservedPorts = (port: number) =>
    port === 22 || port === 443 || (port >= 3389 && port <= 3399) || (port >= 20000 && port <= 30000);
const restartPolicies = ["Always", "OnFailure", "Never"];

/** Validates WindowsContainerGroup arguments and fills in defaults; throws ArgumentError naming the first bad one. */
export function resolveContainerGroupArgs(args: ContainerGroupArgsToValidate): ResolvedContainerGroup {
    if (!args)
        throw new ArgumentError(
            "args",
            "WindowsContainerGroup needs arguments: at least `imageRef`, `windowsVersion`, `resourceGroupName` and the registry.",
        );
    const windowsVersion = checkWindowsVersion("windowsVersion", args.windowsVersion);
    const compatibility = checkHost("windowsVersion", windowsVersion, { kind: "aci" });
    const ports = args.ports ?? [8080];
    if (ports.length === 0) fail("ports", "[]", "a container group needs at least one port");
    ports.forEach((port, i) => {
        checkWholeNumber(`ports[${i}]`, port, 1, 65535);
        if (aciReservedPorts(port))
            fail(`ports[${i}]`, port, "Azure Container Instances reserves 22, 443, 3389-3399 and 20000-30000");
    });
    if (new Set(ports).size !== ports.length) fail("ports", ports.join(", "), "each port may be listed once");
    const cpu = args.cpu ?? 1;
    if (!(cpu > 0 && cpu <= 4 && Number.isInteger(cpu * 10)))
        fail("cpu", cpu, "Windows container groups take 0.1 to 4 CPU cores in steps of 0.1");
    const memoryGb = args.memoryGb ?? 2;
    if (!(memoryGb > 0 && memoryGb <= 16 && Number.isInteger(memoryGb * 10)))
        fail("memoryGb", memoryGb, "Windows container groups take 0.1 to 16 GB in steps of 0.1");
    const restartPolicy = args.restartPolicy ?? "Always";
    if (!restartPolicies.includes(restartPolicy))
        fail("restartPolicy", restartPolicy, `allowed values: ${restartPolicies.join(", ")}`);
    if (args.dnsNameLabel !== undefined && !/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/.test(args.dnsNameLabel)) {
        fail(
            "dnsNameLabel",
            args.dnsNameLabel,
            "DNS labels are 3 to 63 lowercase letters, digits and hyphens, starting with a letter",
        );
    }
    if (args.dnsNameLabel !== undefined && args.subnetId !== undefined) {
        fail(
            "dnsNameLabel",
            args.dnsNameLabel,
            "a container group in a subnet has a private address and no DNS name",
            "Drop `dnsNameLabel` or `subnetId`.",
        );
    }
    checkEnvironment("environment", "secureEnvironment", args.environment);
    for (const key of Object.keys(args.secureEnvironment ?? {})) {
        if (!envKeyPattern.test(key))
            fail("secureEnvironment", key, "variable names are letters, digits and `_`, not starting with a digit");
        if (args.environment && key in args.environment)
            fail("secureEnvironment", key, "it is also set in `environment`");
    }
    return { ports, cpu, memoryGb, restartPolicy, compatibility };
}
