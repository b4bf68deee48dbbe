// The service's side of a load balancer: two target groups on the tasks' port and a rule on a listener, which is the
// service's own EcsApplicationLoadBalancer's or one it shares. The joining side decides the rule and its priority.
import * as pulumi from "@pulumi/pulumi";
import * as lb from "@pulumi/aws/lb";
import { ArgumentError, childName, providedString } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { EcsApplicationLoadBalancer } from "./ecsApplicationLoadBalancer";
import { movesChildrenFrom } from "./movedChildren";
import { awsNameRules } from "./names";
import { ResolvedEcsService, ResolvedLoadBalancer } from "./resolve";

/** What the service gets from its load balancer, own or shared. */
export interface DeclaredLoadBalancing {
    /** The service's own load balancer; undefined when it joins a shared listener. */
    readonly own?: EcsApplicationLoadBalancer;
    /** The load balancer's security group, which the tasks' port is opened to. */
    readonly securityGroupId: pulumi.Input<string>;
    /** The listener the rule is on. */
    readonly listenerArn: pulumi.Input<string>;
    /** The load balancer's ARN suffix (CloudWatch's `LoadBalancer` dimension). */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** The target group the service starts in, then the alternate one ECS shifts traffic to. */
    readonly targetGroups: [lb.TargetGroup, lb.TargetGroup];
    /** The listener rule whose weights ECS moves during canary, linear and blue/green deployments. */
    readonly productionRule: lb.ListenerRule;
    /** The service's URL on its own load balancer; undefined on a shared one (its host is the platform's DNS). */
    readonly url: pulumi.Output<string | undefined>;
    /** The test listener and the service's rule on it, with the test gate; undefined without one. */
    readonly test?: DeclaredTestListener;
}

/** Where the test gate's traffic goes: the service's rule on a test listener, reached at a URL from a security group. */
export interface DeclaredTestListener {
    /** The rule ECS points at the new revision during a deployment (`advancedConfiguration.testListenerRule`). */
    readonly rule: lb.ListenerRule;
    /** `http(s)://<load balancer>:<port>/`. */
    readonly url: pulumi.Output<string>;
    /** The security group the test listener admits; undefined when a function of the user's own runs the test. */
    readonly clientSecurityGroupId: pulumi.Output<string | undefined>;
}

/**
 * The load balancer's ARN suffix from a listener's ARN (`...:listener/app/<name>/<id>/<listener id>` →
 * `app/<name>/<id>`), for the alarms and the dashboard of a service on a shared listener.
 */
export function loadBalancerArnSuffixOf(listenerArn: string): string {
    const match = /:listener\/((?:app|net)\/[^/]+\/[^/]+)\/[^/]+$/.exec(listenerArn);
    if (!match) throw new Error(`${listenerArn} is not the ARN of a load balancer's listener`);
    return match[1];
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

/** The rule's conditions: every path on the service's own listener; the given hosts and paths on a shared one. */
function conditionsOf(settings: ResolvedLoadBalancer): lb.ListenerRuleArgs["conditions"] {
    if (settings.kind === "own") return [{ pathPattern: { values: ["/*"] } }];
    return [
        ...(settings.hostHeaders !== undefined ? [{ hostHeader: { values: settings.hostHeaders } }] : []),
        ...(settings.pathPatterns !== undefined ? [{ pathPattern: { values: settings.pathPatterns } }] : []),
    ];
}

/**
 * A rule that ECS shifts, on the production or the test listener: all traffic to the first target group to start
 * with. ECS rewrites the target groups' weights on every deployment (and the provider reads them back as a set, in
 * its own order), so Pulumi must not put them back: the whole list of the two target groups is ECS's. The test rule
 * has the production rule's conditions and priority (the same services join both listeners, so the same priorities
 * are free on both).
 */
function declareShiftedRule(
    logicalName: string,
    listenerArn: pulumi.Input<string>,
    settings: ResolvedLoadBalancer,
    targetGroups: lb.TargetGroup[],
    parent: pulumi.Resource,
): lb.ListenerRule {
    return new lb.ListenerRule(
        logicalName,
        {
            listenerArn,
            // The service's own listener has this one rule.
            priority: settings.kind === "own" ? 1 : settings.priority,
            conditions: conditionsOf(settings),
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
 * Declares the two target groups and the production rule, whatever the strategy: ECS swaps the two on every
 * traffic-shifting deployment, so after a switch back to rolling the tasks may run in either, and the pair and the
 * rule must stay (a rolling deployment registers tasks in whichever ECS made the live one). With `loadBalancer` the
 * service makes its own EcsApplicationLoadBalancer (its resources keep the URNs they had as the service's children).
 */
export function declareLoadBalancing(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    parent: pulumi.ComponentResource,
): DeclaredLoadBalancing | undefined {
    const settings = resolved.loadBalancer;
    if (!settings) return undefined;
    const targetGroup = (suffix: string) =>
        declareTargetGroup(childName(name, suffix, awsNameRules.targetGroup), args, resolved, settings, parent);
    const targetGroups: [lb.TargetGroup, lb.TargetGroup] = [targetGroup("-tg"), targetGroup("-tg-alt")];
    const rule = (suffix: string, listenerArn: pulumi.Input<string>) =>
        declareShiftedRule(`${name}${suffix}`, listenerArn, settings, targetGroups, parent);
    if (settings.kind === "shared") {
        const productionRule = rule("-production", settings.listenerArn);
        const listener = args.listener!;
        const test = resolved.testGate
            ? {
                  rule: rule("-test-rule", providedString(listener.testListenerArn)),
                  url: pulumi.output(listener.testListenerUrl).apply((url) => {
                      if (url === undefined)
                          throw new ArgumentError(
                              "listener.testListenerUrl",
                              "`listener.testListenerUrl` resolved to nothing: the load balancer it comes from has no " +
                                  "test listener (give EcsApplicationLoadBalancer a `testListener`).",
                          );
                      return url;
                  }),
                  clientSecurityGroupId: pulumi.output(listener.testClientSecurityGroupId),
              }
            : undefined;
        return {
            securityGroupId: settings.securityGroupId,
            listenerArn: settings.listenerArn,
            // A provider always returns the ARN; a user's own test mocks may leave it out.
            loadBalancerArnSuffix: pulumi
                .output(settings.listenerArn)
                .apply((arn) => (arn === undefined ? arn : loadBalancerArnSuffixOf(arn))),
            targetGroups,
            productionRule,
            url: pulumi.output(undefined),
            test,
        };
    }
    movesChildrenFrom(parent);
    const own = new EcsApplicationLoadBalancer(
        name,
        {
            vpcId: args.vpcId,
            subnetIds: settings.subnetIds,
            internal: settings.internal,
            httpOnly: settings.certificateArn === undefined,
            certificateArn: settings.certificateArn,
            httpPort: settings.listenerPort,
            ingressCidrBlocks: settings.ingressCidrBlocks,
            // The service's own 5xx alarm counts the load balancer's own 5xx: it serves this service alone.
            alarms: { enabled: false },
            testListener: resolved.testGate?.testListener,
        },
        { parent },
    );
    const productionRule = rule("-production", own.listenerArn);
    const test = resolved.testGate
        ? {
              rule: rule("-test-rule", providedString(own.testListenerArn)),
              url: providedString(own.testListenerUrl),
              clientSecurityGroupId: own.testClientSecurityGroupId,
          }
        : undefined;
    return {
        own,
        securityGroupId: own.securityGroupId,
        listenerArn: own.listenerArn,
        loadBalancerArnSuffix: own.arnSuffix,
        targetGroups,
        productionRule,
        url: own.url,
        test,
    };
}
