// EC2 capacity of a cluster: ECS-optimized Windows instances in an Auto Scaling group, joined through a capacity provider.
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import { childName } from "../core";
import { ResolvedCluster } from "./clusterArgs";
import { awsNameRules } from "./names";
import { ecsOptimizedAmiParameter } from "./platform";
import { assumeRolePolicy } from "./roles";
import { ecsWindowsUserData } from "./userData";

/** Options for each child: the parent, and aliases where the child moved (movedChildren.ts). */
type ChildOptions = (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

export interface DeclaredCapacity {
    readonly instanceRole: iam.Role;
    readonly launchTemplate: ec2.LaunchTemplate;
    readonly group: autoscaling.Group;
    readonly provider: ecs.CapacityProvider;
    /** Services must wait for the cluster to have the provider. */
    readonly attachment: ecs.ClusterCapacityProviders;
}

/** The instance role and profile: ECS agent and SSM access. */
function declareInstanceProfile(name: string, options: ChildOptions) {
    const instanceRole = new iam.Role(
        childName(name, "-instance", awsNameRules.role),
        { assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com") },
        options(),
    );
    const attachments = [
        "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ].map(
        (policyArn, i) =>
            new iam.RolePolicyAttachment(
                `${name}-instance-policy-${i}`,
                { role: instanceRole.name, policyArn },
                options(),
            ),
    );
    const profile = new iam.InstanceProfile(
        childName(name, "-instance", awsNameRules.medium),
        { role: instanceRole.name },
        options({ dependsOn: attachments }),
    );
    return { instanceRole, profile };
}

/** The pinned AMI, or the latest ECS-optimized one of the instances' release, read from SSM on every run. */
function amiId(settings: ResolvedCluster, parent: pulumi.Resource): pulumi.Input<string> {
    if (settings.amiId) return settings.amiId;
    return ssm.getParameterOutput({ name: ecsOptimizedAmiParameter(settings.windowsVersion) }, { parent }).value;
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

/** Declares the instances and joins them to `cluster` through a capacity provider that scales them. */
export function declareEc2Capacity(
    name: string,
    settings: ResolvedCluster,
    network: {
        subnetIds: pulumi.Input<pulumi.Input<string>[]>;
        securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    },
    cluster: ecs.Cluster,
    parent: pulumi.Resource,
    options: ChildOptions,
): DeclaredCapacity {
    const { instanceRole, profile } = declareInstanceProfile(name, options);
    const launchTemplate = new ec2.LaunchTemplate(
        childName(name, "-lt", awsNameRules.medium),
        {
            imageId: amiId(settings, parent),
            instanceType: settings.instanceType,
            iamInstanceProfile: { arn: profile.arn },
            vpcSecurityGroupIds: network.securityGroupIds,
            userData: cluster.name.apply((clusterName) =>
                Buffer.from(ecsWindowsUserData(clusterName)).toString("base64"),
            ),
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            updateDefaultVersion: true,
        },
        options(),
    );
    const group = new autoscaling.Group(
        childName(name, "-asg", awsNameRules.long),
        {
            vpcZoneIdentifiers: network.subnetIds,
            minSize: settings.minSize,
            maxSize: settings.maxSize,
            desiredCapacity: settings.desiredCapacity,
            // A refresh starts when the version changes; "$Latest" never starts one.
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            instanceRefresh,
            tags: [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }],
        },
        // The capacity provider scales the group; Pulumi must not fight it over the desired capacity.
        options({ ignoreChanges: ["desiredCapacity"] }),
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
        options(),
    );
    const attachment = new ecs.ClusterCapacityProviders(
        `${name}-capacity-providers`,
        {
            clusterName: cluster.name,
            capacityProviders: [provider.name],
            defaultCapacityProviderStrategies: [{ capacityProvider: provider.name, weight: 1 }],
        },
        options(),
    );
    return { instanceRole, launchTemplate, group, provider, attachment };
}
