// The cluster of an ECS service: a new one with Container Insights, or the one the user gives.
import * as pulumi from "@pulumi/pulumi";
import * as ecs from "@pulumi/aws/ecs";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { awsNameRules } from "./names";

export interface DeclaredCluster {
    /** The cluster the component created; undefined when the user gave `clusterArn`. */
    readonly cluster?: ecs.Cluster;
    readonly arn: pulumi.Output<string>;
    /** The cluster's name, for Container Insights' dimensions. */
    readonly name: pulumi.Output<string>;
}

/** A new cluster with Container Insights, unless `clusterArn` names one. */
export function declareCluster(name: string, args: EcsWindowsServiceArgs, parent: pulumi.Resource): DeclaredCluster {
    if (args.clusterArn !== undefined) {
        const arn = pulumi.output(args.clusterArn);
        return { arn, name: arn.apply((given) => given.split("/").pop() ?? given) };
    }
    const cluster = new ecs.Cluster(
        childName(name, "-cluster", awsNameRules.long),
        { settings: [{ name: "containerInsights", value: "enabled" }] },
        { parent },
    );
    return { cluster, arn: cluster.arn, name: cluster.name };
}
