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
    /** The target group the service starts in, then the alternate one ECS shifts traffic to. */
    readonly targetGroups: [lb.TargetGroup, lb.TargetGroup];
    readonly listener: lb.Listener;
    /** The listener rule whose weights ECS moves during canary, linear and blue/green deployments. */
    readonly productionRule: lb.ListenerRule;
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
        // ECS registers ip targets with the container port, so the target group's own port is never used: a new
        // port must not replace the target groups the service and the rule name (they ignore what ECS swaps).
        { parent, ignoreChanges: ["port"] },
    );
}

/**
 * The production rule that ECS shifts: all traffic to the first target group to start with. ECS rewrites the
 * target groups' weights on every deployment (and the provider reads them back as a set, in its own order), so
 * Pulumi must not put them back: the whole list of the two target groups is ECS's.
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
        { parent, ignoreChanges: ["actions[0].forward.targetGroups"] },
    );
}

/**
 * Declares the load balancer, the listener, two target groups and the production rule, whatever the strategy: ECS
 * swaps the two on every traffic-shifting deployment, so after a switch back to rolling the tasks may run in either,
 * and the pair and the rule must stay (a rolling deployment registers tasks in whichever ECS made the live one).
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
    const targetGroup = (suffix: string) =>
        declareTargetGroup(childName(name, suffix, awsNameRules.targetGroup), args, resolved, settings, parent);
    const targetGroups: [lb.TargetGroup, lb.TargetGroup] = [targetGroup("-tg"), targetGroup("-tg-alt")];
    const listener = new lb.Listener(
        `${name}-http`,
        {
            loadBalancerArn: balancer.arn,
            port: settings.listenerPort,
            protocol: "HTTP",
            // Never reached while the production rule matches every path; kept as a rolling service had it.
            defaultActions: shifting
                ? [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }]
                : [{ type: "forward", targetGroupArn: targetGroups[0].arn }],
        },
        { parent },
    );
    const productionRule = declareProductionRule(name, listener, targetGroups, parent);
    const port = settings.listenerPort;
    const url = balancer.dnsName.apply((dns) => (port === 80 ? `http://${dns}/` : `http://${dns}:${port}/`));
    return { loadBalancer: balancer, targetGroups, listener, productionRule, url };
}
