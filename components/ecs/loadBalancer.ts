// An Application Load Balancer in front of an ECS service: target group on the tasks' port, an HTTP listener, a URL.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { awsNameRules } from "./names";
import { ResolvedEcsService, ResolvedLoadBalancer } from "./resolve";

export interface DeclaredLoadBalancer {
    readonly targetGroup: lb.TargetGroup;
    readonly listener: lb.Listener;
    readonly url: pulumi.Output<string>;
}

/** Declares the load balancer, its target group (IP targets, as awsvpc tasks need) and the listener. */
export function declareLoadBalancer(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    settings: ResolvedLoadBalancer,
    securityGroup: ec2.SecurityGroup,
    parent: pulumi.Resource,
): DeclaredLoadBalancer {
    const balancer = new lb.LoadBalancer(
        childName(name, "-alb", awsNameRules.loadBalancer),
        {
            loadBalancerType: "application",
            internal: settings.internal,
            subnets: settings.subnetIds,
            securityGroups: [securityGroup.id],
            dropInvalidHeaderFields: true,
        },
        { parent },
    );
    const targetGroup = new lb.TargetGroup(
        childName(name, "-tg", awsNameRules.targetGroup),
        {
            vpcId: args.vpcId,
            targetType: "ip",
            port: resolved.port,
            protocol: "HTTP",
            deregistrationDelay: 30,
            healthCheck: {
                path: settings.healthCheckPath,
                matcher: "200",
                interval: 30,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            },
        },
        { parent },
    );
    const listener = new lb.Listener(
        `${name}-http`,
        {
            loadBalancerArn: balancer.arn,
            port: settings.listenerPort,
            protocol: "HTTP",
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        { parent },
    );
    const port = settings.listenerPort;
    const url = balancer.dnsName.apply((dns) => (port === 80 ? `http://${dns}/` : `http://${dns}:${port}/`));
    return { targetGroup, listener, url };
}
