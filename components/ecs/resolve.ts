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
    missing,
    newestOffered,
    oneOf,
} from "../core";
import { EcsAlarmsArgs, EcsDeploymentArgs, EcsListenerArgs, EcsLoadBalancerArgs, EcsWindowsServiceArgs } from "./args";
import { ResolvedEc2Capacity, resolveEc2Capacity } from "./clusterArgs";
import { fargateSizeProblem, fargateWindowsReservedPorts, logRetentionDays } from "./platform";
import { defaultRulePriority } from "./priority";
import { ResolvedChaosDrill, resolveChaosDrill } from "./chaosDrill";
import { ResolvedTestGate, resolveTestGate } from "./testGate";
import { ResolvedTraces, resolveTraces, tracesEnvironmentNames } from "./traces";

export type { ResolvedEc2Capacity } from "./clusterArgs";

/** The service's own load balancer with its defaults decided. */
export interface ResolvedOwnLoadBalancer {
    readonly kind: "own";
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly internal: boolean;
    readonly listenerPort: number;
    readonly healthCheckPath: string;
    readonly ingressCidrBlocks: pulumi.Input<pulumi.Input<string>[]>;
    readonly certificateArn?: pulumi.Input<string>;
}

/** A rule on a shared listener with its defaults decided. */
export interface ResolvedSharedListener {
    readonly kind: "shared";
    readonly listenerArn: pulumi.Input<string>;
    readonly securityGroupId: pulumi.Input<string>;
    readonly hostHeaders?: pulumi.Input<pulumi.Input<string>[]>;
    readonly pathPatterns?: pulumi.Input<pulumi.Input<string>[]>;
    readonly priority: number;
    readonly healthCheckPath: string;
}

export type ResolvedLoadBalancer = ResolvedOwnLoadBalancer | ResolvedSharedListener;

/** Where the tasks run: a cluster the service makes (with its own instances on EC2), or one it joins. */
export type ResolvedCluster =
    | { readonly kind: "own" }
    | {
          readonly kind: "joined";
          readonly clusterArn: pulumi.Input<string>;
          /** The shared EC2 capacity (EC2 only). */
          readonly capacityProviderName?: pulumi.Input<string>;
      };

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
    readonly cluster: ResolvedCluster;
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
    /** The test gate (`deployment.tests`); undefined without one. */
    readonly testGate?: ResolvedTestGate;
    /** The chaos drill; undefined without one. */
    readonly chaosDrill?: ResolvedChaosDrill;
    /** The collector sidecar; undefined without traces. */
    readonly traces?: ResolvedTraces;
    /** The application container's share of the task (less the collector's on Fargate). */
    readonly appCpu: number;
    readonly appMemory: number;
}

const capacities = ["fargate", "ec2"] as const;
export const deploymentStrategies = ["rolling", "canary", "linear", "blue-green"] as const;
export type DeploymentStrategy = (typeof deploymentStrategies)[number];

/** How a value given to an argument is shown in an error: an Output's value is not known yet. */
const shown = (value: unknown) => (typeof value === "string" ? value : "an output of another resource");

/** The cluster: the service's own, or the one given (with its capacity provider for EC2). */
function resolveCluster(args: EcsWindowsServiceArgs, capacity: "fargate" | "ec2"): ResolvedCluster {
    if (args.capacityProviderName !== undefined && capacity === "fargate")
        fail(
            "capacityProviderName",
            shown(args.capacityProviderName),
            'it names EC2 capacity; Fargate tasks need none. Use `capacity: "ec2"`, or leave it out',
        );
    if (args.clusterArn === undefined) {
        if (args.capacityProviderName !== undefined)
            fail(
                "capacityProviderName",
                shown(args.capacityProviderName),
                "a capacity provider belongs to a cluster: give that cluster's `clusterArn` too",
            );
        return { kind: "own" };
    }
    if (capacity === "ec2" && args.capacityProviderName === undefined)
        fail(
            "clusterArn",
            shown(args.clusterArn),
            "EC2 tasks in a cluster the service does not make need that cluster's Windows capacity",
            "Give its `capacityProviderName` and its instances' `hostWindowsVersion` (an EcsWindowsCluster's " +
                "`capacityProviderName` and `windowsVersion`), or leave `clusterArn` out for instances of the service's own.",
        );
    if (capacity === "ec2" && args.ec2 !== undefined)
        fail(
            "ec2",
            "{...}",
            "it sizes instances the service makes, and with `capacityProviderName` the cluster's owner sizes them",
        );
    if (capacity === "ec2" && args.hostWindowsVersion === undefined)
        missing(
            "hostWindowsVersion",
            "with `capacityProviderName` the image is checked against the shared instances' release (an EcsWindowsCluster's `windowsVersion`)",
        );
    return { kind: "joined", clusterArn: args.clusterArn, capacityProviderName: args.capacityProviderName };
}

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
    const cluster = resolveCluster(args, capacity);
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
    return { capacity, cluster, hostWindowsVersion, imageWindowsVersion: windowsVersion, compatibility };
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

function checkHealthCheckPath(argument: string, path: string | undefined): string {
    if (path !== undefined && !/^\/[\x21-\x7e]*$/.test(path))
        fail(argument, path, "it must be a URL path starting with `/`");
    return path ?? "/healthz";
}

function resolveOwnLoadBalancer(given: EcsLoadBalancerArgs): ResolvedOwnLoadBalancer {
    checkWholeNumber("loadBalancer.listenerPort", given.listenerPort, 1, 65535);
    if (given.certificateArn !== undefined && given.listenerPort === 443)
        fail("loadBalancer.listenerPort", 443, "with `certificateArn` HTTPS takes 443, and this port redirects to it");
    const healthCheckPath = checkHealthCheckPath("loadBalancer.healthCheckPath", given.healthCheckPath);
    if (Array.isArray(given.subnetIds) && given.subnetIds.length < 2) {
        fail(
            "loadBalancer.subnetIds",
            `${given.subnetIds.length} subnet(s)`,
            "an Application Load Balancer needs subnets in at least two Availability Zones",
        );
    }
    return {
        kind: "own",
        subnetIds: given.subnetIds,
        internal: given.internal ?? false,
        listenerPort: given.listenerPort ?? 80,
        healthCheckPath,
        ingressCidrBlocks: given.ingressCidrBlocks ?? ["0.0.0.0/0"],
        certificateArn: given.certificateArn,
    };
}

function resolveSharedListener(given: EcsListenerArgs, serviceName: string): ResolvedSharedListener {
    if (given.hostHeaders === undefined && given.pathPatterns === undefined)
        fail(
            "listener",
            "{...}",
            "a rule on a shared listener routes by host or path, or it would take every other service's requests",
            "Give `listener.hostHeaders`, `listener.pathPatterns`, or both.",
        );
    for (const key of ["hostHeaders", "pathPatterns"] as const) {
        const values = given[key];
        if (Array.isArray(values) && values.length === 0)
            fail(`listener.${key}`, "[]", "give at least one value, or leave it out");
    }
    checkWholeNumber("listener.priority", given.priority, 1, 50000);
    return {
        kind: "shared",
        listenerArn: given.listenerArn,
        securityGroupId: given.securityGroupId,
        hostHeaders: given.hostHeaders,
        pathPatterns: given.pathPatterns,
        priority: given.priority ?? defaultRulePriority(serviceName),
        healthCheckPath: checkHealthCheckPath("listener.healthCheckPath", given.healthCheckPath),
    };
}

function resolveLoadBalancer(args: EcsWindowsServiceArgs, serviceName: string): ResolvedLoadBalancer | undefined {
    if (args.loadBalancer && args.listener)
        fail(
            "listener",
            "{...}",
            "the service has a load balancer of its own in `loadBalancer`",
            "Give `loadBalancer` for a load balancer of its own, or `listener` to join a shared one.",
        );
    if (args.listener) return resolveSharedListener(args.listener, serviceName);
    return args.loadBalancer ? resolveOwnLoadBalancer(args.loadBalancer) : undefined;
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
            "it shifts traffic between two target groups of a load balancer, so it needs `loadBalancer` or `listener`",
            'Add `loadBalancer: { subnetIds }` (or join a shared one with `listener`), or use `strategy: "rolling"`.',
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
            "the alarms watch the load balancer's target groups, so they need `loadBalancer` or `listener`",
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
    if (capacity === "fargate" && args.ec2 !== undefined) fail("ec2", "{...}", 'it applies to `capacity: "ec2"` only');
    return resolveEc2Capacity(args.ec2, "ec2.");
}

/** The variables the collector wiring sets on the application: the user may not set them too. */
function checkTracesEnvironment(args: EcsWindowsServiceArgs): void {
    for (const [argument, given] of [
        ["environment", args.environment],
        ["secrets", args.secrets],
    ] as const)
        for (const key of Object.keys(given ?? {}))
            if (tracesEnvironmentNames.includes(key))
                fail(
                    `${argument}.${key}`,
                    key,
                    "with `traces` the component sends the application's spans to the collector beside it and sets " +
                        `${tracesEnvironmentNames.join(", ")} itself`,
                    "Leave it out (the service name is `traces.serviceName`), or leave `traces` out to send spans elsewhere.",
                );
}

/**
 * The application container's CPU and memory: on Fargate the task's size less the collector's (the application must
 * keep at least 512 CPU units and 1024 MiB: a Windows container needs about that to start), on EC2 all of it (the
 * collector comes on top).
 */
function applicationShare(
    size: { cpu: number; memory: number },
    capacity: "fargate" | "ec2",
    traces: ResolvedTraces | undefined,
): { appCpu: number; appMemory: number } {
    if (!traces || capacity === "ec2") return { appCpu: size.cpu, appMemory: size.memory };
    const appCpu = size.cpu - traces.collectorCpu;
    const appMemory = size.memory - traces.collectorMemory;
    if (appCpu < 512)
        fail(
            "traces.collectorCpu",
            traces.collectorCpu,
            `on Fargate the collector's CPU comes out of the task's ${size.cpu}, and the application must keep at least 512`,
            "Give the task more `cpu`, or the collector less.",
        );
    if (appMemory < 1024)
        fail(
            "traces.collectorMemory",
            traces.collectorMemory,
            `on Fargate the collector's memory comes out of the task's ${size.memory} MiB, and the application must keep at least 1024`,
            "Give the task more `memory`, or the collector less.",
        );
    return { appCpu, appMemory };
}

/**
 * Validates EcsWindowsService arguments and fills in defaults; throws ArgumentError naming the first bad one.
 * `name` is the service's (its rule's priority on a shared listener derives from it).
 */
export function resolveEcsServiceArgs(args: EcsWindowsServiceArgs, name = "service"): ResolvedEcsService {
    if (!args)
        throw new ArgumentError(
            "args",
            "EcsWindowsService needs arguments: at least `imageRef`, `windowsVersion` (or `windowsVersions`), `vpcId` and `subnetIds`.",
        );
    const placement = resolvePlacement(args);
    const size = resolveTaskSize(args, placement.capacity);
    if (Array.isArray(args.subnetIds) && args.subnetIds.length === 0)
        fail("subnetIds", "[]", "the service needs at least one subnet");
    const loadBalancer = resolveLoadBalancer(args, name);
    checkEnvironmentPair("environment", "secrets", args.environment, args.secrets, checkSecretArn);
    const ec2 = resolveEc2(args, placement.capacity);
    const deployment = resolveDeployment(args.deployment, loadBalancer !== undefined);
    const alarms = resolveAlarms(args.alarms, loadBalancer !== undefined);
    const testGate =
        args.deployment?.tests === undefined
            ? undefined
            : resolveTestGate(args.deployment.tests, args, {
                  strategy: deployment.strategy,
                  loadBalancer: loadBalancer?.kind,
                  own:
                      loadBalancer?.kind === "own"
                          ? {
                                internal: loadBalancer.internal,
                                https: loadBalancer.certificateArn !== undefined,
                                ports:
                                    loadBalancer.certificateArn !== undefined
                                        ? [loadBalancer.listenerPort, 443]
                                        : [loadBalancer.listenerPort],
                            }
                          : undefined,
              });
    const chaosDrill =
        args.chaosDrill === undefined
            ? undefined
            : resolveChaosDrill(args.chaosDrill, {
                  capacity: placement.capacity,
                  desiredCount: size.desiredCount,
                  hasAlarms:
                      alarms.targetGroupAlarms ||
                      (args.alarms?.alarmNames !== undefined &&
                          !(Array.isArray(args.alarms.alarmNames) && args.alarms.alarmNames.length === 0)),
                  sharedCluster: placement.cluster.kind === "joined",
              });
    const traces =
        args.traces === undefined ? undefined : resolveTraces(args.traces, name, placement.hostWindowsVersion);
    if (traces) checkTracesEnvironment(args);
    const share = applicationShare(size, placement.capacity, traces);
    return {
        ...placement,
        ...size,
        ...share,
        testGate,
        chaosDrill,
        traces,
        assignPublicIp: args.assignPublicIp ?? false,
        loadBalancer,
        ec2,
        deployment,
        alarms,
        dashboard: args.dashboard ?? true,
    };
}
