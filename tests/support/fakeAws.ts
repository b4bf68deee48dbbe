// What AWS itself does to the resources of an ECS service, for the stand-in cloud: the inputs whose change replaces a
// resource (ForceNew in hashicorp/terraform-provider-aws, under pulumi-aws), what ECS and ELB refuse, and what ECS
// changes behind Pulumi's back when it shifts traffic (the service's target groups swap, the listener rule's weights).
import type { LiveResource } from "./fakeCloud";

const ecsService = "aws:ecs/service:Service";
const listenerRule = "aws:lb/listenerRule:ListenerRule";
const listener = "aws:lb/listener:Listener";
const targetGroup = "aws:lb/targetGroup:TargetGroup";

/**
 * Top-level inputs whose change replaces the resource (ForceNew in terraform-provider-aws: internal/service/elbv2
 * target_group.go, listener_rule.go (listener_arn; priority updates in place), load_balancer.go; ecs service.go
 * (cluster, launch_type, name, scheduling_strategy; load_balancer updates in place), cluster.go, capacity_provider.go).
 */
export const replacedOnChange: Record<string, readonly string[]> = {
    [targetGroup]: ["port", "protocol", "vpcId", "targetType", "name", "namePrefix"],
    [listenerRule]: ["listenerArn"],
    "aws:lb/loadBalancer:LoadBalancer": ["internal", "loadBalancerType", "name"],
    [ecsService]: ["cluster", "launchType", "name", "schedulingStrategy"],
    "aws:ecs/cluster:Cluster": ["name"],
    "aws:ecs/capacityProvider:CapacityProvider": ["name"],
    "aws:ec2/securityGroup:SecurityGroup": ["vpcId", "name", "description"],
    "aws:iam/role:Role": ["name"],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
    // Every argument of a task definition is ForceNew: a change registers a new revision (a new ARN).
    "aws:ecs/taskDefinition:TaskDefinition": ["*"],
};

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const arnOf = (r: LiveResource) => String(r.outputs.arn);
const liveArns = (live: readonly LiveResource[], type: string) =>
    new Set(live.filter((r) => r.type === type).map(arnOf));

/** The target groups a listener rule or listener action forwards to. */
function forwardedTargetGroups(actions: unknown): string[] {
    return list(actions).flatMap((a) => {
        const action = obj(a);
        return [
            ...(action.targetGroupArn ? [String(action.targetGroupArn)] : []),
            ...list(obj(action.forward).targetGroups).map((g) => String(obj(g).arn)),
        ];
    });
}

const strategyOf = (service: Props) => String(obj(service.deploymentConfiguration).strategy ?? "ROLLING");

/** Why ECS or ELB refuses to create or update a resource with these inputs, if it does. */
export function refusal(type: string, inputs: Props, live: readonly LiveResource[], self?: LiveResource): string[] {
    const problems: string[] = [];
    if (type === ecsService) {
        const strategy = strategyOf(inputs);
        const targetGroups = liveArns(live, targetGroup);
        for (const balancer of list(inputs.loadBalancers).map(obj)) {
            const advanced =
                balancer.advancedConfiguration === undefined ? undefined : obj(balancer.advancedConfiguration);
            if (strategy !== "ROLLING" && !advanced)
                problems.push(
                    `ClientException: advancedConfiguration field is required for all loadBalancers when using the ${strategy.toLowerCase()} deployment strategy`,
                );
            if (advanced) {
                for (const key of ["alternateTargetGroupArn", "productionListenerRule", "roleArn"])
                    if (!advanced[key]) problems.push(`Missing required argument: advancedConfiguration.${key}`);
                if (advanced.alternateTargetGroupArn === balancer.targetGroupArn)
                    problems.push(
                        "InvalidParameterException: the target group and the alternate target group are the same",
                    );
            }
            for (const arn of [balancer.targetGroupArn, advanced?.alternateTargetGroupArn])
                if (arn && !targetGroups.has(String(arn))) problems.push(`TargetGroupNotFound: ${String(arn)}`);
        }
    }
    if (type === listenerRule) {
        const targetGroups = liveArns(live, targetGroup);
        for (const arn of forwardedTargetGroups(inputs.actions))
            if (!targetGroups.has(arn)) problems.push(`TargetGroupNotFound: ${arn}`);
        const taken = live.find(
            (r) =>
                r !== self &&
                r.type === listenerRule &&
                r.inputs.listenerArn === inputs.listenerArn &&
                r.inputs.priority === inputs.priority,
        );
        if (taken) problems.push(`PriorityInUse: priority ${String(inputs.priority)} is used by ${taken.urn}`);
    }
    return problems;
}

/** Why ELB refuses to delete a resource, if it does: a target group a rule or listener still forwards to. */
export function deleteRefusal(resource: LiveResource, live: readonly LiveResource[]): string | undefined {
    if (resource.type !== targetGroup) return undefined;
    const user = live.find(
        (r) =>
            r !== resource &&
            (r.type === listenerRule || r.type === listener) &&
            forwardedTargetGroups(r.type === listener ? r.inputs.defaultActions : r.inputs.actions).includes(
                arnOf(resource),
            ),
    );
    return user && `ResourceInUse: target group ${arnOf(resource)} is currently in use by ${user.urn}`;
}

/**
 * What is broken once a run has finished: an ECS service, listener rule or listener that still names a target group
 * that no longer exists, or a production rule that does not forward to exactly the service's two target groups.
 */
export function brokenReferences(stack: string, live: readonly LiveResource[]): string[] {
    const targetGroups = liveArns(live, targetGroup);
    const problems: string[] = [];
    for (const r of live.filter((r) => r.stack === stack)) {
        if (r.type === ecsService) {
            for (const balancer of list(r.inputs.loadBalancers).map(obj)) {
                const advanced = obj(balancer.advancedConfiguration);
                const pair = [balancer.targetGroupArn, advanced.alternateTargetGroupArn].filter(Boolean).map(String);
                for (const arn of pair)
                    if (!targetGroups.has(arn)) problems.push(`${r.urn} runs against a deleted target group ${arn}`);
                if (advanced.productionListenerRule) {
                    const rule = live.find(
                        (x) => x.type === listenerRule && arnOf(x) === String(advanced.productionListenerRule),
                    );
                    const forwarded = rule ? forwardedTargetGroups(rule.inputs.actions).sort() : [];
                    if (JSON.stringify(forwarded) !== JSON.stringify([...pair].sort()))
                        problems.push(
                            `${r.urn}: its production rule forwards to [${forwarded.join(", ")}], not its target groups [${pair.join(", ")}]`,
                        );
                }
            }
        }
        if (r.type === listenerRule || r.type === listener) {
            for (const arn of forwardedTargetGroups(r.type === listener ? r.inputs.defaultActions : r.inputs.actions))
                if (!targetGroups.has(arn)) problems.push(`${r.urn} forwards to a deleted target group ${arn}`);
        }
    }
    return problems;
}

/**
 * A traffic-shifting deployment (canary, linear, blue/green) that ECS completed: the tasks now run in what was the
 * alternate target group, so ECS swaps the service's target group and alternate, and the production rule ends with
 * the new one at weight 100 (read back as a set, in the order the provider reads it: heaviest first).
 */
export function completeTrafficShift(stack: string, live: readonly LiveResource[]): number {
    let shifted = 0;
    for (const service of live.filter((r) => r.stack === stack && r.type === ecsService)) {
        if (strategyOf(service.inputs) === "ROLLING") continue;
        const balancers = list(service.inputs.loadBalancers).map(obj);
        service.inputs = {
            ...service.inputs,
            loadBalancers: balancers.map((balancer) => {
                const advanced = obj(balancer.advancedConfiguration);
                const rule = live.find((x) => x.type === listenerRule && arnOf(x) === advanced.productionListenerRule);
                if (rule) {
                    const actions = list(rule.inputs.actions).map(obj);
                    rule.inputs = {
                        ...rule.inputs,
                        actions: actions.map((action) => ({
                            ...action,
                            forward: {
                                ...obj(action.forward),
                                targetGroups: [
                                    { arn: advanced.alternateTargetGroupArn, weight: 100 },
                                    { arn: balancer.targetGroupArn, weight: 0 },
                                ],
                            },
                        })),
                    };
                }
                shifted++;
                return {
                    ...balancer,
                    targetGroupArn: advanced.alternateTargetGroupArn,
                    advancedConfiguration: { ...advanced, alternateTargetGroupArn: balancer.targetGroupArn },
                };
            }),
        };
    }
    return shifted;
}
