// Mock tests of EcsWindowsService per deployment strategy: target groups, listener rule, ECS's role, alarms, dashboard.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EcsWindowsService, EcsWindowsServiceArgs } from "../../components";
import { autoNamedAs } from "../support/autonaming";
import * as mocks from "../support/mocks";

const imageRef = `123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${"a".repeat(64)}`;
const base: EcsWindowsServiceArgs = {
    imageRef,
    windowsVersion: "ltsc2022",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    loadBalancer: { subnetIds: ["public-a", "public-b"] },
};
const arnOf = (kind: string, name: string) =>
    `arn:aws:elasticloadbalancing:us-east-1:123456789012:${kind}/${name}/${mocks.elbId()}`;
const tgArn = arnOf("targetgroup", "api-tg");
const listenerArn = () => mocks.listenerArnOf(arnOf("loadbalancer/app", "api-alb"), "api-http", "test");
const altArn = arnOf("targetgroup", "api-tg-alt");

async function create(args: EcsWindowsServiceArgs): Promise<EcsWindowsService> {
    mocks.setupMocks();
    const service = new EcsWindowsService("api", args);
    await mocks.valueOf(service.taskDefinitionArn);
    await mocks.settle();
    return service;
}

describe("EcsWindowsService deployment strategies", () => {
    describe("rolling (the default)", () => {
        before(() => create(base));

        it("runs ECS's ROLLING strategy, keeping both target groups, the rule and ECS's role for a later switch", () => {
            assert.deepStrictEqual(
                mocks.ofType("aws:lb/targetGroup:TargetGroup").map((r) => r.name),
                ["api-tg", "api-tg-alt"],
            );
            assert.strictEqual(mocks.ofType("aws:lb/listenerRule:ListenerRule").length, 1);
            assert.deepStrictEqual(
                mocks
                    .ofType("aws:iam/role:Role")
                    .map((r) => r.name)
                    .sort(),
                ["api-ecs-infrastructure", "api-execution", "api-task"],
            );
            const svc = mocks.onlyOfType("aws:ecs/service:Service");
            assert.deepStrictEqual(svc.inputs.deploymentConfiguration, { strategy: "ROLLING" });
            assert.strictEqual(
                (svc.inputs.loadBalancers as { targetGroupArn: string }[])[0].targetGroupArn,
                tgArn,
                "a rolling deployment registers tasks in the live target group",
            );
            assert.deepStrictEqual(mocks.onlyOfType("aws:lb/listener:Listener").inputs.defaultActions, [
                { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
            ]);
        });

        it("rolls back on the circuit breaker and on its three alarms", () => {
            const svc = mocks.onlyOfType("aws:ecs/service:Service").inputs;
            assert.deepStrictEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.deepStrictEqual(svc.alarms, {
                alarmNames: [
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-5xx"),
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-latency"),
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-unhealthy"),
                ],
                enable: true,
                rollback: true,
            });
        });
    });

    describe("canary", () => {
        let service: EcsWindowsService;
        before(async () => {
            service = await create({
                ...base,
                deployment: { strategy: "canary", canaryPercent: 5, canaryBakeMinutes: 20, bakeMinutes: 15 },
                alarms: { notifyTopicArn: "arn:aws:sns:us-east-1:123456789012:oncall", alarmNames: ["db-errors"] },
            });
        });

        it("runs ECS's CANARY strategy with the given percentage and bake times", () => {
            assert.deepStrictEqual(mocks.onlyOfType("aws:ecs/service:Service").inputs.deploymentConfiguration, {
                strategy: "CANARY",
                bakeTimeInMinutes: "15",
                canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: "20" },
            });
        });

        it("adds an alternate target group and a production rule that sends everything to the first", () => {
            assert.deepStrictEqual(
                mocks.ofType("aws:lb/targetGroup:TargetGroup").map((r) => [r.name, r.inputs.port, r.inputs.targetType]),
                [
                    ["api-tg", 8080, "ip"],
                    ["api-tg-alt", 8080, "ip"],
                ],
            );
            const rule = mocks.onlyOfType("aws:lb/listenerRule:ListenerRule");
            assert.deepStrictEqual(rule.inputs, {
                listenerArn: listenerArn(),
                priority: 1,
                conditions: [{ pathPattern: { values: ["/*"] } }],
                actions: [
                    {
                        type: "forward",
                        forward: {
                            targetGroups: [
                                { arn: tgArn, weight: 100 },
                                { arn: altArn, weight: 0 },
                            ],
                        },
                    },
                ],
            });
            assert.deepStrictEqual(
                rule.ignoreChanges,
                ["actions[0].forward.targetGroups"],
                "ECS moves the weights; Pulumi leaves them",
            );
            assert.deepStrictEqual(mocks.onlyOfType("aws:lb/listener:Listener").inputs.defaultActions, [
                { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
            ]);
        });

        it("gives ECS an infrastructure role that only ECS may assume, with the managed load balancer policy", () => {
            const role = mocks.ofType("aws:iam/role:Role").find((r) => r.name === "api-ecs-infrastructure")!;
            assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string), {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole" }],
            });
            const attachment = mocks
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .find((r) => r.name === "api-ecs-infrastructure-policy")!;
            assert.deepStrictEqual(attachment.inputs, {
                role: autoNamedAs("aws:iam/role:Role", "api-ecs-infrastructure"),
                policyArn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
            });
        });

        it("hands ECS both target groups, the rule and the role, and then leaves the pair to ECS", () => {
            const svc = mocks.onlyOfType("aws:ecs/service:Service");
            assert.deepStrictEqual(svc.inputs.loadBalancers, [
                {
                    targetGroupArn: tgArn,
                    containerName: "app",
                    containerPort: 8080,
                    advancedConfiguration: {
                        alternateTargetGroupArn: altArn,
                        productionListenerRule: mocks.listenerRuleArnOf(listenerArn(), "api-production", "test"),
                        roleArn: "arn:aws:iam:us-east-1:123456789012:api-ecs-infrastructure",
                    },
                },
            ]);
            assert.deepStrictEqual(svc.ignoreChanges, [
                "loadBalancers[0].targetGroupArn",
                "loadBalancers[0].*.alternateTargetGroupArn",
            ]);
            for (const dependency of ["api-production", "api-ecs-infrastructure-policy", "api-http"])
                assert.ok(
                    svc.dependencies.some((d) => d.endsWith(`::${dependency}`)),
                    dependency,
                );
        });

        it("alarms on the worse of both target groups, notifies the topic, and rolls back on them and the user's", async () => {
            const alarms = mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.deepStrictEqual(alarms.map((a) => a.name).sort(), ["api-5xx", "api-latency", "api-unhealthy"]);
            for (const alarm of alarms) {
                assert.deepStrictEqual(alarm.inputs.alarmActions, ["arn:aws:sns:us-east-1:123456789012:oncall"]);
                assert.deepStrictEqual(alarm.inputs.okActions, ["arn:aws:sns:us-east-1:123456789012:oncall"]);
                assert.strictEqual(alarm.inputs.treatMissingData, "notBreaching");
                const queries = alarm.inputs.metricQueries as {
                    metric?: { metricName: string; dimensions: Record<string, string> };
                }[];
                const perGroup = queries.filter((q) => q.metric?.dimensions.TargetGroup);
                assert.deepStrictEqual(
                    [...new Set(perGroup.map((q) => q.metric!.dimensions.TargetGroup))],
                    [`targetgroup/api-tg/${mocks.elbId()}`, `targetgroup/api-tg-alt/${mocks.elbId()}`],
                );
                // The service's own load balancer serves it alone: its own 5xx count in the 5xx alarm.
                assert.deepStrictEqual(
                    queries
                        .filter((q) => q.metric && !q.metric.dimensions.TargetGroup)
                        .map((q) => q.metric!.metricName),
                    alarm.name === "api-5xx" ? ["HTTPCode_ELB_5XX_Count", "RequestCount"] : [],
                );
                assert.ok(
                    queries.every(
                        (q) => !q.metric || q.metric.dimensions.LoadBalancer === `app/api-alb/${mocks.elbId()}`,
                    ),
                );
            }
            assert.deepStrictEqual(
                (mocks.onlyOfType("aws:ecs/service:Service").inputs.alarms as { alarmNames: string[] }).alarmNames,
                [
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-5xx"),
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-latency"),
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-unhealthy"),
                    "db-errors",
                ],
            );
            assert.deepStrictEqual(await mocks.valueOf(service.rollbackAlarmNames), [
                autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-5xx"),
                autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-latency"),
                autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", "api-unhealthy"),
                "db-errors",
            ]);
            assert.strictEqual((await mocks.valueOf(service.alarmArns)).length, 3);
        });

        it("draws a dashboard named for the stack that watches the service, both target groups and the alarms", async () => {
            const dashboard = mocks.onlyOfType("aws:cloudwatch/dashboard:Dashboard");
            assert.strictEqual(dashboard.inputs.dashboardName, "go-windows-containers-test-api");
            assert.strictEqual(await mocks.valueOf(service.dashboardName), "go-windows-containers-test-api");
            const text = dashboard.inputs.dashboardBody as string;
            const body = JSON.parse(text) as { widgets: { type: string }[] };
            assert.ok(body.widgets.length >= 6);
            for (const name of [
                autoNamedAs("aws:ecs/cluster:Cluster", "api-cluster"),
                autoNamedAs("aws:ecs/service:Service", "api-service"),
                `targetgroup/api-tg/${mocks.elbId()}`,
                `targetgroup/api-tg-alt/${mocks.elbId()}`,
                `app/api-alb/${mocks.elbId()}`,
                "us-east-1",
                "arn:aws:cloudwatch:us-east-1:123456789012:api-latency",
            ])
                assert.ok(text.includes(`"${name}"`), name);
        });
    });

    describe("linear and blue-green", () => {
        it("runs ECS's LINEAR strategy with its step and interval", async () => {
            await create({
                ...base,
                deployment: { strategy: "linear", linearStepPercent: 20, linearStepBakeMinutes: 4 },
            });
            assert.deepStrictEqual(mocks.onlyOfType("aws:ecs/service:Service").inputs.deploymentConfiguration, {
                strategy: "LINEAR",
                bakeTimeInMinutes: "10",
                linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: "4" },
            });
            assert.strictEqual(mocks.ofType("aws:lb/targetGroup:TargetGroup").length, 2);
        });

        it("runs ECS's BLUE_GREEN strategy with a bake time, and the same traffic-shifting parts", async () => {
            await create({ ...base, deployment: { strategy: "blue-green" } });
            assert.deepStrictEqual(mocks.onlyOfType("aws:ecs/service:Service").inputs.deploymentConfiguration, {
                strategy: "BLUE_GREEN",
                bakeTimeInMinutes: "10",
            });
            assert.strictEqual(mocks.ofType("aws:lb/listenerRule:ListenerRule").length, 1);
            assert.ok(mocks.ofType("aws:iam/role:Role").some((r) => r.name === "api-ecs-infrastructure"));
        });
    });

    describe("without a load balancer", () => {
        it("creates no alarms, rolls back on the user's alarms, and still draws the service's dashboard", async () => {
            const service = await create({
                ...base,
                loadBalancer: undefined,
                alarms: { alarmNames: ["queue-depth"] },
            });
            assert.deepStrictEqual(mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"), []);
            assert.deepStrictEqual(mocks.onlyOfType("aws:ecs/service:Service").inputs.alarms, {
                alarmNames: ["queue-depth"],
                enable: true,
                rollback: true,
            });
            const body = JSON.parse(
                mocks.onlyOfType("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string,
            );
            assert.strictEqual(body.widgets.length, 2);
            assert.deepStrictEqual(await mocks.valueOf(service.alarmArns), []);
        });

        it("leaves deployment alarms off when there are none, and the dashboard out when asked", async () => {
            const service = await create({ ...base, loadBalancer: undefined, dashboard: false });
            assert.strictEqual(mocks.onlyOfType("aws:ecs/service:Service").inputs.alarms, undefined);
            assert.deepStrictEqual(mocks.ofType("aws:cloudwatch/dashboard:Dashboard"), []);
            assert.strictEqual(await mocks.valueOf(service.dashboardName), undefined);
        });
    });

    it("refuses a canary without a load balancer before creating anything, naming the argument", async () => {
        mocks.setupMocks();
        assert.throws(
            () =>
                new EcsWindowsService("api", { ...base, loadBalancer: undefined, deployment: { strategy: "canary" } }),
            (e: unknown) =>
                pulumi.ResourceError.isInstance(e) &&
                /`deployment.strategy` is "canary"; .*needs `loadBalancer`/.test((e as Error).message),
        );
        await mocks.settle();
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type !== "go-windows-containers:index:EcsWindowsService"),
            [],
        );
    });

    it("turns the created alarms off when asked, keeping the user's", async () => {
        await create({ ...base, alarms: { enabled: false, alarmNames: ["db-errors"] } });
        assert.deepStrictEqual(mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"), []);
        assert.deepStrictEqual(
            (mocks.onlyOfType("aws:ecs/service:Service").inputs.alarms as { alarmNames: string[] }).alarmNames,
            ["db-errors"],
        );
    });
});
