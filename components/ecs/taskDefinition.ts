// The task definition of an ECS service and the log group its container writes to.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { containerDefinition } from "./containerDefinition";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";
import { TaskRoles } from "./roles";
import { applicationTraceEnvironment, collectorConfig, collectorContainerDefinition } from "./traces";

/** The name of the task's one container; the load balancer targets it. */
export const containerName = "app";

export interface DeclaredTask {
    readonly taskDefinition: ecs.TaskDefinition;
    readonly logGroup: cloudwatch.LogGroup;
    /** The region the service runs in, read from the log group's ARN. */
    readonly region: pulumi.Output<string>;
}

/** Where the task runs and what it is called: `taskFamily` is scoped per stack, since ECS does not auto-name it. */
export interface TaskIdentity {
    /** The task definition family (required by ECS, shared by every revision of it in the account and region). */
    readonly taskFamily: string;
    /** The ECS operating system family, e.g. `WINDOWS_SERVER_2022_CORE`. */
    readonly operatingSystemFamily: string;
}

/**
 * Declares the log group and a Windows task definition of the application's container (and, with traces, the
 * collector's beside it, from `collectorImage`, pinned by digest), sized per container for EC2.
 */
export function declareTaskDefinition(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    identity: TaskIdentity,
    roles: TaskRoles,
    collectorImage: pulumi.Output<string> | undefined,
    parent: pulumi.Resource,
): DeclaredTask {
    const logGroup = new cloudwatch.LogGroup(
        childName(name, "-logs", awsNameRules.long),
        { retentionInDays: resolved.logRetentionDays },
        { parent },
    );
    // A provider always returns the ARN; a user's own test mocks may not (then the region is left to the agent).
    const region = logGroup.arn.apply((arn) => (arn === undefined ? arn : arn.split(":")[3]));
    const containers = pulumi
        .all([
            args.imageRef,
            logGroup.name,
            region,
            pulumi.output(args.environment ?? {}),
            pulumi.output(args.secrets ?? {}),
            pulumi.output(args.healthCheckCommand),
            collectorImage ?? pulumi.output(undefined),
        ])
        .apply(([image, logGroupName, regionName, environment, secrets, healthCheckCommand, collector]) => {
            const traces = resolved.traces;
            const app = containerDefinition({
                name: containerName,
                image,
                port: resolved.port,
                cpu: resolved.appCpu,
                memory: resolved.appMemory,
                environment: traces
                    ? { ...environment, ...applicationTraceEnvironment(traces.serviceName) }
                    : environment,
                secrets,
                logGroup: logGroupName,
                region: regionName,
                healthCheckCommand,
            });
            if (!traces) return JSON.stringify([app]);
            const sidecar = collectorContainerDefinition({
                image: collector ?? traces.collectorImageRef,
                config: collectorConfig(regionName ?? "us-east-1", traces.collectorMemory),
                cpu: traces.collectorCpu,
                memory: traces.collectorMemory,
                logGroup: logGroupName,
                region: regionName,
            });
            return JSON.stringify([app, sidecar]);
        });
    const fargate = resolved.capacity === "fargate";
    const taskDefinition = new ecs.TaskDefinition(
        childName(name, "-task", awsNameRules.long),
        {
            family: identity.taskFamily,
            requiresCompatibilities: [fargate ? "FARGATE" : "EC2"],
            networkMode: "awsvpc",
            // EC2 Windows tasks ignore task-level sizes; the container carries them.
            cpu: fargate ? String(resolved.cpu) : undefined,
            memory: fargate ? String(resolved.memory) : undefined,
            runtimePlatform: { operatingSystemFamily: identity.operatingSystemFamily, cpuArchitecture: "X86_64" },
            executionRoleArn: roles.executionRole.arn,
            taskRoleArn: roles.taskRole.arn,
            containerDefinitions: containers,
        },
        { parent, dependsOn: roles.executionPolicies },
    );
    return { taskDefinition, logGroup, region };
}
