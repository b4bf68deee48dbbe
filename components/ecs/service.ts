// The ECS service itself: desired tasks on Fargate or the EC2 capacity provider, behind the load balancer if any.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { DeclaredCapacity } from "./capacity";
import { DeclaredLoadBalancer } from "./loadBalancer";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";
import { containerName } from "./taskDefinition";

/** What the service runs and where. */
export interface ServiceParts {
    readonly clusterArn: pulumi.Input<string>;
    readonly taskDefinition: ecs.TaskDefinition;
    readonly taskSecurityGroup: ec2.SecurityGroup;
    readonly loadBalancer?: DeclaredLoadBalancer;
    readonly capacity?: DeclaredCapacity;
}

/** Declares the service with a rolling deployment that rolls back on its own through the circuit breaker. */
export function declareService(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    parts: ServiceParts,
    parent: pulumi.Resource,
): ecs.Service {
    const fargate = resolved.capacity === "fargate";
    const { loadBalancer, capacity } = parts;
    return new ecs.Service(
        childName(name, "-service", awsNameRules.long),
        {
            cluster: parts.clusterArn,
            taskDefinition: parts.taskDefinition.arn,
            desiredCount: resolved.desiredCount,
            launchType: fargate ? "FARGATE" : undefined,
            platformVersion: fargate ? "LATEST" : undefined,
            capacityProviderStrategies: capacity ? [{ capacityProvider: capacity.name, weight: 1 }] : undefined,
            networkConfiguration: {
                subnets: args.subnetIds,
                securityGroups: [parts.taskSecurityGroup.id],
                assignPublicIp: resolved.assignPublicIp,
            },
            loadBalancers: loadBalancer
                ? [{ targetGroupArn: loadBalancer.targetGroup.arn, containerName, containerPort: resolved.port }]
                : undefined,
            // Windows tasks take minutes to pull and start; the load balancer must not kill them meanwhile.
            healthCheckGracePeriodSeconds: loadBalancer ? 600 : undefined,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            propagateTags: "SERVICE",
        },
        {
            parent,
            dependsOn: [...(loadBalancer ? [loadBalancer.listener] : []), ...(capacity ? [capacity.attachment] : [])],
        },
    );
}
