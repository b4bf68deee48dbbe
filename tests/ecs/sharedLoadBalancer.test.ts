// Mock tests of EcsApplicationLoadBalancer and of services joining a shared listener: one load balancer with HTTPS,
// a rule per service at a priority it derives from its name, its own target groups, strategy and alarms.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EcsApplicationLoadBalancer, EcsWindowsService, EcsWindowsServiceArgs } from "../../components";
import { defaultRulePriority, loadBalancerArnSuffixOf } from "../../components/ecs";
import { onListener, serviceArgs, settled } from "../support/ecs";
import * as mocks from "../support/mocks";

const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-1111-2222-3333-444444444444";
const lbArgs = { vpcId: "vpc-1", subnetIds: ["public-a", "public-b"], certificateArn };
const service: EcsWindowsServiceArgs = serviceArgs;
const listenerType = "aws:lb/listener:Listener";
const ruleType = "aws:lb/listenerRule:ListenerRule";
const lbArn = (name: string) =>
    `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/${name}/${mocks.elbId()}`;
const notFound = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }];

describe("EcsApplicationLoadBalancer", () => {
    describe("with a certificate (the default: HTTPS, HTTP redirecting to it)", () => {
        let alb: EcsApplicationLoadBalancer;
        before(async () => {
            mocks.setupMocks();
            alb = new EcsApplicationLoadBalancer("edge", lbArgs);
            await settled(alb.url, alb.listenerArn);
        });

        it("makes one load balancer that drops invalid headers, its security group, two listeners and an alarm", () => {
            assert.deepStrictEqual(
                mocks.resources.map((r) => [r.type, r.name]).sort(),
                [
                    ["go-windows-containers:index:EcsApplicationLoadBalancer", "edge"],
                    ["aws:lb/loadBalancer:LoadBalancer", "edge-alb"],
                    ["aws:ec2/securityGroup:SecurityGroup", "edge-lb-sg"],
                    [listenerType, "edge-http"],
                    [listenerType, "edge-https"],
                    ["aws:cloudwatch/metricAlarm:MetricAlarm", "edge-elb-5xx"],
                ].sort(),
            );
            assert.deepStrictEqual(mocks.onlyOfType("aws:lb/loadBalancer:LoadBalancer").inputs, {
                loadBalancerType: "application",
                internal: false,
                subnets: ["public-a", "public-b"],
                securityGroups: ["edge-lb-sg-id"],
                dropInvalidHeaderFields: true,
            });
            const sg = mocks.onlyOfType("aws:ec2/securityGroup:SecurityGroup").inputs;
            assert.deepStrictEqual(
                (sg.ingress as { fromPort: number }[]).map((i) => i.fromPort),
                [80, 443],
            );
        });

        it("terminates TLS 1.3/1.2 with the certificate, redirects HTTP with 301, and answers 404 to what no rule matches", () => {
            const [http, https] = mocks.ofType(listenerType).map((l) => l.inputs);
            assert.deepStrictEqual(https, {
                loadBalancerArn: lbArn("edge-alb"),
                port: 443,
                protocol: "HTTPS",
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                certificateArn,
                defaultActions: notFound,
            });
            assert.deepStrictEqual(http.defaultActions, [
                { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ]);
        });

        it("alarms on the load balancer's own 5xx by its LoadBalancer dimension", () => {
            const alarm = mocks.onlyOfType("aws:cloudwatch/metricAlarm:MetricAlarm").inputs as {
                metricQueries: { metric?: { metricName: string; dimensions: object } }[];
            };
            assert.deepStrictEqual(
                alarm.metricQueries.filter((q) => q.metric).map((q) => [q.metric!.metricName, q.metric!.dimensions]),
                [
                    ["HTTPCode_ELB_5XX_Count", { LoadBalancer: `app/edge-alb/${mocks.elbId()}` }],
                    ["RequestCount", { LoadBalancer: `app/edge-alb/${mocks.elbId()}` }],
                ],
            );
        });

        it("outputs what DNS, WAF and the services need", async () => {
            assert.strictEqual(await mocks.valueOf(alb.dnsName), "edge-alb-123.us-east-1.elb.amazonaws.com");
            assert.strictEqual(await mocks.valueOf(alb.zoneId), "Z35SXDOTRQ7X7K");
            assert.strictEqual(await mocks.valueOf(alb.loadBalancerArn), lbArn("edge-alb"));
            assert.strictEqual(await mocks.valueOf(alb.securityGroupId), "edge-lb-sg-id");
            assert.strictEqual(
                await mocks.valueOf(alb.listenerArn),
                mocks.listenerArnOf(lbArn("edge-alb"), "edge-https"),
            );
            assert.strictEqual(await mocks.valueOf(alb.httpsListenerArn), await mocks.valueOf(alb.listenerArn));
            assert.strictEqual(await mocks.valueOf(alb.url), "https://edge-alb-123.us-east-1.elb.amazonaws.com/");
        });
    });

    it("serves HTTP only when asked, with services joining the HTTP listener", async () => {
        mocks.setupMocks();
        const alb = new EcsApplicationLoadBalancer("plain", {
            vpcId: "vpc-1",
            subnetIds: ["a", "b"],
            httpOnly: true,
            alarms: { enabled: false },
        });
        await settled(alb.url);
        const http = mocks.onlyOfType(listenerType);
        assert.deepStrictEqual(http.inputs.defaultActions, notFound);
        assert.strictEqual(await mocks.valueOf(alb.listenerArn), await mocks.valueOf(alb.httpListenerArn));
        assert.strictEqual(await mocks.valueOf(alb.httpsListenerArn), undefined);
        assert.strictEqual(await mocks.valueOf(alb.url), "http://plain-alb-123.us-east-1.elb.amazonaws.com/");
        assert.deepStrictEqual(mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"), []);
    });

    it("refuses HTTPS without a certificate before creating anything, saying how to have HTTP only", async () => {
        mocks.setupMocks();
        assert.throws(
            () => new EcsApplicationLoadBalancer("edge", { vpcId: "vpc-1", subnetIds: ["a", "b"] }),
            /EcsApplicationLoadBalancer "edge": `certificateArn` is missing; .*`httpOnly: true`/,
        );
        await mocks.settle();
        assert.strictEqual(mocks.resources.length, 1);
    });
});

describe("EcsWindowsServices on a shared load balancer", () => {
    let alb: EcsApplicationLoadBalancer;
    const names = ["orders", "billing", "search"];
    before(async () => {
        mocks.setupMocks();
        alb = new EcsApplicationLoadBalancer("edge", lbArgs);
        const services = names.map(
            (name) =>
                new EcsWindowsService(name, {
                    ...service,
                    ...onListener(alb, { hostHeaders: [`${name}.example.com`] }),
                    deployment: { strategy: "canary" },
                }),
        );
        await settled(...services.map((s) => s.serviceName));
    });

    it("adds one rule per service, on the HTTPS listener, at the priority each derives from its name", () => {
        assert.strictEqual(mocks.ofType("aws:lb/loadBalancer:LoadBalancer").length, 1);
        const rules = mocks.ofType(ruleType);
        assert.deepStrictEqual(
            rules.map((r) => [r.name, r.inputs.priority, r.inputs.conditions]),
            names.map((name) => [
                `${name}-production`,
                defaultRulePriority(name),
                [{ hostHeader: { values: [`${name}.example.com`] } }],
            ]),
        );
        assert.strictEqual(new Set(rules.map((r) => r.inputs.priority)).size, 3, "distinct priorities");
        const https = mocks.listenerArnOf(lbArn("edge-alb"), "edge-https");
        assert.ok(rules.every((r) => r.inputs.listenerArn === https));
    });

    it("gives each service its own two target groups, its canary and ECS's role, on its own rule", () => {
        assert.strictEqual(mocks.ofType("aws:lb/targetGroup:TargetGroup").length, 6);
        for (const svc of mocks.ofType("aws:ecs/service:Service")) {
            const name = svc.name.replace("-service", "");
            const [block] = svc.inputs.loadBalancers as {
                targetGroupArn: string;
                advancedConfiguration: Record<string, string>;
            }[];
            assert.match(block.targetGroupArn, new RegExp(`targetgroup/${name}-tg/`));
            assert.match(
                block.advancedConfiguration.alternateTargetGroupArn,
                new RegExp(`targetgroup/${name}-tg-alt/`),
            );
            assert.strictEqual(
                block.advancedConfiguration.productionListenerRule,
                mocks.listenerRuleArnOf(mocks.listenerArnOf(lbArn("edge-alb"), "edge-https"), `${name}-production`),
            );
            assert.strictEqual((svc.inputs.deploymentConfiguration as { strategy: string }).strategy, "CANARY");
        }
    });

    it("opens each service's task port to the shared load balancer's security group (the joining side links)", () => {
        for (const name of names) {
            const sg = mocks.ofType("aws:ec2/securityGroup:SecurityGroup").find((s) => s.name === `${name}-sg`)!;
            assert.deepStrictEqual(sg.inputs.ingress, [
                { protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["edge-lb-sg-id"] },
            ]);
        }
    });

    it("alarms per service on its own target groups only: the shared load balancer's own 5xx roll none back", () => {
        const serviceAlarms = mocks
            .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .filter((a) => a.name !== "edge-elb-5xx");
        assert.strictEqual(serviceAlarms.length, 9);
        for (const alarm of serviceAlarms) {
            const queries = alarm.inputs.metricQueries as { metric?: { metricName: string; dimensions: object } }[];
            for (const q of queries.filter((x) => x.metric)) {
                assert.notStrictEqual(q.metric!.metricName, "HTTPCode_ELB_5XX_Count", alarm.name);
                assert.deepStrictEqual(
                    Object.keys(q.metric!.dimensions).sort(),
                    ["LoadBalancer", "TargetGroup"],
                    alarm.name,
                );
            }
        }
    });
});

describe("rule priorities on a shared listener", () => {
    it("are stable: each depends on its service's name alone, within 1 to 50000", () => {
        assert.strictEqual(defaultRulePriority("orders"), defaultRulePriority("orders"));
        for (const name of ["orders", "billing", "a", "x".repeat(200)]) {
            const p = defaultRulePriority(name);
            assert.ok(Number.isInteger(p) && p >= 1 && p <= 50000, `${name}: ${p}`);
        }
        assert.notStrictEqual(defaultRulePriority("orders"), defaultRulePriority("billing"));
    });

    it("take an explicit priority, and refuse two services of one program at one priority, naming both", async () => {
        mocks.setupMocks();
        const alb = new EcsApplicationLoadBalancer("edge", lbArgs);
        const join = (name: string, priority: number) =>
            new EcsWindowsService(name, {
                ...service,
                ...onListener(alb, { pathPatterns: [`/${name}/*`], priority }),
            });
        join("orders", 10);
        assert.throws(
            () => join("billing", 10),
            (e: unknown) =>
                pulumi.ResourceError.isInstance(e) &&
                /EcsWindowsService "billing": `listener.priority` is 10 on a listener where service "orders" has that priority already/.test(
                    (e as Error).message,
                ),
        );
        join("billing", 11);
        await mocks.settle();
        assert.deepStrictEqual(
            mocks.ofType(ruleType).map((r) => r.inputs.priority),
            [10, 11],
        );
    });

    it("are checked on an existing listener given by ARN, and a fresh program run starts with none taken", async () => {
        const listenerArn =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2";
        const join = (name: string) =>
            new EcsWindowsService(name, {
                ...service,
                listener: { listenerArn, securityGroupId: "sg-shared", hostHeaders: ["x.example.com"], priority: 7 },
            });
        mocks.setupMocks();
        join("one");
        assert.throws(() => join("two"), /service "one" has that priority already/);
        await mocks.settle();
        mocks.setupMocks();
        const svc = join("two");
        await settled(svc.serviceName);
        assert.strictEqual(mocks.onlyOfType(ruleType).inputs.listenerArn, listenerArn);
    });
});

describe("a service on an existing listener", () => {
    const listenerArn =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2";

    it("watches its target groups under the listener's load balancer, and has no URL or load balancer of its own", async () => {
        assert.strictEqual(loadBalancerArnSuffixOf(listenerArn), "app/shared/50dc6c495c0c9188");
        assert.throws(
            () => loadBalancerArnSuffixOf("arn:aws:ecs:us-east-1:1:cluster/x"),
            /not the ARN of a load balancer's listener/,
        );
        mocks.setupMocks();
        const svc = new EcsWindowsService("api", {
            ...service,
            listener: { listenerArn, securityGroupId: "sg-shared", pathPatterns: ["/api/*"] },
        });
        await settled(svc.serviceName, svc.dashboardName);
        for (const alarm of mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
            const queries = alarm.inputs.metricQueries as { metric?: { dimensions: { LoadBalancer: string } } }[];
            assert.ok(
                queries
                    .filter((q) => q.metric)
                    .every((q) => q.metric!.dimensions.LoadBalancer === "app/shared/50dc6c495c0c9188"),
            );
        }
        assert.ok(
            String(mocks.onlyOfType("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody).includes(
                '"app/shared/50dc6c495c0c9188"',
            ),
        );
        assert.deepStrictEqual(mocks.ofType("aws:lb/loadBalancer:LoadBalancer"), []);
        assert.strictEqual(await mocks.valueOf(svc.url), undefined);
        assert.strictEqual(await mocks.valueOf(svc.loadBalancerDnsName), undefined);
        assert.strictEqual(await mocks.valueOf(svc.listenerArn), listenerArn);
        assert.strictEqual((await mocks.valueOf(svc.targetGroupArns)).length, 2);
    });
});
