// Where a service runs: a cluster it joins, or its own (with its own Windows instances on EC2, as an EcsWindowsCluster).
import * as pulumi from "@pulumi/pulumi";
import * as ecs from "@pulumi/aws/ecs";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { EcsWindowsCluster } from "./ecsWindowsCluster";
import { movesChildrenFrom } from "./movedChildren";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";

export interface DeclaredCluster {
    readonly arn: pulumi.Output<string>;
    /** The cluster's name, for Container Insights' dimensions. */
    readonly name: pulumi.Output<string>;
    /** The EC2 capacity provider the service's tasks use; undefined on Fargate. */
    readonly capacityProviderName?: pulumi.Output<string>;
    /** The service's own EC2 cluster; undefined on Fargate or in a cluster it joins. */
    readonly own?: EcsWindowsCluster;
}

/** The name of a cluster from its ARN (`arn:aws:ecs:<region>:<account>:cluster/<name>`). */
export const clusterNameOf = (arn: string) => arn.split("/").pop() ?? arn;

/**
 * The service's cluster: the one it joins (`clusterArn`, with `capacityProviderName` on EC2), else on Fargate a new
 * cluster with Container Insights, else on EC2 an EcsWindowsCluster of its own whose instances use the tasks'
 * security group (as they did when the service made them itself; their resources keep those URNs).
 */
export function declareCluster(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    taskSecurityGroupId: pulumi.Output<string>,
    parent: pulumi.ComponentResource,
): DeclaredCluster {
    if (resolved.cluster.kind === "joined") {
        const arn = pulumi.output(resolved.cluster.clusterArn);
        const provider = resolved.cluster.capacityProviderName;
        return {
            arn,
            // A provider always returns the ARN; a user's own test mocks may leave it out.
            name: arn.apply((given) => (given === undefined ? given : clusterNameOf(given))),
            capacityProviderName: provider === undefined ? undefined : pulumi.output(provider),
        };
    }
    if (resolved.capacity === "fargate") {
        const cluster = new ecs.Cluster(
            childName(name, "-cluster", awsNameRules.long),
            { settings: [{ name: "containerInsights", value: "enabled" }] },
            { parent },
        );
        return { arn: cluster.arn, name: cluster.name };
    }
    movesChildrenFrom(parent);
    const own = new EcsWindowsCluster(
        name,
        {
            subnetIds: args.subnetIds,
            windowsVersion: resolved.hostWindowsVersion,
            instanceSecurityGroupIds: [taskSecurityGroupId],
            ...resolved.ec2,
        },
        { parent },
    );
    return { arn: own.clusterArn, name: own.clusterName, capacityProviderName: own.capacityProviderName, own };
}
