// An Application Load Balancer in front of an ECS service: target groups on the tasks' port, an HTTP listener, a URL.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import { childName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { shiftsTraffic } from "./deployment";
import { awsNameRules } from "./names";
import { ResolvedEcsService, ResolvedLoadBalancer } from "./resolve";

export interface DeclaredLoadBalancer {
    readonly loadBalancer: lb.LoadBalancer;
    /** The target group the service starts in, then the alternate one when ECS shifts traffic between two. */
    readonly targetGroups: lb.TargetGroup[];
    readonly listener: lb.Listener;
    /** The listener rule whose weights ECS moves during canary, linear and blue/green deployments. */
    readonly productionRule?: lb.ListenerRule;
    readonly url: pulumi.Output<string>;
}

/** A target group of IP targets (awsvpc tasks) on the tasks' port, checking the health check path. */
function declareTargetGroup(
    logicalName: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    settings: ResolvedLoadBalancer,
    parent: pulumi.Resource,
): lb.TargetGroup {
    return new lb.TargetGroup(
        logicalName,
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
}

/**
 * The production rule that ECS shifts: all traffic to the first target group to start with. ECS rewrites the
 * weights on every deployment, so Pulumi must not put them back.
 */
function declareProductionRule(
    name: string,
    listener: lb.Listener,
    targetGroups: lb.TargetGroup[],
    parent: pulumi.Resource,
): lb.ListenerRule {
    return new lb.ListenerRule(
        `${name}-production`,
        {
            listenerArn: listener.arn,
            priority: 1,
            conditions: [{ pathPattern: { values: ["/*"] } }],
            actions: [
                {
                    type: "forward",
                    forward: {
                        targetGroups: targetGroups.map((group, i) => ({ arn: group.arn, weight: i === 0 ? 100 : 0 })),
                    },
                },
            ],
        },
        { parent, ignoreChanges: ["actions"] },
    );
}

/**
 * Declares the load balancer, its target group and the listener. For canary, linear and blue/green deployments it
 * adds the alternate target group and the production rule, and the listener answers 404 to what no rule matches.
 */
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
    const shifting = shiftsTraffic(resolved.deployment.strategy);
    const suffixes = shifting ? ["-tg", "-tg-alt"] : ["-tg"];
    const targetGroups = suffixes.map((suffix) =>
        declareTargetGroup(childName(name, suffix, awsNameRules.targetGroup), args, resolved, settings, parent),
    );
    const listener = new lb.Listener(
        `${name}-http`,
        {
            loadBalancerArn: balancer.arn,
            port: settings.listenerPort,
            protocol: "HTTP",
            defaultActions: shifting
                ? [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }]
                : [{ type: "forward", targetGroupArn: targetGroups[0].arn }],
        },
        { parent },
    );
    const productionRule = shifting ? declareProductionRule(name, listener, targetGroups, parent) : undefined;
    const port = settings.listenerPort;
    const url = balancer.dnsName.apply((dns) => (port === 80 ? `http://${dns}/` : `http://${dns}:${port}/`));
    return { loadBalancer: balancer, targetGroups, listener, productionRule, url };
}
