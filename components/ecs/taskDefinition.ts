// The task definition of an ECS service and the log group its container writes to.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import { EcsWindowsServiceArgs } from "./args";
import { containerDefinition } from "./containerDefinition";
import { ResolvedEcsService } from "./resolve";
import { TaskRoles } from "./roles";

/** The name of the task's one container; the load balancer targets it. */
export const containerName = "app";

/**
 * The task family: ECS does not auto-name it, and a family two stacks share interleaves their revisions, so it names
 * the project and stack too (letters, digits, `-` and `_`, at most 255).
 */
export function taskFamily(project: string, stack: string, name: string): string {
    return `${project}-${stack}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 255);
}

export interface DeclaredTask {
    readonly taskDefinition: ecs.TaskDefinition;
    readonly logGroup: cloudwatch.LogGroup;
}

/** Declares the log group and a Windows task definition of one container, sized per container for EC2. */
export function declareTaskDefinition(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    family: string,
    roles: TaskRoles,
    parent: pulumi.Resource,
): DeclaredTask {
    const logGroup = new cloudwatch.LogGroup(
        `${name}-logs`,
        { retentionInDays: resolved.logRetentionDays },
        { parent },
    );
    const region = logGroup.arn.apply((arn) => arn.split(":")[3]);
    const containers = pulumi
        .all([
            args.imageRef,
            logGroup.name,
            region,
            pulumi.output(args.environment ?? {}),
            pulumi.output(args.secrets ?? {}),
            pulumi.output(args.healthCheckCommand),
        ])
        .apply(([image, logGroupName, regionName, environment, secrets, healthCheckCommand]) =>
            JSON.stringify([
                containerDefinition({
                    name: containerName,
                    image,
                    port: resolved.port,
                    cpu: resolved.cpu,
                    memory: resolved.memory,
                    environment,
                    secrets,
                    logGroup: logGroupName,
                    region: regionName,
                    healthCheckCommand,
                }),
            ]),
        );
    const fargate = resolved.capacity === "fargate";
    const taskDefinition = new ecs.TaskDefinition(
        `${name}-task`,
        {
            family: taskFamily(pulumi.getProject(), pulumi.getStack(), name),
            requiresCompatibilities: [fargate ? "FARGATE" : "EC2"],
            networkMode: "awsvpc",
            // EC2 Windows tasks ignore task-level sizes; the container carries them.
            cpu: fargate ? String(resolved.cpu) : undefined,
            memory: fargate ? String(resolved.memory) : undefined,
            runtimePlatform: { operatingSystemFamily: family, cpuArchitecture: "X86_64" },
            executionRoleArn: roles.executionRole.arn,
            taskRoleArn: roles.taskRole.arn,
            containerDefinitions: containers,
        },
        { parent, dependsOn: roles.executionPolicies },
    );
    return { taskDefinition, logGroup };
}
