// The security group of an ECS service's tasks: their port open only to the load balancer (and any networks given).
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";

/** All traffic out: tasks and instances reach ECR, CloudWatch Logs, SSM and Secrets Manager over HTTPS. */
export const anywhereOut = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];

/**
 * Declares the tasks' security group: the task port open to the load balancer's security group (the joining side
 * declares the link) and to any networks given, everything out.
 */
export function declareTaskSecurityGroup(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    loadBalancerSecurityGroupId: pulumi.Input<string> | undefined,
    parent: pulumi.Resource,
): ec2.SecurityGroup {
    const port = { protocol: "tcp", fromPort: resolved.port, toPort: resolved.port };
    const ingress: ec2.SecurityGroupArgs["ingress"] = [
        ...(loadBalancerSecurityGroupId ? [{ ...port, securityGroups: [loadBalancerSecurityGroupId] }] : []),
        ...(args.ingressCidrBlocks ? [{ ...port, cidrBlocks: args.ingressCidrBlocks }] : []),
    ];
    return new ec2.SecurityGroup(
        childName(name, "-sg", awsNameRules.securityGroup),
        {
            vpcId: args.vpcId,
            description: `Tasks of ${name}`,
            ingress,
            // Tasks reach ECR, CloudWatch Logs and Secrets Manager over HTTPS.
            egress: anywhereOut,
        },
        { parent },
    );
}
