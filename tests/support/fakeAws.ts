// What AWS itself does to the resources of an ECS service, for the stand-in cloud: the inputs whose change replaces a
// resource (ForceNew in hashicorp/terraform-provider-aws, under pulumi-aws), what ECS, ELB, EC2, Lambda, CloudWatch,
// FIS and X-Ray refuse, and what ECS changes behind Pulumi's back when it shifts traffic (the service's target groups
// swap, the production and test listener rules' weights).
import type { LiveResource } from "./fakeCloud";
import { urnParts } from "./urns";

/** The resource types the stand-in knows, for the tests that look them up in the cloud too. */
export const ecsService = "aws:ecs/service:Service";
export const listenerRule = "aws:lb/listenerRule:ListenerRule";
export const listener = "aws:lb/listener:Listener";
export const targetGroup = "aws:lb/targetGroup:TargetGroup";
export const securityGroup = "aws:ec2/securityGroup:SecurityGroup";
export const lambdaFunction = "aws:lambda/function:Function";
export const metricAlarm = "aws:cloudwatch/metricAlarm:MetricAlarm";
export const compositeAlarm = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
export const experimentTemplate = "aws:fis/experimentTemplate:ExperimentTemplate";
export const logResourcePolicy = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy";
export const traceSegmentDestination = "aws:xray/traceSegmentDestination:TraceSegmentDestination";

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
    "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": ["roleName"],
    // Every argument of a task definition is ForceNew: a change registers a new revision (a new ARN), whatever the
    // containers (a sidecar added or its image's digest moved) or sizes.
    "aws:ecs/taskDefinition:TaskDefinition": ["*"],
    [listener]: ["loadBalancerArn"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix", "logGroupClass"],
    // lambda/function.go: function_name, package_type, tenancy_config (code, role, VPC, settings update in place).
    [lambdaFunction]: ["name", "packageType", "tenancyConfig"],
    // fis/experiment_template.go: only tags (TagsSchemaForceNew); actions, targets, stop conditions update in place.
    [experimentTemplate]: ["tags"],
    // cloudwatch/composite_alarm.go: alarm_name and actions_enabled.
    [compositeAlarm]: ["alarmName", "actionsEnabled"],
    [metricAlarm]: ["name"],
    [logResourcePolicy]: ["policyName", "resourceArn"],
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

/** The stages a lifecycle hook may name (API_DeploymentLifecycleHook). */
const lifecycleStages = [
    "RECONCILE_SERVICE",
    "PRE_SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
];

/**
 * What ECS refuses in a service's lifecycle hooks (API_DeploymentLifecycleHook): a Lambda hook needs its target and
 * role, stages from the list, and `hookDetails` that are a JSON object. The API makes `testListenerRule` optional, and
 * nothing AWS documents says ECS refuses a hook at a test-traffic stage without one (the hook then tests nothing the
 * test listener routes), so the stand-in does not refuse it either; `brokenReferences` reports a test rule that
 * does not forward to the service's target groups.
 */
function lifecycleHookProblems(inputs: Props): string[] {
    return list(obj(inputs.deploymentConfiguration).lifecycleHooks)
        .map(obj)
        .flatMap((hook, i) => {
            const problems: string[] = [];
            const at = `deploymentConfiguration.lifecycleHooks[${i}]`;
            if (!hook.hookTargetArn) problems.push(`InvalidParameterException: ${at}.hookTargetArn is required`);
            if (!hook.roleArn) problems.push(`InvalidParameterException: ${at}.roleArn is required for a Lambda hook`);
            const stages = list(hook.lifecycleStages).map(String);
            if (stages.length === 0 || stages.some((stage) => !lifecycleStages.includes(stage)))
                problems.push(
                    `InvalidParameterException: ${at}.lifecycleStages ${JSON.stringify(stages)} are not stages`,
                );
            if (hook.hookDetails !== undefined) {
                let details: unknown;
                try {
                    details = JSON.parse(String(hook.hookDetails));
                } catch {
                    details = undefined;
                }
                if (!details || typeof details !== "object" || Array.isArray(details))
                    problems.push(`InvalidParameterException: ${at}.hookDetails must be a JSON object`);
            }
            return problems;
        });
}

/** Lambda keeps 100 of the account's 1000 concurrent executions unreserved (PutFunctionConcurrency). */
const accountConcurrency = 1000;
const minimumUnreserved = 100;

/** Whether a function's reserved concurrency, with every other live function's, leaves Lambda its unreserved minimum. */
function concurrencyProblem(inputs: Props, live: readonly LiveResource[], self?: LiveResource): string[] {
    const reserved = (r: Props) =>
        typeof r.reservedConcurrentExecutions === "number" ? r.reservedConcurrentExecutions : 0;
    const others = live
        .filter((r) => r !== self && r.type === lambdaFunction)
        .reduce((sum, r) => sum + reserved(r.inputs), 0);
    return others + reserved(inputs) > accountConcurrency - minimumUnreserved
        ? [
              `InvalidParameterValueException: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimumUnreserved}].`,
          ]
        : [];
}

/**
 * What the provider's schema refuses in an experiment template (fis/experiment_template.go), and what FIS refuses: an
 * action's target or start-after that names nothing in the template, and a template without stop conditions.
 */
function experimentTemplateProblems(inputs: Props): string[] {
    const problems: string[] = [];
    const targets = list(inputs.targets).map(obj);
    const actions = list(inputs.actions).map(obj);
    const targetNames = new Set(targets.map((t) => String(t.name)));
    const actionNames = new Set(actions.map((a) => String(a.name)));
    for (const target of targets)
        if (!/^(ALL|COUNT\(\d+\)|PERCENT\(\d+\))$/.test(String(target.selectionMode)))
            problems.push(
                `selection_mode ${String(target.selectionMode)}: must be one of ALL, COUNT(number), PERCENT(number)`,
            );
    for (const action of actions) {
        if (!/^aws:[0-9a-z-]+:[0-9A-Za-z/-]+$/.test(String(action.actionId)))
            problems.push(
                `action_id ${String(action.actionId)}: must be in the format of aws:service-name:action-name`,
            );
        const target = obj(action.target);
        if (action.target !== undefined && !targetNames.has(String(target.value)))
            problems.push(
                `ValidationException: action ${String(action.name)} targets ${String(target.value)}, which is not a target`,
            );
        for (const after of list(action.startAfters).map(String))
            if (!actionNames.has(after))
                problems.push(
                    `ValidationException: action ${String(action.name)} starts after ${after}, which is not an action`,
                );
    }
    if (String(inputs.description ?? "").length > 512) problems.push("description: expected length of 0 to 512");
    if (list(inputs.stopConditions).length === 0) problems.push("stop_condition: at least 1 is required");
    return problems;
}

/** Whether a resource policy lets X-Ray write the account's spans to `aws/spans`. */
function allowsXrayToWriteSpans(policy: LiveResource): boolean {
    let document: Props;
    try {
        document = obj(JSON.parse(String(policy.inputs.policyDocument)));
    } catch {
        return false;
    }
    return list(document.Statement)
        .map(obj)
        .some(
            (statement) =>
                statement.Effect === "Allow" &&
                obj(statement.Principal).Service === "xray.amazonaws.com" &&
                [statement.Action].flat().includes("logs:PutLogEvents") &&
                list(statement.Resource).some((arn) => String(arn).includes(":log-group:aws/spans:")),
        );
}

/** CloudWatch Logs keeps at most 10 account-level resource policies per region (PutResourcePolicy). */
const maxResourcePolicies = 10;

/** The names an alarm rule refers to: `ALARM("name")`, `OK(name)`, ... */
const alarmRuleNames = (rule: unknown) =>
    [...String(rule ?? "").matchAll(/(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*"?([^")]+?)"?\s*\)/g)].map((m) => m[1]);

/** The id the mocks give a resource (`<logical name>-id`), by which other resources of its stack name it. */
const mockIdOf = (r: LiveResource) => `${urnParts(r.urn).name}-id`;

/** The security groups a security group's rules refer to. */
const referencedGroups = (r: LiveResource) =>
    [...list(r.inputs.ingress), ...list(r.inputs.egress)].flatMap((rule) => list(obj(rule).securityGroups).map(String));

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
    if (type === listener) {
        const taken = live.find(
            (r) =>
                r !== self &&
                r.type === listener &&
                r.inputs.loadBalancerArn === inputs.loadBalancerArn &&
                r.inputs.port === inputs.port,
        );
        if (taken) problems.push(`DuplicateListener: port ${String(inputs.port)} is used by ${taken.urn}`);
    }
    if (type === ecsService) problems.push(...lifecycleHookProblems(inputs));
    if (type === lambdaFunction) problems.push(...concurrencyProblem(inputs, live, self));
    if (type === experimentTemplate) problems.push(...experimentTemplateProblems(inputs));
    if (type === logResourcePolicy) {
        const names = new Set(
            live.filter((r) => r.type === logResourcePolicy && r !== self).map((r) => r.inputs.policyName),
        );
        if (!names.has(inputs.policyName) && names.size >= maxResourcePolicies)
            problems.push(
                "LimitExceededException: Resource limit exceeded (10 resource policies per account and region)",
            );
    }
    if (type === traceSegmentDestination && inputs.destination === "CloudWatchLogs") {
        if (!live.some((r) => r.type === logResourcePolicy && allowsXrayToWriteSpans(r)))
            problems.push(
                "InvalidRequestException: X-Ray cannot send spans to CloudWatch Logs: no resource policy lets xray.amazonaws.com write to aws/spans",
            );
    }
    return problems;
}

/**
 * Why AWS refuses to delete a resource, if it does: a target group a rule or listener still forwards to; a security
 * group that a live Lambda function's network interfaces or another group's rules use (EC2's DependencyViolation:
 * the provider deletes the interfaces Lambda leaves behind, but only once the function is gone); a metric alarm a
 * composite alarm's rule names (CloudWatch's DeleteAlarms).
 */
export function deleteRefusal(resource: LiveResource, live: readonly LiveResource[]): string | undefined {
    if (resource.type === securityGroup) {
        const id = mockIdOf(resource);
        const user = live.find(
            (r) =>
                r !== resource &&
                r.stack === resource.stack &&
                ((r.type === lambdaFunction && list(obj(r.inputs.vpcConfig).securityGroupIds).includes(id)) ||
                    (r.type === securityGroup && referencedGroups(r).includes(id))),
        );
        return user && `DependencyViolation: resource ${id} has a dependent object (${user.urn})`;
    }
    if (resource.type === metricAlarm) {
        const name = String(resource.inputs.name);
        const user = live.find((r) => r.type === compositeAlarm && alarmRuleNames(r.inputs.alarmRule).includes(name));
        return user && `ValidationError: alarm ${name} cannot be deleted: composite alarm ${user.urn} depends on it`;
    }
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
                for (const [which, ruleArn] of [
                    ["production", advanced.productionListenerRule],
                    ["test", advanced.testListenerRule],
                ] as const) {
                    if (!ruleArn) continue;
                    const rule = live.find((x) => x.type === listenerRule && arnOf(x) === String(ruleArn));
                    const forwarded = rule ? forwardedTargetGroups(rule.inputs.actions).sort() : [];
                    if (JSON.stringify(forwarded) !== JSON.stringify([...pair].sort()))
                        problems.push(
                            `${r.urn}: its ${which} rule forwards to [${forwarded.join(", ")}], not its target groups [${pair.join(", ")}]`,
                        );
                }
            }
            const functions = liveArns(live, lambdaFunction);
            for (const hook of list(obj(r.inputs.deploymentConfiguration).lifecycleHooks).map(obj))
                if (!functions.has(String(hook.hookTargetArn)))
                    problems.push(
                        `${r.urn}: its lifecycle hook invokes ${String(hook.hookTargetArn)}, which does not exist`,
                    );
        }
        if (r.type === experimentTemplate) {
            const alarms = new Set([...liveArns(live, metricAlarm), ...liveArns(live, compositeAlarm)]);
            for (const condition of list(r.inputs.stopConditions).map(obj))
                if (condition.source === "aws:cloudwatch:alarm" && !alarms.has(String(condition.value)))
                    problems.push(
                        `${r.urn}: its stop condition names ${String(condition.value)}, which does not exist`,
                    );
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
 * alternate target group, so ECS swaps the service's target group and alternate, and the production rule and the test
 * rule end with the new one at weight 100 (read back as a set, in the order the provider reads it: heaviest first).
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
                const rules = live.filter(
                    (x) =>
                        x.type === listenerRule &&
                        (arnOf(x) === advanced.productionListenerRule || arnOf(x) === advanced.testListenerRule),
                );
                for (const rule of rules) {
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
