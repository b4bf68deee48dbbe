// The chaos drill of one ECS service as pure declarations: an AWS FIS experiment template that stops a share of the
// service's tasks and, on EC2 capacity, terminates or drains one instance, stopped by the service's alarms. No resources:
// EcsWindowsService wires them. The in-task faults (aws:ecs:task-*) and AWSFIS-Run-* documents are Linux-only.
import * as pulumi from "@pulumi/pulumi";
import type { ExperimentTemplateArgs } from "@pulumi/aws/fis";
import type { fis as fisInputs } from "@pulumi/aws/types/input";
import { checkWholeNumber, fail, oneOf } from "../core";
import type { EcsChaosDrillArgs } from "./args";
import { fisLogDeliveryActions } from "./wildcardActions";

export const instanceFaults = ["terminate", "drain", "none"] as const;
export type InstanceFault = (typeof instanceFaults)[number];

/** The drill with its defaults decided. */
export interface ResolvedChaosDrill {
    readonly stopTaskPercent: number;
    /** Undefined on Fargate. */
    readonly instanceFault?: InstanceFault;
    readonly recoveryMinutes: number;
    readonly drainMinutes: number;
}

/** What the service tells the drill about itself, to check the drill against. */
export interface DrillContext {
    readonly capacity: "fargate" | "ec2";
    readonly desiredCount: number;
    /** Whether the service has alarms that roll deployments back: the drill's stop conditions. */
    readonly hasAlarms: boolean;
    /** EC2: whether the service runs on a cluster it shares (`clusterArn`) rather than on instances of its own. */
    readonly sharedCluster?: boolean;
}

/** Checks the drill's arguments (named under `chaosDrill.`) against the service and fills in defaults. */
export function resolveChaosDrill(given: EcsChaosDrillArgs, service: DrillContext): ResolvedChaosDrill {
    if (!service.hasAlarms)
        fail(
            "chaosDrill",
            "{...}",
            "a drill needs stop conditions, and they are the service's rollback alarms, which this service has none of",
            "Give the service a `loadBalancer` or a `listener` (its target group alarms are created), or `alarms.alarmNames`.",
        );
    if (service.desiredCount < 1)
        fail("chaosDrill", "{...}", `the service runs ${service.desiredCount} tasks; a drill needs at least one`);
    checkWholeNumber("chaosDrill.stopTaskPercent", given.stopTaskPercent, 1, 100);
    checkWholeNumber("chaosDrill.recoveryMinutes", given.recoveryMinutes, 0, 60);
    checkWholeNumber("chaosDrill.drainMinutes", given.drainMinutes, 1, 60);
    if (service.capacity === "fargate" && given.instanceFault !== undefined)
        fail(
            "chaosDrill.instanceFault",
            given.instanceFault,
            'it applies to `capacity: "ec2"` only (Fargate has no instances)',
        );
    const shared = service.sharedCluster === true;
    const instanceFault =
        service.capacity === "ec2"
            ? oneOf("chaosDrill.instanceFault", given.instanceFault, instanceFaults, shared ? "none" : "terminate")
            : undefined;
    if (shared && instanceFault !== "none")
        fail(
            "chaosDrill.instanceFault",
            instanceFault,
            "the service shares its cluster (`clusterArn`), whose instances run other services' tasks too; only `none` is allowed",
            "Drill the instances from a stack that owns the cluster.",
        );
    if (given.drainMinutes !== undefined && instanceFault !== "drain")
        fail("chaosDrill.drainMinutes", given.drainMinutes, 'it applies to `instanceFault: "drain"` only');
    return {
        stopTaskPercent: given.stopTaskPercent ?? 50,
        instanceFault,
        recoveryMinutes: given.recoveryMinutes ?? 5,
        drainMinutes: given.drainMinutes ?? 10,
    };
}

/** How many tasks a percentage of the service's tasks is: rounded down, at least one. */
export function tasksToStop(desiredCount: number, percent: number): number {
    return Math.max(1, Math.floor((desiredCount * percent) / 100));
}

/**
 * The drainage percentage that drains one instance of `instances`: FIS drains a percentage of the cluster's container
 * instances, so one in three is 34%. The cluster must hold only this service's instances (it does: EC2 capacity
 * needs a cluster of the component's own).
 */
export function drainPercentForOne(instances: number): number {
    return Math.min(100, Math.ceil(100 / Math.max(1, instances)));
}

/** What the experiment template is built from: resolved settings and the service's resources. */
export interface ChaosDrillPlan {
    readonly drill: ResolvedChaosDrill;
    readonly clusterName: pulumi.Input<string>;
    readonly serviceName: pulumi.Input<string>;
    readonly desiredCount: number;
    /** EC2 capacity: the service's cluster, its Auto Scaling group and how many instances it runs. */
    readonly ec2?: {
        readonly clusterArn: pulumi.Input<string>;
        readonly autoScalingGroupName: pulumi.Input<string>;
        readonly instances: number;
    };
    /** The alarm the experiment stops on (a composite of the service's rollback alarms). */
    readonly stopAlarmArn: pulumi.Input<string>;
    readonly roleArn: pulumi.Input<string>;
    readonly logGroupArn: pulumi.Input<string>;
    readonly description: string;
}

/** Target and action names FIS shows in its console and logs. */
const names = { tasks: "service-tasks", instance: "one-instance", cluster: "service-cluster" };

/**
 * The FIS experiment template. Actions: stop `tasksToStop` of the service's tasks (ECS sends Windows containers
 * CTRL_SHUTDOWN_EVENT, then starts replacements), wait `recoveryMinutes`, then on EC2 terminate or drain one
 * instance. The stop condition is the alarm given; every experiment logs to the log group; a target that resolves to
 * nothing fails the experiment instead of passing it.
 */
export function chaosExperimentTemplateArgs(plan: ChaosDrillPlan): ExperimentTemplateArgs {
    const { drill } = plan;
    const targets: fisInputs.ExperimentTemplateTarget[] = [
        {
            name: names.tasks,
            resourceType: "aws:ecs:task",
            parameters: { cluster: plan.clusterName, service: plan.serviceName },
            selectionMode: `COUNT(${tasksToStop(plan.desiredCount, drill.stopTaskPercent)})`,
        },
    ];
    const actions: fisInputs.ExperimentTemplateAction[] = [
        {
            name: "stop-tasks",
            actionId: "aws:ecs:stop-task",
            description: `Stop ${drill.stopTaskPercent}% of the service's tasks`,
            target: { key: "Tasks", value: names.tasks },
        },
    ];
    const fault = plan.ec2 ? drill.instanceFault : undefined;
    if (plan.ec2 && fault && fault !== "none") {
        actions.push({
            name: "recover",
            actionId: "aws:fis:wait",
            description: "Let the service replace its tasks before the instance fault",
            parameters: [{ key: "duration", value: `PT${drill.recoveryMinutes}M` }],
            startAfters: ["stop-tasks"],
        });
        if (fault === "terminate") {
            targets.push({
                name: names.instance,
                resourceType: "aws:ec2:instance",
                resourceTags: [{ key: "aws:autoscaling:groupName", value: plan.ec2.autoScalingGroupName }],
                filters: [{ path: "State.Name", values: ["running"] }],
                selectionMode: "COUNT(1)",
            });
            actions.push({
                name: "terminate-instance",
                actionId: "aws:ec2:terminate-instances",
                description: "Terminate one container instance (node loss)",
                target: { key: "Instances", value: names.instance },
                startAfters: ["recover"],
            });
        } else {
            targets.push({
                name: names.cluster,
                resourceType: "aws:ecs:cluster",
                resourceArns: [plan.ec2.clusterArn],
                selectionMode: "ALL",
            });
            actions.push({
                name: "drain-instance",
                actionId: "aws:ecs:drain-container-instances",
                description: "Drain one container instance",
                parameters: [
                    { key: "drainagePercentage", value: String(drainPercentForOne(plan.ec2.instances)) },
                    { key: "duration", value: `PT${drill.drainMinutes}M` },
                ],
                target: { key: "Clusters", value: names.cluster },
                startAfters: ["recover"],
            });
        }
    }
    return {
        description: plan.description.slice(0, 512),
        roleArn: plan.roleArn,
        targets,
        actions,
        stopConditions: [{ source: "aws:cloudwatch:alarm", value: plan.stopAlarmArn }],
        logConfiguration: {
            logSchemaVersion: 2,
            cloudwatchLogsConfiguration: { logGroupArn: pulumi.interpolate`${plan.logGroupArn}:*` },
        },
        experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
    };
}

/**
 * A composite alarm rule that is in ALARM when any of the service's rollback alarms is: FIS then has one stop
 * condition however many alarms the service has, and the person running the drill watches one alarm.
 */
export function compositeAlarmRule(alarmNames: string[]): string {
    if (alarmNames.length === 0) throw new Error("a composite alarm needs at least one alarm");
    for (const name of alarmNames)
        if (/["\\]/.test(name)) throw new Error(`alarm name ${JSON.stringify(name)} cannot go in an alarm rule`);
    return alarmNames.map((name) => `ALARM("${name}")`).join(" OR ");
}

/**
 * The AWS managed policies the experiment role needs, exactly: AWSFaultInjectionSimulatorECSAccess for stop-task
 * and drain-container-instances, and AWSFaultInjectionSimulatorEC2Access when an instance is terminated.
 */
export function chaosDrillManagedPolicies(drill: ResolvedChaosDrill, partition = "aws"): string[] {
    const policy = (name: string) => `arn:${partition}:iam::aws:policy/service-role/${name}`;
    const policies = [policy("AWSFaultInjectionSimulatorECSAccess")];
    if (drill.instanceFault === "terminate") policies.push(policy("AWSFaultInjectionSimulatorEC2Access"));
    return policies;
}

/**
 * The experiment role's trust: FIS only, and only for experiments of this account and region (the confused-deputy
 * conditions FIS documents).
 */
export function fisTrustPolicy(accountId: string, region: string, partition = "aws"): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "fis.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": `arn:${partition}:fis:${region}:${accountId}:experiment/*` },
                },
            },
        ],
    });
}

/**
 * What FIS needs to deliver experiment logs to CloudWatch Logs (vended logs): set up the delivery and the log
 * group's resource policy. AWS requires `*` for these actions' resources.
 */
export function fisLoggingPolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DeliverExperimentLogs",
                Effect: "Allow",
                Action: [...fisLogDeliveryActions],
                Resource: "*",
            },
        ],
    });
}

/**
 * The name prefix of the experiments' log group. CloudWatch Logs keeps one resource policy for vended log delivery
 * and it is limited to 5120 characters; log groups under /aws/vendedlogs/ share one wildcard entry in it, so many
 * stacks' drills do not fill it.
 */
export function fisLogGroupNamePrefix(name: string): string {
    return `/aws/vendedlogs/fis/${name}-`;
}
