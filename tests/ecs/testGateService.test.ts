// Mock tests of EcsWindowsService's test gate: the test listener on its own load balancer (or a shared one's), the
// test rule beside the production rule, the smoke-test function in the VPC, the hook role, and the hook the service
// carries, with exact children and inputs; a function of the user's own instead; what goes into hookDetails.
import * as assert from "assert";
import { EcsApplicationLoadBalancer, EcsWindowsService, EcsWindowsServiceArgs } from "../../components";
import { defaultRulePriority } from "../../components/ecs";
import { smokeTestCodeFiles } from "../../components/ecs/testGate";
import { autoNamedAs } from "../support/autonaming";
import { serviceArgs, settled } from "../support/ecs";
import * as mocks from "../support/mocks";

const component = "go-windows-containers:index:EcsWindowsService";
const ruleType = "aws:lb/listenerRule:ListenerRule";
const listenerType = "aws:lb/listener:Listener";
const sgType = "aws:ec2/securityGroup:SecurityGroup";
const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-1111-2222-3333-444444444444";
const nat = ["203.0.113.10/32", "203.0.113.11/32"];
const gated: EcsWindowsServiceArgs = {
    ...serviceArgs,
    loadBalancer: { subnetIds: ["public-a", "public-b"] },
    deployment: {
        strategy: "canary",
        canaryPercent: 1,
        tests: {
            checks: [{ path: "/healthz" }, { path: "/", bodyIncludes: "hello", timeoutSeconds: 20 }],
            sourceCidrBlocks: nat,
        },
    },
};

const named = (type: string, name: string) => {
    const found = mocks.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `${type} ${name}`);
    return found;
};
const policyOf = (name: string) => JSON.parse(String(named("aws:iam/rolePolicy:RolePolicy", name).inputs.policy));
const trustOf = (name: string) => JSON.parse(String(named("aws:iam/role:Role", name).inputs.assumeRolePolicy));
const serviceInputs = () =>
    mocks.onlyOfType("aws:ecs/service:Service").inputs as {
        deploymentConfiguration: { lifecycleHooks?: Record<string, unknown>[] };
        loadBalancers: { advancedConfiguration: Record<string, string> }[];
    };
const hookConfig = () => JSON.parse(String(serviceInputs().deploymentConfiguration.lifecycleHooks![0].hookDetails));

async function create(name: string, args: EcsWindowsServiceArgs): Promise<EcsWindowsService> {
    mocks.setupMocks();
    const service = new EcsWindowsService(name, args);
    await settled(service.serviceName, service.testListenerUrl, service.smokeTestFunctionName);
    return service;
}

describe("EcsWindowsService's test gate", () => {
    describe("on a load balancer of its own, internet-facing", () => {
        let service: EcsWindowsService;
        before(async () => {
            service = await create("api", gated);
        });

        it("adds the test listener, its clients' security group, the test rule, the function, its log group and roles", () => {
            const added = [
                [listenerType, "api-test"],
                [sgType, "api-test-clients-sg"],
                [ruleType, "api-test-rule"],
                ["aws:lambda/function:Function", "api-smoke-test"],
                ["aws:cloudwatch/logGroup:LogGroup", "api-smoke-test"],
                ["aws:iam/role:Role", "api-smoke-test"],
                ["aws:iam/rolePolicy:RolePolicy", "api-smoke-test"],
                ["aws:iam/role:Role", "api-ecs-hook"],
                ["aws:iam/rolePolicy:RolePolicy", "api-ecs-hook"],
            ];
            const all = mocks.resources.map((r) => `${r.type} ${r.name}`);
            for (const [type, name] of added) assert.ok(all.includes(`${type} ${name}`), `${type} ${name}`);
            for (const [type, name] of added) {
                const r = named(type, name);
                assert.match(
                    r.parent,
                    name.startsWith("api-test") && type !== ruleType
                        ? /EcsApplicationLoadBalancer::api$/
                        : new RegExp(`${component}::api$`),
                    name,
                );
            }
        });

        it("listens on 9000 in HTTP like the load balancer, answering 404 to what no rule matches", () => {
            const test = named(listenerType, "api-test").inputs;
            assert.deepStrictEqual(test, {
                loadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api-alb/${mocks.elbId()}`,
                port: 9000,
                protocol: "HTTP",
                defaultActions: [
                    { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
                ],
            });
        });

        it("opens the test port to the test clients' security group and the NAT addresses only", () => {
            const lbSg = named(sgType, "api-lb-sg").inputs as { ingress: Record<string, unknown>[] };
            assert.deepStrictEqual(lbSg.ingress, [
                { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 9000, toPort: 9000, securityGroups: ["api-test-clients-sg-id"] },
                { protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlocks: nat },
            ]);
            assert.deepStrictEqual(named(sgType, "api-test-clients-sg").inputs, {
                vpcId: "vpc-1",
                description: "Test clients of api",
                ingress: [],
                egress: [{ protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlocks: ["0.0.0.0/0"] }],
            });
        });

        it("adds a test rule like the production rule, whose weights Pulumi leaves to ECS", () => {
            const [production, test] = ["api-production", "api-test-rule"].map((n) => named(ruleType, n));
            assert.notStrictEqual(test.inputs.listenerArn, production.inputs.listenerArn);
            assert.match(String(test.inputs.listenerArn), /:listener\/app\/api-alb\//);
            assert.deepStrictEqual(
                { ...test.inputs, listenerArn: undefined },
                { ...production.inputs, listenerArn: undefined },
            );
            assert.deepStrictEqual(test.ignoreChanges, ["actions[0].forward.targetGroups"]);
            assert.deepStrictEqual(test.ignoreChanges, production.ignoreChanges);
        });

        it("points ECS at the test rule, and waits for it, the function and the hook's permission", () => {
            const advanced = serviceInputs().loadBalancers[0].advancedConfiguration;
            assert.strictEqual(
                advanced.testListenerRule,
                mocks.listenerRuleArnOf(String(named(ruleType, "api-test-rule").inputs.listenerArn), "api-test-rule"),
            );
            const dependencies = mocks.onlyOfType("aws:ecs/service:Service").dependencies;
            for (const name of ["api-test-rule", "api-smoke-test", "api-ecs-hook"])
                assert.ok(
                    dependencies.some((urn) => urn.endsWith(`::${name}`) && !urn.includes("iam/role:Role")),
                    name,
                );
        });

        it("runs the smoke test at POST_TEST_TRAFFIC_SHIFT with the function, the hook role and the checks", () => {
            const [hook] = serviceInputs().deploymentConfiguration.lifecycleHooks!;
            const functionName = autoNamedAs("aws:lambda/function:Function", "api-smoke-test");
            assert.deepStrictEqual(
                { ...hook, hookDetails: undefined },
                {
                    hookTargetArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
                    roleArn: "arn:aws:iam:us-east-1:123456789012:api-ecs-hook",
                    lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"],
                    hookDetails: undefined,
                },
            );
            assert.deepStrictEqual(hookConfig(), {
                smokeTest: {
                    baseUrl: "http://api-alb-123.us-east-1.elb.amazonaws.com:9000/",
                    checks: [{ path: "/healthz" }, { path: "/", bodyIncludes: "hello", timeoutSeconds: 20 }],
                    deadlineSeconds: 600,
                    retryDelaySeconds: 30,
                },
            });
        });

        it("ships the compiled smoke test as Node.js 22 in the service's subnets and the test clients' group", () => {
            const fn = named("aws:lambda/function:Function", "api-smoke-test").inputs;
            assert.deepStrictEqual(named("aws:lambda/function:Function", "api-smoke-test").checkedInputs.code, {
                assets: Object.fromEntries(
                    Object.entries(smokeTestCodeFiles()).map(([file, text]) => [file, { text }]),
                ),
            });
            assert.deepStrictEqual(
                { ...fn, code: undefined, name: undefined },
                {
                    description: "Smoke test of api's new revisions, run by ECS before production traffic moves",
                    role: "arn:aws:iam:us-east-1:123456789012:api-smoke-test",
                    code: undefined,
                    name: undefined,
                    runtime: "nodejs22.x",
                    handler: "handler.handler",
                    timeout: 30,
                    memorySize: 128,
                    reservedConcurrentExecutions: 2,
                    vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["api-test-clients-sg-id"] },
                    loggingConfig: {
                        logFormat: "Text",
                        logGroup: autoNamedAs("aws:cloudwatch/logGroup:LogGroup", "api-smoke-test"),
                    },
                },
            );
            assert.strictEqual(named("aws:cloudwatch/logGroup:LogGroup", "api-smoke-test").inputs.retentionInDays, 30);
        });

        it("lets Lambda alone assume the function's role, which writes its own log group and manages its interfaces", () => {
            assert.deepStrictEqual(trustOf("api-smoke-test").Statement, [
                { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const [logs, network] = policyOf("api-smoke-test").Statement;
            assert.deepStrictEqual(
                logs.Resource,
                "arn:aws:logs:us-east-1:123456789012:log-group:api-smoke-test-0000:*",
            );
            assert.deepStrictEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
            assert.strictEqual(network.Sid, "VpcNetworkInterfaces");
            assert.deepStrictEqual(named("aws:iam/role:Role", "api-smoke-test").inputs.managedPolicyArns, undefined);
        });

        it("lets ECS alone assume the hook role, which may invoke that one function", () => {
            assert.deepStrictEqual(trustOf("api-ecs-hook").Statement, [
                { Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const functionName = autoNamedAs("aws:lambda/function:Function", "api-smoke-test");
            assert.deepStrictEqual(policyOf("api-ecs-hook").Statement, [
                {
                    Effect: "Allow",
                    Action: "lambda:InvokeFunction",
                    Resource: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
                },
            ]);
        });

        it("outputs the function, its log group, the test rule and the test listener's URL", async () => {
            assert.strictEqual(
                await mocks.valueOf(service.smokeTestFunctionName),
                autoNamedAs("aws:lambda/function:Function", "api-smoke-test"),
            );
            assert.strictEqual(
                await mocks.valueOf(service.smokeTestLogGroupName),
                autoNamedAs("aws:cloudwatch/logGroup:LogGroup", "api-smoke-test"),
            );
            assert.strictEqual(
                await mocks.valueOf(service.testListenerUrl),
                "http://api-alb-123.us-east-1.elb.amazonaws.com:9000/",
            );
            assert.match(String(await mocks.valueOf(service.testListenerRuleArn)), /:listener-rule\/app\/api-alb\//);
        });
    });

    it("declares none of it without deployment.tests, and leaves the service as it was", async () => {
        const plain = await create("api", { ...gated, deployment: { strategy: "canary", canaryPercent: 1 } });
        const types = mocks.resources.map((r) => `${r.type} ${r.name}`);
        for (const absent of ["api-test", "api-test-rule", "api-smoke-test", "api-ecs-hook", "api-test-clients-sg"])
            assert.ok(!types.some((t) => t.endsWith(` ${absent}`)), absent);
        assert.strictEqual(serviceInputs().deploymentConfiguration.lifecycleHooks, undefined);
        assert.strictEqual(serviceInputs().loadBalancers[0].advancedConfiguration.testListenerRule, undefined);
        assert.strictEqual((named(sgType, "api-lb-sg").inputs.ingress as unknown[]).length, 1);
        for (const output of [plain.testListenerUrl, plain.smokeTestFunctionName, plain.testListenerRuleArn])
            assert.strictEqual(await mocks.valueOf(output), undefined);
    });

    it("on an HTTPS load balancer of its own, speaks HTTPS on the test port and sends the certificate's host", async () => {
        await create("api", {
            ...gated,
            loadBalancer: { subnetIds: ["public-a", "public-b"], certificateArn, internal: true },
            deployment: {
                strategy: "blue-green",
                tests: { checks: [{ path: "/healthz" }], hostHeader: "api.example.com" },
            },
        });
        const test = named(listenerType, "api-test").inputs;
        assert.deepStrictEqual(
            [test.protocol, test.certificateArn, test.sslPolicy],
            ["HTTPS", certificateArn, "ELBSecurityPolicy-TLS13-1-2-2021-06"],
        );
        assert.strictEqual(hookConfig().smokeTest.baseUrl, "https://api-alb-123.us-east-1.elb.amazonaws.com:9000/");
        assert.strictEqual(hookConfig().smokeTest.hostHeader, "api.example.com");
        // Internal: only the test clients' group may reach the test port.
        const ingress = named(sgType, "api-lb-sg").inputs.ingress as Record<string, unknown>[];
        assert.deepStrictEqual(
            ingress.filter((i) => i.fromPort === 9000),
            [{ protocol: "tcp", fromPort: 9000, toPort: 9000, securityGroups: ["api-test-clients-sg-id"] }],
        );
    });

    describe("on a shared load balancer's test listener", () => {
        before(async () => {
            mocks.setupMocks();
            const edge = new EcsApplicationLoadBalancer("edge", {
                vpcId: "vpc-1",
                subnetIds: ["public-a", "public-b"],
                certificateArn,
                testListener: { sourceCidrBlocks: nat },
            });
            const service = new EcsWindowsService("orders", {
                ...serviceArgs,
                listener: {
                    listenerArn: edge.listenerArn,
                    securityGroupId: edge.securityGroupId,
                    hostHeaders: ["orders.example.com", "www.orders.example.com"],
                    pathPatterns: ["/api/*", "/healthz"],
                    testListenerArn: edge.testListenerArn,
                    testListenerUrl: edge.testListenerUrl,
                    testClientSecurityGroupId: edge.testClientSecurityGroupId,
                },
                deployment: {
                    strategy: "linear",
                    tests: { checks: [{ path: "/healthz" }, { path: "/api/status?full=1" }] },
                },
            });
            await settled(service.serviceName, service.testListenerUrl);
        });

        it("adds its rule there with its production rule's conditions and priority", () => {
            const production = named(ruleType, "orders-production").inputs;
            const test = named(ruleType, "orders-test-rule").inputs;
            assert.strictEqual(test.priority, defaultRulePriority("orders"));
            assert.deepStrictEqual(test.conditions, production.conditions);
            assert.strictEqual(
                test.listenerArn,
                mocks.listenerArnOf(
                    `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge-alb/${mocks.elbId()}`,
                    "edge-test",
                ),
            );
        });

        it("sends the rule's first host, over HTTPS, from the load balancer's test clients' group", () => {
            assert.deepStrictEqual(hookConfig().smokeTest.hostHeader, "orders.example.com");
            assert.match(
                hookConfig().smokeTest.baseUrl,
                /^https:\/\/edge-alb-123\.us-east-1\.elb\.amazonaws\.com:9000\/$/,
            );
            const fn = named("aws:lambda/function:Function", "orders-smoke-test").inputs as {
                vpcConfig: { securityGroupIds: string[] };
            };
            assert.deepStrictEqual(fn.vpcConfig.securityGroupIds, ["edge-test-clients-sg-id"]);
            // The shared load balancer's security group is its owner's: the service adds no rule to it.
            assert.strictEqual(mocks.ofType(sgType).filter((sg) => sg.name.startsWith("orders")).length, 1);
        });
    });

    it("with a function of the user's own, declares no function and lets ECS invoke only that one", async () => {
        const own = "arn:aws:lambda:us-east-1:123456789012:function:my-acceptance-tests";
        const service = await create("api", {
            ...gated,
            deployment: { strategy: "canary", tests: { functionArn: own, sourceCidrBlocks: nat } },
        });
        assert.strictEqual(mocks.ofType("aws:lambda/function:Function").length, 0);
        assert.ok(!mocks.resources.some((r) => r.name === "api-smoke-test"));
        assert.strictEqual(serviceInputs().deploymentConfiguration.lifecycleHooks![0].hookTargetArn, own);
        assert.deepStrictEqual(policyOf("api-ecs-hook").Statement[0].Resource, own);
        assert.deepStrictEqual(hookConfig().smokeTest.checks, []);
        assert.strictEqual(await mocks.valueOf(service.smokeTestFunctionName), undefined);
    });

    it("keeps credentials out of hookDetails, which the service's definition stores in plain text", () => {
        for (const header of ["Authorization", "X-Api-Key", "Cookie", "X-Auth-Token"])
            assert.throws(
                () =>
                    new EcsWindowsService("api", {
                        ...gated,
                        deployment: {
                            strategy: "canary",
                            tests: { checks: [{ path: "/" }], headers: { [header]: "x" }, sourceCidrBlocks: nat },
                        },
                    }),
                (e: Error) =>
                    e.message.includes(`\`deployment.tests.headers.${header}\``) &&
                    e.message.includes("takes no credentials"),
                header,
            );
    });
});
