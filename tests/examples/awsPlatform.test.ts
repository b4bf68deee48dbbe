// The AWS platform example (examples/aws-platform), evaluated under the mocks as `pulumi up` would run it, counting
// what it creates: one cluster and Auto Scaling group, one load balancer with an HTTPS listener and one rule per
// service at distinct priorities, three services deployed by canary with alarms that roll them back.
import * as assert from "assert";
import { defaultRulePriority } from "../../components/ecs";
import { autoNamedAs } from "../support/autonaming";
import { runExample } from "../support/examples";
import * as mocks from "../support/mocks";

const services = ["catalog", "orders", "payments"];

describe("examples/aws-platform", () => {
    let exported: Record<string, unknown>;
    before(async () => {
        exported = await runExample("aws-platform");
    });

    const count = (type: string) => mocks.ofType(type).length;

    it("creates one cluster of Windows hosts with one Auto Scaling group, and one load balancer", () => {
        assert.strictEqual(count("aws:ecs/cluster:Cluster"), 1);
        assert.strictEqual(count("aws:autoscaling/group:Group"), 1);
        assert.strictEqual(count("aws:ecs/capacityProvider:CapacityProvider"), 1);
        assert.strictEqual(count("aws:lb/loadBalancer:LoadBalancer"), 1);
    });

    it("listens on HTTPS, redirects HTTP, and has one rule per service at distinct priorities on the HTTPS listener", () => {
        const listeners = mocks.ofType("aws:lb/listener:Listener");
        assert.deepStrictEqual(listeners.map((l) => l.inputs.protocol).sort(), ["HTTP", "HTTPS"]);
        const https = listeners.find((l) => l.inputs.protocol === "HTTPS")!;
        const rules = mocks.ofType("aws:lb/listenerRule:ListenerRule");
        assert.strictEqual(rules.length, 3);
        assert.ok(
            rules.every(
                (r) => r.inputs.listenerArn === mocks.listenerArnOf(String(https.inputs.loadBalancerArn), https.name),
            ),
        );
        assert.deepStrictEqual(rules.map((r) => r.inputs.priority).sort(), services.map(defaultRulePriority).sort());
        assert.strictEqual(new Set(rules.map((r) => r.inputs.priority)).size, 3);
        assert.deepStrictEqual(
            rules
                .map((r) => (r.inputs.conditions as { hostHeader: { values: string[] } }[])[0].hostHeader.values[0])
                .sort(),
            services.map((s) => `${s}.example.com`),
        );
    });

    it("deploys every service by canary on the shared hosts, rolled back by its own alarms", () => {
        const ecsServices = mocks.ofType("aws:ecs/service:Service");
        assert.strictEqual(ecsServices.length, 3);
        for (const svc of ecsServices) {
            const name = svc.name.replace(/-service$/, "");
            const inputs = svc.inputs as {
                deploymentConfiguration: { strategy: string };
                alarms: { alarmNames: string[]; rollback: boolean };
                capacityProviderStrategies: { capacityProvider: string }[];
            };
            assert.strictEqual(inputs.deploymentConfiguration.strategy, "CANARY", name);
            assert.deepStrictEqual(
                inputs.alarms.alarmNames,
                ["5xx", "latency", "unhealthy"].map((a) =>
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", `${name}-${a}`, "prod"),
                ),
            );
            assert.strictEqual(inputs.alarms.rollback, true);
            assert.deepStrictEqual(inputs.capacityProviderStrategies, [
                {
                    capacityProvider: autoNamedAs(
                        "aws:ecs/capacityProvider:CapacityProvider",
                        "hosts-capacity",
                        "prod",
                    ),
                    weight: 1,
                },
            ]);
        }
        for (const alarm of mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"))
            assert.deepStrictEqual(alarm.inputs.alarmActions, ["arn:aws:sns:us-east-1:123456789012:platform-oncall"]);
    });

    it("pushes every image into one ECR namespace, and points a DNS alias per service at the load balancer", () => {
        const repositories = mocks.ofType("aws:ecr/repository:Repository").map((r) => r.inputs.name);
        assert.deepStrictEqual(
            repositories.sort(),
            services.map((s) => `go-windows-containers-prod/${s}`),
        );
        const records = mocks.ofType("aws:route53/record:Record");
        assert.deepStrictEqual(
            records.map((r) => r.inputs.name).sort(),
            services.map((s) => `${s}.example.com`),
        );
        for (const record of records)
            assert.deepStrictEqual(record.inputs.aliases, [
                {
                    name: "edge-alb-123.us-east-1.elb.amazonaws.com",
                    zoneId: "Z35SXDOTRQ7X7K",
                    evaluateTargetHealth: true,
                },
            ]);
    });

    it("exports the services' URLs and rollback alarms", () => {
        assert.deepStrictEqual(exported.urls, {
            catalog: "https://catalog.example.com/",
            orders: "https://orders.example.com/",
            payments: "https://payments.example.com/",
        });
        assert.deepStrictEqual(Object.keys(exported.rollbackAlarms as object).sort(), services);
    });
});
