// The ECS service itself: desired tasks on Fargate or the EC2 capacity provider, behind the load balancer if any.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";

import { deploymentConfiguration } from "./deployment";
import { DeclaredLoadBalancing } from "./loadBalancer";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";
import { InfrastructureRole } from "./roles";
import { containerName } from "./taskDefinition";
import { LifecycleHook } from "./testGateResources";

/** What the service runs and where. */
export interface ServiceParts {
    readonly clusterArn: pulumi.Input<string>;
    readonly taskDefinition: ecs.TaskDefinition;
    readonly taskSecurityGroup: ec2.SecurityGroup;
    readonly loadBalancer?: DeclaredLoadBalancing;
    /** The EC2 capacity provider the tasks run on (the service's own cluster's, or a shared one). */
    readonly capacityProviderName?: pulumi.Input<string>;
    /** Resources the service's first deployment must wait for (its own capacity, the task role's grants). */
    readonly waitFor: pulumi.Resource[];
    /** The role ECS shifts traffic with (canary, linear, blue/green); there whenever there is a load balancer. */
    readonly infrastructureRole?: InfrastructureRole;
    /** Alarms that roll a deployment back: the component's and the user's. */
    readonly alarmNames: pulumi.Output<string[]>;
    /** Whether there are any (known while the program runs: the component's alarms, or `alarms.alarmNames` given). */
    readonly rollbackOnAlarms: boolean;
    /** The test gate's hook; undefined without one. */
    readonly lifecycleHook?: pulumi.Output<LifecycleHook>;
}

/**
 * The service's load balancer block: the target group, and the alternate, the production rule and ECS's role in
 * `advancedConfiguration`, which every strategy keeps so that a switch between strategies never loses the pair.
 */
function loadBalancers(resolved: ResolvedEcsService, parts: ServiceParts): ecs.ServiceArgs["loadBalancers"] {
    const { loadBalancer, infrastructureRole } = parts;
    if (!loadBalancer || !infrastructureRole) return undefined;
    const [primary, alternate] = loadBalancer.targetGroups;
    const advancedConfiguration = {
        alternateTargetGroupArn: alternate.arn,
        productionListenerRule: loadBalancer.productionRule.arn,
        ...(loadBalancer.test ? { testListenerRule: loadBalancer.test.rule.arn } : {}),
        roleArn: infrastructureRole.role.arn,
    };
    return [{ targetGroupArn: primary.arn, containerName, containerPort: resolved.port, advancedConfiguration }];
}

/**
 * What ECS changes on the service, as paths the engine resets to the old inputs: after a traffic-shifting deployment
 * ECS swaps the target group and the alternate. Only those two: the port, the rule and the role still update. The
 * alternate is reached through `*` because the engine DELETES an ignored leaf that the old inputs lack (a service
 * made before it had `advancedConfiguration`), while `*` walks only the keys the old block has.
 */
export const swappedByEcs = ["loadBalancers[0].targetGroupArn", "loadBalancers[0].*.alternateTargetGroupArn"];

/**
 * Declares the service with the chosen deployment strategy. The circuit breaker and the alarms roll a failed
 * deployment back, whatever the strategy.
 */
export function declareService(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    parts: ServiceParts,
    parent: pulumi.Resource,
): ecs.Service {
    const fargate = resolved.capacity === "fargate";
    const { loadBalancer, capacityProviderName, infrastructureRole } = parts;
    const alarms = parts.rollbackOnAlarms ? { alarmNames: parts.alarmNames, enable: true, rollback: true } : undefined;
    return new ecs.Service(
        childName(name, "-service", awsNameRules.long),
        {
            cluster: parts.clusterArn,
            taskDefinition: parts.taskDefinition.arn,
            desiredCount: resolved.desiredCount,
            launchType: fargate ? "FARGATE" : undefined,
            platformVersion: fargate ? "LATEST" : undefined,
            capacityProviderStrategies:
                capacityProviderName !== undefined
                    ? [{ capacityProvider: capacityProviderName, weight: 1 }]
                    : undefined,
            networkConfiguration: {
                subnets: args.subnetIds,
                securityGroups: [parts.taskSecurityGroup.id],
                assignPublicIp: resolved.assignPublicIp,
            },
            loadBalancers: loadBalancers(resolved, parts),
            // Windows tasks take minutes to pull and start; the load balancer must not kill them meanwhile.
            healthCheckGracePeriodSeconds: loadBalancer ? 600 : undefined,
            deploymentConfiguration: {
                ...deploymentConfiguration(resolved.deployment),
                ...(parts.lifecycleHook ? { lifecycleHooks: [parts.lifecycleHook] } : {}),
            },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            alarms,
            propagateTags: "SERVICE",
        },
        {
            parent,
            dependsOn: [
                ...(loadBalancer
                    ? [
                          ...(loadBalancer.own ? [loadBalancer.own] : []),
                          loadBalancer.productionRule,
                          ...(loadBalancer.test ? [loadBalancer.test.rule] : []),
                      ]
                    : []),
                ...parts.waitFor,
                ...(infrastructureRole ? [infrastructureRole.attachment] : []),
            ],
            // Sending the pair as declared again would undo ECS's swap (see swappedByEcs).
            ignoreChanges: loadBalancer ? swappedByEcs : undefined,
        },
    );
}
