// EcsWindowsCluster: an ECS cluster with Container Insights and Windows EC2 capacity that many EcsWindowsServices join.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import { childName, resolveArgsFor } from "../core";
import { declareEc2Capacity } from "./capacity";
import { EcsWindowsClusterArgs, resolveClusterArgs } from "./clusterArgs";
import { childOptions } from "./movedChildren";
import { awsNameRules } from "./names";
import { anywhereOut } from "./network";

/**
 * An ECS cluster with Container Insights and an Auto Scaling group of ECS-optimized Windows instances behind a
 * capacity provider (managed scaling, instance refresh onto each month's AMI). Services join it with
 * `clusterArn`, `capacityProviderName` and `hostWindowsVersion: cluster.windowsVersion`, and Fargate services may
 * run in it too. Each service keeps its own task security group: awsvpc tasks have ENIs of their own, so the
 * instances' security group opens nothing to them.
 */
export class EcsWindowsCluster extends pulumi.ComponentResource {
    /** The cluster's ARN: services' `clusterArn`. */
    public readonly clusterArn: pulumi.Output<string>;
    /** The cluster's name (Container Insights' `ClusterName` dimension). */
    public readonly clusterName: pulumi.Output<string>;
    /** The capacity provider of the Windows instances: services' `capacityProviderName`. */
    public readonly capacityProviderName: pulumi.Output<string>;
    /** The instances' Windows release, known while the program runs: services' `hostWindowsVersion`. */
    public readonly windowsVersion: string;
    /** The Auto Scaling group's name (for scaling policies, notifications, lifecycle hooks). */
    public readonly autoScalingGroupName: pulumi.Output<string>;
    /** The Auto Scaling group's ARN. */
    public readonly autoScalingGroupArn: pulumi.Output<string>;
    /** The instances' IAM role's ARN. */
    public readonly instanceRoleArn: pulumi.Output<string>;
    /** The instances' IAM role's name (for extra grants to the instances, e.g. a log agent). */
    public readonly instanceRoleName: pulumi.Output<string>;
    /** The instances' security groups. */
    public readonly instanceSecurityGroupIds: pulumi.Output<string[]>;
    /** The launch template (its latest version is what the group runs). */
    public readonly launchTemplateId: pulumi.Output<string>;

    constructor(name: string, args: EcsWindowsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:EcsWindowsCluster", name, {}, opts);
        const settings = resolveArgsFor("EcsWindowsCluster", name, this, () => resolveClusterArgs(args));
        const options = (extra?: pulumi.CustomResourceOptions) => childOptions(this, opts, extra);

        const cluster = new ecs.Cluster(
            childName(name, "-cluster", awsNameRules.long),
            { settings: [{ name: "containerInsights", value: "enabled" }] },
            options(),
        );
        const securityGroupIds = args.instanceSecurityGroupIds ?? [
            declareInstanceSecurityGroup(name, args, options).id,
        ];
        const capacity = declareEc2Capacity(
            name,
            settings,
            { subnetIds: args.subnetIds, securityGroupIds },
            cluster,
            this,
            options,
        );

        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;
        // Read after the provider is attached, so a service given this name waits for the cluster to have it.
        this.capacityProviderName = pulumi
            .all([capacity.provider.name, capacity.attachment.id])
            .apply(([providerName]) => providerName);
        this.windowsVersion = settings.windowsVersion;
        this.autoScalingGroupName = capacity.group.name;
        this.autoScalingGroupArn = capacity.group.arn;
        this.instanceRoleArn = capacity.instanceRole.arn;
        this.instanceRoleName = capacity.instanceRole.name;
        this.instanceSecurityGroupIds = pulumi.output(securityGroupIds);
        this.launchTemplateId = capacity.launchTemplate.id;
        this.registerOutputs({
            clusterArn: this.clusterArn,
            clusterName: this.clusterName,
            capacityProviderName: this.capacityProviderName,
            windowsVersion: this.windowsVersion,
            autoScalingGroupName: this.autoScalingGroupName,
            autoScalingGroupArn: this.autoScalingGroupArn,
            instanceRoleArn: this.instanceRoleArn,
            instanceRoleName: this.instanceRoleName,
            instanceSecurityGroupIds: this.instanceSecurityGroupIds,
            launchTemplateId: this.launchTemplateId,
        });
    }
}

/** The instances' own security group: no ingress (tasks have their own ENIs and groups), all egress. */
function declareInstanceSecurityGroup(
    name: string,
    args: EcsWindowsClusterArgs,
    options: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions,
): ec2.SecurityGroup {
    return new ec2.SecurityGroup(
        childName(name, "-instances-sg", awsNameRules.securityGroup),
        {
            vpcId: args.vpcId,
            description: `Windows container instances of ${name}`,
            ingress: [],
            // The agent reaches ECS, ECR, SSM and CloudWatch over HTTPS.
            egress: anywhereOut,
        },
        options(),
    );
}
