// The arguments of EcsWindowsCluster and the checks of EC2 capacity that it and a service with its own instances share.
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, checkWholeNumber, ecsEc2Releases, fail, missing, oneOf } from "../core";
import { EcsEc2CapacityArgs } from "./args";

/** Arguments of EcsWindowsCluster: the instances' network and release, and their sizes (as a service's `ec2`). */
export interface EcsWindowsClusterArgs extends EcsEc2CapacityArgs {
    /**
     * The VPC of the subnets, for the instances' security group (not needed with `instanceSecurityGroupIds`).
     * @default none: required unless `instanceSecurityGroupIds` is given
     */
    readonly vpcId?: pulumi.Input<string>;
    /** Subnets for the instances: those of the services' tasks, since awsvpc tasks take their ENIs there. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The instances' Windows release (`ltsc2019`, `ltsc2022`, `ltsc2025`): services check their images against it,
     * and read it as the cluster's `windowsVersion`.
     * @default "ltsc2022"
     */
    readonly windowsVersion?: string;
    /**
     * Security groups of the instances. Each task has an ENI of its own with its service's security group, so the
     * instances need none open to the services: only their way out to ECS, ECR, SSM and CloudWatch.
     * @default a new security group with no ingress and all egress
     */
    readonly instanceSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** EC2 capacity with its defaults decided. */
export interface ResolvedEc2Capacity {
    readonly instanceType: string;
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredCapacity: number;
    /** The pinned AMI; undefined means the latest from SSM. */
    readonly amiId?: string;
}

/** The cluster with its defaults decided. */
export interface ResolvedCluster extends ResolvedEc2Capacity {
    readonly windowsVersion: string;
}

/** Checks instance sizes and fills in defaults; `prefix` is how the arguments are named (`ec2.` on a service). */
export function resolveEc2Capacity(given: EcsEc2CapacityArgs = {}, prefix = ""): ResolvedEc2Capacity {
    const minSize = given.minSize ?? 1;
    const maxSize = given.maxSize ?? Math.max(2, minSize);
    const desiredCapacity = given.desiredCapacity ?? minSize;
    checkWholeNumber(`${prefix}minSize`, minSize, 0, 1000);
    checkWholeNumber(`${prefix}maxSize`, maxSize, 1, 1000);
    if (maxSize < minSize) fail(`${prefix}maxSize`, maxSize, `it must be at least \`${prefix}minSize\` (${minSize})`);
    if (desiredCapacity < minSize || desiredCapacity > maxSize)
        fail(`${prefix}desiredCapacity`, desiredCapacity, `it must be from ${minSize} to ${maxSize}`);
    const instanceType = given.instanceType ?? "m5.large";
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType))
        fail(`${prefix}instanceType`, instanceType, "it must be an EC2 instance type such as `m5.large`");
    if (given.amiId !== undefined && !/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(given.amiId))
        fail(`${prefix}amiId`, given.amiId, "it must be an AMI id such as `ami-0123456789abcdef0`");
    return { instanceType, minSize, maxSize, desiredCapacity, amiId: given.amiId };
}

/** Validates EcsWindowsCluster arguments and fills in defaults; throws ArgumentError naming the first bad one. */
export function resolveClusterArgs(args: EcsWindowsClusterArgs): ResolvedCluster {
    if (!args) throw new ArgumentError("args", "EcsWindowsCluster needs arguments: at least `subnetIds` and `vpcId`.");
    const windowsVersion = oneOf("windowsVersion", args.windowsVersion, ecsEc2Releases, "ltsc2022");
    if (Array.isArray(args.subnetIds) && args.subnetIds.length === 0)
        fail("subnetIds", "[]", "the instances need at least one subnet");
    if (args.vpcId === undefined && args.instanceSecurityGroupIds === undefined)
        missing("vpcId", "the instances' security group needs the VPC (or give `instanceSecurityGroupIds`)");
    return { ...resolveEc2Capacity(args), windowsVersion };
}
