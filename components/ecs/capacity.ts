// EC2 capacity for an ECS service: ECS-optimized Windows instances in an Auto Scaling group, joined through a capacity provider.
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import { childName } from "../core";
import { awsNameRules } from "./names";
import { ecsOptimizedAmiParameter } from "./platform";
import { ResolvedEcsService } from "./resolve";
import { assumeRolePolicy } from "./roles";
import { ecsWindowsUserData } from "./userData";

export interface DeclaredCapacity {
    /** The capacity provider's name, for the service's strategy. */
    readonly name: pulumi.Output<string>;
    /** The service must wait for the cluster to have the provider. */
    readonly attachment: pulumi.Resource;
}

/** The instance profile: ECS agent and SSM access. */
function declareInstanceProfile(name: string, parent: pulumi.Resource): iam.InstanceProfile {
    const instanceRole = new iam.Role(
        childName(name, "-instance", awsNameRules.role),
        { assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com") },
        { parent },
    );
    const attachments = [
        "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ].map(
        (policyArn, i) =>
            new iam.RolePolicyAttachment(
                `${name}-instance-policy-${i}`,
                { role: instanceRole.name, policyArn },
                { parent },
            ),
    );
    return new iam.InstanceProfile(
        childName(name, "-instance", awsNameRules.medium),
        { role: instanceRole.name },
        { parent, dependsOn: attachments },
    );
}

/** The pinned AMI, or the latest ECS-optimized one of the host's release, read from SSM on every run. */
function amiId(resolved: ResolvedEcsService, parent: pulumi.Resource): pulumi.Input<string> {
    if (resolved.ec2.amiId) return resolved.ec2.amiId;
    return ssm.getParameterOutput({ name: ecsOptimizedAmiParameter(resolved.hostWindowsVersion) }, { parent }).value;
}

/**
 * Replaces instances when the launch template changes (a new AMI, instance type or user data): a replacement is
 * launched and given time to join the cluster before an old instance is terminated; ECS moves its tasks.
 */
export const instanceRefresh = {
    strategy: "Rolling",
    preferences: {
        minHealthyPercentage: 100,
        maxHealthyPercentage: 200,
        // Windows instances take minutes to boot and join the cluster.
        instanceWarmup: "600",
        skipMatching: true,
    },
};

/** Declares the instances and joins them to `cluster`. */
export function declareEc2Capacity(
    name: string,
    subnetIds: pulumi.Input<string>[],
    resolved: ResolvedEcsService,
    cluster: ecs.Cluster,
    taskSecurityGroup: ec2.SecurityGroup,
    parent: pulumi.Resource,
): DeclaredCapacity {
    const profile = declareInstanceProfile(name, parent);
    const launchTemplate = new ec2.LaunchTemplate(
        childName(name, "-lt", awsNameRules.medium),
        {
            imageId: amiId(resolved, parent),
            instanceType: resolved.ec2.instanceType,
            iamInstanceProfile: { arn: profile.arn },
            vpcSecurityGroupIds: [taskSecurityGroup.id],
            userData: cluster.name.apply((clusterName) =>
                Buffer.from(ecsWindowsUserData(clusterName)).toString("base64"),
            ),
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            updateDefaultVersion: true,
        },
        { parent },
    );
    const group = new autoscaling.Group(
        childName(name, "-asg", awsNameRules.long),
        {
            vpcZoneIdentifiers: subnetIds,
            minSize: resolved.ec2.minSize,
            maxSize: resolved.ec2.maxSize,
            desiredCapacity: resolved.ec2.desiredCapacity,
            // A refresh starts when the version changes; "$Latest" never starts one.
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            instanceRefresh,
            tags: [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }],
        },
        // The capacity provider scales the group; Pulumi must not fight it over the desired capacity.
        { parent, ignoreChanges: ["desiredCapacity"] },
    );
    const provider = new ecs.CapacityProvider(
        childName(name, "-capacity", awsNameRules.capacityProvider),
        {
            autoScalingGroupProvider: {
                autoScalingGroupArn: group.arn,
                managedScaling: { status: "ENABLED", targetCapacity: 100 },
                managedTerminationProtection: "DISABLED",
            },
        },
        { parent },
    );
    const attachment = new ecs.ClusterCapacityProviders(
        `${name}-capacity-providers`,
        {
            clusterName: cluster.name,
            capacityProviders: [provider.name],
            defaultCapacityProviderStrategies: [{ capacityProvider: provider.name, weight: 1 }],
        },
        { parent },
    );
    return { name: provider.name, attachment };
}
