// The security groups of an ECS service: the tasks' port open only to the load balancer (and any networks given).
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";

export interface ServiceNetwork {
    readonly taskSecurityGroup: ec2.SecurityGroup;
    readonly loadBalancerSecurityGroup?: ec2.SecurityGroup;
}

const anywhereOut = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];

/** Declares the load balancer's security group (when there is one) and the tasks'. */
export function declareNetwork(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    parent: pulumi.Resource,
): ServiceNetwork {
    const lb = resolved.loadBalancer;
    const loadBalancerSecurityGroup = lb
        ? new ec2.SecurityGroup(
              childName(name, "-lb-sg", awsNameRules.securityGroup),
              {
                  vpcId: args.vpcId,
                  description: `HTTP to ${name}`,
                  ingress: [
                      {
                          protocol: "tcp",
                          fromPort: lb.listenerPort,
                          toPort: lb.listenerPort,
                          cidrBlocks: lb.ingressCidrBlocks,
                      },
                  ],
                  egress: anywhereOut,
              },
              { parent },
          )
        : undefined;
    const port = { protocol: "tcp", fromPort: resolved.port, toPort: resolved.port };
    const ingress: ec2.SecurityGroupArgs["ingress"] = [
        ...(loadBalancerSecurityGroup ? [{ ...port, securityGroups: [loadBalancerSecurityGroup.id] }] : []),
        ...(args.ingressCidrBlocks ? [{ ...port, cidrBlocks: args.ingressCidrBlocks }] : []),
    ];
    const taskSecurityGroup = new ec2.SecurityGroup(
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
    return { taskSecurityGroup, loadBalancerSecurityGroup };
}
