// The pure parts of a safe rollout: ECS deployment configurations, alarm definitions with their metric math, the dashboard.
import * as assert from "assert";
import { dashboardBody, deploymentConfiguration, targetGroupAlarms } from "../../components/ecs";
import { ResolvedDeployment } from "../../components/ecs/resolve";

const settings: Omit<ResolvedDeployment, "strategy"> = {
    canaryPercent: 10,
    canaryBakeMinutes: 15,
    linearStepPercent: 20,
    linearStepBakeMinutes: 3,
    bakeMinutes: 30,
};

describe("deploymentConfiguration", () => {
    it("is ECS's ROLLING strategy with no bake time for rolling", () => {
        assert.deepStrictEqual(deploymentConfiguration({ ...settings, strategy: "rolling" }), { strategy: "ROLLING" });
    });

    it("gives canary its percentage and bake time, in minutes as strings as ECS takes them", () => {
        assert.deepStrictEqual(deploymentConfiguration({ ...settings, strategy: "canary" }), {
            strategy: "CANARY",
            bakeTimeInMinutes: "30",
            canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "15" },
        });
    });

    it("gives linear its step and interval", () => {
        assert.deepStrictEqual(deploymentConfiguration({ ...settings, strategy: "linear" }), {
            strategy: "LINEAR",
            bakeTimeInMinutes: "30",
            linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: "3" },
        });
    });

    it("gives blue-green only the bake time", () => {
        assert.deepStrictEqual(deploymentConfiguration({ ...settings, strategy: "blue-green" }), {
            strategy: "BLUE_GREEN",
            bakeTimeInMinutes: "30",
        });
    });
});

describe("targetGroupAlarms", () => {
    const thresholds = { http5xxPercent: 5, p99LatencySeconds: 2, unhealthyHosts: 1, evaluationMinutes: 3 };
    const blue = { targetGroup: "targetgroup/api-tg/1", loadBalancer: "app/api-alb/9" };
    const green = { targetGroup: "targetgroup/api-tg-alt/2", loadBalancer: "app/api-alb/9" };
    const metric = (id: string, group: typeof blue, metricName: string, stat: string) => ({
        id,
        returnData: false,
        metric: {
            namespace: "AWS/ApplicationELB",
            metricName,
            dimensions: { TargetGroup: group.targetGroup, LoadBalancer: group.loadBalancer },
            period: 60,
            stat,
        },
    });

    it("alarms on one target group's 5xx rate as errors over requests, missing data not breaching", () => {
        const [errors] = targetGroupAlarms([blue], thresholds);
        assert.deepStrictEqual(errors, {
            suffix: "-5xx",
            description: "More than 5% of requests answered 5xx for 3 minutes.",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 5,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "notBreaching",
            metricQueries: [
                metric("errors1", blue, "HTTPCode_Target_5XX_Count", "Sum"),
                metric("requests1", blue, "RequestCount", "Sum"),
                {
                    id: "rate1",
                    expression: "100 * FILL(errors1, 0) / FILL(requests1, 1)",
                    label: "5xx responses (% of requests)",
                    returnData: true,
                },
            ],
        });
    });

    it("takes the worse of two target groups, so a canary's errors are not diluted by the old tasks' traffic", () => {
        const [errors, latency, unhealthy] = targetGroupAlarms([blue, green], thresholds);
        assert.deepStrictEqual(errors.metricQueries.at(-1), {
            id: "worst",
            expression: "MAX([rate1, rate2])",
            label: "5xx responses (% of requests)",
            returnData: true,
        });
        assert.deepStrictEqual(
            errors.metricQueries.filter((q) => q.metric).map((q) => q.metric!.dimensions.TargetGroup),
            ["targetgroup/api-tg/1", "targetgroup/api-tg/1", "targetgroup/api-tg-alt/2", "targetgroup/api-tg-alt/2"],
        );
        assert.deepStrictEqual(latency.metricQueries, [
            metric("latency1", blue, "TargetResponseTime", "p99"),
            metric("latency2", green, "TargetResponseTime", "p99"),
            { id: "worst", expression: "MAX([latency1, latency2])", label: "p99 response time (s)", returnData: true },
        ]);
        assert.deepStrictEqual(
            [unhealthy.comparisonOperator, unhealthy.threshold, unhealthy.metricQueries.at(-1)?.expression],
            ["GreaterThanOrEqualToThreshold", 1, "MAX([unhealthy1, unhealthy2])"],
        );
        for (const alarm of [errors, latency, unhealthy]) {
            assert.strictEqual(alarm.metricQueries.filter((q) => q.returnData).length, 1, "one series is the alarm's");
            assert.ok(alarm.metricQueries.length <= 20, "CloudWatch takes at most 20 queries");
        }
    });

    it("counts the load balancer's own 5xx when it serves this service alone, by its LoadBalancer dimension only", () => {
        const [errors] = targetGroupAlarms([blue, green], thresholds, "app/api-alb/9");
        assert.deepStrictEqual(errors.metricQueries.slice(6), [
            {
                id: "elbErrors",
                returnData: false,
                metric: {
                    namespace: "AWS/ApplicationELB",
                    metricName: "HTTPCode_ELB_5XX_Count",
                    dimensions: { LoadBalancer: "app/api-alb/9" },
                    period: 60,
                    stat: "Sum",
                },
            },
            {
                id: "elbRequests",
                returnData: false,
                metric: {
                    namespace: "AWS/ApplicationELB",
                    metricName: "RequestCount",
                    dimensions: { LoadBalancer: "app/api-alb/9" },
                    period: 60,
                    stat: "Sum",
                },
            },
            { id: "elbRate", expression: "100 * FILL(elbErrors, 0) / FILL(elbRequests, 1)", returnData: false },
            {
                id: "worst",
                expression: "MAX([rate1, rate2, elbRate])",
                label: "5xx responses (% of requests)",
                returnData: true,
            },
        ]);
        const shared = targetGroupAlarms([blue, green], thresholds);
        assert.ok(
            shared.every((a) => a.metricQueries.every((q) => q.metric?.metricName !== "HTTPCode_ELB_5XX_Count")),
            "a shared load balancer's own 5xx belong to every service behind it, so they roll back none",
        );
    });

    it("uses the thresholds it is given", () => {
        const alarms = targetGroupAlarms([blue], { ...thresholds, p99LatencySeconds: 0.5, evaluationMinutes: 5 });
        assert.deepStrictEqual(
            alarms.map((a) => [a.suffix, a.threshold, a.evaluationPeriods]),
            [
                ["-5xx", 5, 5],
                ["-latency", 0.5, 5],
                ["-unhealthy", 1, 5],
            ],
        );
    });
});

describe("dashboardBody", () => {
    const spec = {
        region: "eu-west-1",
        clusterName: "api-cluster-1234567",
        serviceName: "api-service-89abcde",
        loadBalancer: "app/api-alb/9",
        targetGroups: ["targetgroup/api-tg/1", "targetgroup/api-tg-alt/2"],
        alarmArns: ["arn:aws:cloudwatch:eu-west-1:1:alarm:api-5xx"],
    };
    type Widget = { type: string; properties: { title?: string; region?: string; metrics?: unknown[][] } };

    it("is valid JSON with widgets CloudWatch accepts, each metric widget in the service's region", () => {
        const body = JSON.parse(JSON.stringify(dashboardBody(spec))) as { widgets: Widget[] };
        assert.ok(body.widgets.length > 0 && body.widgets.length <= 500);
        for (const widget of body.widgets.filter((w) => w.type === "metric")) {
            assert.strictEqual(widget.properties.region, "eu-west-1", widget.properties.title);
            assert.ok(widget.properties.metrics!.length > 0);
        }
    });

    it("shows Container Insights' CPU, memory, tasks and deployments for the service", () => {
        const rows = dashboardBody(spec).widgets.flatMap((w) => (w as Widget).properties.metrics ?? []);
        for (const metricName of [
            "CpuUtilized",
            "MemoryUtilized",
            "RunningTaskCount",
            "PendingTaskCount",
            "DeploymentCount",
        ]) {
            assert.ok(
                rows.some(
                    (r) =>
                        r[0] === "ECS/ContainerInsights" &&
                        r[1] === metricName &&
                        r.includes("api-cluster-1234567") &&
                        r.includes("api-service-89abcde"),
                ),
                metricName,
            );
        }
    });

    it("shows requests, 5xx and latency for both target groups, and the alarms", () => {
        const widgets = dashboardBody(spec).widgets as Widget[];
        const rows = widgets.flatMap((w) => w.properties.metrics ?? []);
        for (const metricName of ["RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime"]) {
            for (const group of spec.targetGroups)
                assert.ok(
                    rows.some((r) => r[1] === metricName && r.includes(group) && r.includes("app/api-alb/9")),
                    `${metricName} ${group}`,
                );
        }
        assert.deepStrictEqual(
            widgets.filter((w) => w.type === "alarm").map((w) => (w.properties as { alarms: string[] }).alarms),
            [["arn:aws:cloudwatch:eu-west-1:1:alarm:api-5xx"]],
        );
    });

    it("leaves out the load balancer's widgets and the alarm widget when there are none", () => {
        const widgets = dashboardBody({ ...spec, loadBalancer: undefined, targetGroups: [], alarmArns: [] })
            .widgets as Widget[];
        assert.deepStrictEqual(
            widgets.map((w) => w.properties.title),
            ["CPU and memory (used / reserved)", "Tasks and deployments"],
        );
    });
});
