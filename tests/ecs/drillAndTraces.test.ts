// Mock tests of EcsWindowsService's chaos drill and traces, and of XrayTransactionSearch: exact children and inputs of
// the FIS template, its stop alarm, role and logs on Fargate, EC2 of its own and a shared cluster; the collector
// sidecar pinned by digest, the application's share of the task and environment, the task role's grant; the account's
// Transaction Search with its policy before its destination.
import * as assert from "assert";
import { EcsWindowsService, EcsWindowsServiceArgs, XrayTransactionSearch } from "../../components";
import { collectorConfig, transactionSearchLogPolicy } from "../../components/ecs/traces";
import { autoNamedAs } from "../support/autonaming";
import { serviceArgs, settled } from "../support/ecs";
import { foreignRequests, registryImages } from "../support/fakeRegistry";
import * as mocks from "../support/mocks";

const withAlarms: EcsWindowsServiceArgs = {
    ...serviceArgs,
    loadBalancer: { subnetIds: ["public-a", "public-b"] },
    desiredCount: 4,
    alarms: { notifyTopicArn: "arn:aws:sns:us-east-1:123456789012:oncall" },
};
const named = (type: string, name: string) => {
    const found = mocks.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `${type} ${name}`);
    return found;
};
const template = () =>
    mocks.onlyOfType("aws:fis/experimentTemplate:ExperimentTemplate").inputs as Record<string, unknown>;
const managedPolicies = () =>
    mocks.onlyOfType("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive").inputs.policyArns;
const containers = () =>
    JSON.parse(String(mocks.onlyOfType("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)) as Record<
        string,
        unknown
    >[];

async function create(name: string, args: EcsWindowsServiceArgs): Promise<EcsWindowsService> {
    const service = new EcsWindowsService(name, args);
    await settled(service.serviceName, service.chaosExperimentTemplateId, service.collectorImageRef);
    return service;
}

describe("EcsWindowsService's chaos drill", () => {
    describe("on Fargate", () => {
        let service: EcsWindowsService;
        before(async () => {
            mocks.setupMocks();
            service = await create("api", { ...withAlarms, chaosDrill: {} });
        });

        it("stops on a composite of the rollback alarms, named for the stack, notifying the topic", () => {
            const stop = named("aws:cloudwatch/compositeAlarm:CompositeAlarm", "api-drill-stop");
            const alarms = ["api-5xx", "api-latency", "api-unhealthy"].map((a) =>
                autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", a),
            );
            assert.deepStrictEqual(stop.inputs, {
                alarmName: "go-windows-containers-test-api-drill-stop",
                alarmDescription: "api: any of the service's rollback alarms; stops its chaos drill",
                alarmRule: alarms.map((a) => `ALARM("${a}")`).join(" OR "),
                alarmActions: ["arn:aws:sns:us-east-1:123456789012:oncall"],
                okActions: ["arn:aws:sns:us-east-1:123456789012:oncall"],
            });
            for (const alarm of ["api-5xx", "api-latency", "api-unhealthy"])
                assert.ok(
                    stop.dependencies.some((urn) => urn.endsWith(`::${alarm}`)),
                    `waits for ${alarm}`,
                );
        });

        it("stops half of the service's tasks, logs to a vended-logs group, and fails on no targets", () => {
            const t = template();
            assert.strictEqual(t.description, "api: stop 2 of 4 tasks");
            assert.deepStrictEqual(t.targets, [
                {
                    name: "service-tasks",
                    resourceType: "aws:ecs:task",
                    parameters: {
                        cluster: autoNamedAs("aws:ecs/cluster:Cluster", "api-cluster"),
                        service: autoNamedAs("aws:ecs/service:Service", "api-service"),
                    },
                    selectionMode: "COUNT(2)",
                },
            ]);
            assert.deepStrictEqual(
                (t.actions as { actionId: string }[]).map((a) => a.actionId),
                ["aws:ecs:stop-task"],
            );
            assert.deepStrictEqual(t.stopConditions, [
                {
                    source: "aws:cloudwatch:alarm",
                    value: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:go-windows-containers-test-api-drill-stop",
                },
            ]);
            const logs = named("aws:cloudwatch/logGroup:LogGroup", "api-drill-logs");
            assert.deepStrictEqual(logs.inputs, { namePrefix: "/aws/vendedlogs/fis/api-", retentionInDays: 30 });
            assert.match(String(logs.checkedInputs.name), /^\/aws\/vendedlogs\/fis\/api-[0-9a-f]{26}$/);
            assert.deepStrictEqual(t.experimentOptions, {
                accountTargeting: "single-account",
                emptyTargetResolutionMode: "fail",
            });
        });

        it("runs as a role FIS assumes for this account and region only, with exactly the ECS policy and log delivery", () => {
            const trust = JSON.parse(String(named("aws:iam/role:Role", "api-drill").inputs.assumeRolePolicy));
            assert.deepStrictEqual(trust.Statement[0].Condition, {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:fis:us-east-1:123456789012:experiment/*" },
            });
            assert.deepStrictEqual(managedPolicies(), [
                "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorECSAccess",
            ]);
            const logging = JSON.parse(String(named("aws:iam/rolePolicy:RolePolicy", "api-drill-logs").inputs.policy));
            assert.strictEqual(logging.Statement[0].Sid, "DeliverExperimentLogs");
            assert.ok(
                ["api-drill-policies", "api-drill-logs"].every((n) =>
                    mocks
                        .onlyOfType("aws:fis/experimentTemplate:ExperimentTemplate")
                        .dependencies.some((u) => u.endsWith(`::${n}`)),
                ),
                "the template waits for the role's permissions",
            );
        });

        it("outputs the template's id and the stop alarm's name", async () => {
            assert.strictEqual(await mocks.valueOf(service.chaosExperimentTemplateId), "api-drill-id");
            assert.strictEqual(
                await mocks.valueOf(service.chaosStopAlarmName),
                "go-windows-containers-test-api-drill-stop",
            );
        });
    });

    it("on EC2 instances of its own, then terminates one of its Auto Scaling group's with the EC2 policy too", async () => {
        mocks.setupMocks();
        await create("api", {
            ...withAlarms,
            capacity: "ec2",
            ec2: { minSize: 3 },
            chaosDrill: { recoveryMinutes: 7 },
        });
        const t = template();
        assert.strictEqual(t.description, "api: stop 2 of 4 tasks, then terminate one instance");
        assert.deepStrictEqual((t.targets as { resourceTags?: unknown }[])[1].resourceTags, [
            { key: "aws:autoscaling:groupName", value: autoNamedAs("aws:autoscaling/group:Group", "api-asg") },
        ]);
        assert.deepStrictEqual(
            (t.actions as { actionId: string; parameters?: unknown }[]).map((a) => [a.actionId, a.parameters]),
            [
                ["aws:ecs:stop-task", undefined],
                ["aws:fis:wait", [{ key: "duration", value: "PT7M" }]],
                ["aws:ec2:terminate-instances", undefined],
            ],
        );
        assert.deepStrictEqual(managedPolicies(), [
            "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorECSAccess",
            "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorEC2Access",
        ]);
    });

    it("drains one of three instances of its own for the minutes given", async () => {
        mocks.setupMocks();
        await create("api", {
            ...withAlarms,
            capacity: "ec2",
            ec2: { minSize: 3 },
            chaosDrill: { instanceFault: "drain", drainMinutes: 15 },
        });
        const drain = (template().actions as { actionId: string; parameters?: unknown }[])[2];
        assert.deepStrictEqual(drain.parameters, [
            { key: "drainagePercentage", value: "34" },
            { key: "duration", value: "PT15M" },
        ]);
        assert.deepStrictEqual(managedPolicies(), [
            "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorECSAccess",
        ]);
    });

    it("on a shared cluster, stops tasks only", async () => {
        mocks.setupMocks();
        await create("api", {
            ...withAlarms,
            capacity: "ec2",
            clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/platform",
            capacityProviderName: "platform-windows",
            hostWindowsVersion: "ltsc2022",
            chaosDrill: {},
        });
        assert.deepStrictEqual(
            (template().actions as { actionId: string }[]).map((a) => a.actionId),
            ["aws:ecs:stop-task"],
        );
        assert.strictEqual(
            (template().targets as { parameters: { cluster: string } }[])[0].parameters.cluster,
            "platform",
        );
    });

    it("declares nothing without chaosDrill", async () => {
        mocks.setupMocks();
        const service = await create("api", withAlarms);
        for (const type of [
            "aws:fis/experimentTemplate:ExperimentTemplate",
            "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        ])
            assert.strictEqual(mocks.ofType(type).length, 0, type);
        assert.strictEqual(await mocks.valueOf(service.chaosExperimentTemplateId), undefined);
    });
});

describe("EcsWindowsService's traces", () => {
    const collector = "otel/opentelemetry-collector-contrib:0.159.0-windows-2022-amd64";
    const digest = `sha256:${"c".repeat(64)}`;

    describe("on Fargate", () => {
        let service: EcsWindowsService;
        before(async () => {
            mocks.setupMocks();
            // What Docker Hub holds under the tag on this run.
            registryImages.set(`registry-1.docker.io/${collector}`, { digest });
            service = await create("api", { ...serviceArgs, environment: { LOG_LEVEL: "info" }, traces: {} });
        });

        it("runs the collector of the host's release beside the application, pinned to the tag's digest now", async () => {
            const [app, sidecar] = containers();
            assert.strictEqual(sidecar.name, "otel-collector");
            assert.strictEqual(sidecar.image, `${collector}@${digest}`);
            assert.strictEqual(await mocks.valueOf(service.collectorImageRef), `${collector}@${digest}`);
            // Looked up as `docker pull` would, with Docker Hub's anonymous pull token: no credentials go there.
            const manifest = `https://registry-1.docker.io/v2/otel/opentelemetry-collector-contrib/manifests/${collector.split(":")[1]}`;
            assert.deepStrictEqual(
                foreignRequests.map((r) => [r.url, r.authorization]),
                [
                    [manifest, undefined],
                    [
                        "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Aotel%2Fopentelemetry-collector-contrib%3Apull",
                        undefined,
                    ],
                    [manifest, "Bearer token-of-registry-1.docker.io"],
                ],
            );
            assert.strictEqual(app.essential, true);
            assert.strictEqual(sidecar.essential, false);
            assert.deepStrictEqual(sidecar.environment, [
                { name: "OTEL_COLLECTOR_CONFIG", value: collectorConfig("us-east-1", 512) },
            ]);
        });

        it("gives the application the task less the collector's share, and tells it where spans go", () => {
            const [app, sidecar] = containers();
            const task = mocks.onlyOfType("aws:ecs/taskDefinition:TaskDefinition").inputs;
            assert.deepStrictEqual([task.cpu, task.memory], ["1024", "2048"]);
            assert.deepStrictEqual([app.cpu, app.memory, sidecar.cpu, sidecar.memory], [768, 1536, 256, 512]);
            assert.deepStrictEqual(app.environment, [
                { name: "LOG_LEVEL", value: "info" },
                { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://localhost:4318" },
                { name: "OTEL_SERVICE_NAME", value: "api" },
            ]);
        });

        it("lets the task role write spans, and the service waits for it", () => {
            const policy = named("aws:iam/rolePolicy:RolePolicy", "api-traces");
            assert.strictEqual(policy.inputs.role, "api-task-id");
            assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)).Statement[0].Action, [
                "xray:PutSpans",
                "xray:PutSpansForIndexing",
                "xray:PutTraceSegments",
            ]);
            assert.ok(mocks.onlyOfType("aws:ecs/service:Service").dependencies.some((u) => u.endsWith("::api-traces")));
        });
    });

    it("on EC2, adds the collector's share to the application's, and runs the 2022 collector on Server 2025", async () => {
        mocks.setupMocks();
        await create("api", {
            ...serviceArgs,
            windowsVersion: "ltsc2025",
            capacity: "ec2",
            traces: { serviceName: "orders", collectorCpu: 512, collectorMemory: 1024 },
        });
        const [app, sidecar] = containers();
        assert.deepStrictEqual([app.cpu, app.memory, sidecar.cpu, sidecar.memory], [1024, 2048, 512, 1024]);
        assert.match(
            String(sidecar.image),
            /^otel\/opentelemetry-collector-contrib:0\.159\.0-windows-2022-amd64@sha256:/,
        );
        assert.ok((app.environment as { name: string; value: string }[]).some((e) => e.value === "orders"));
    });

    it("runs a collector image given by digest as it is", async () => {
        mocks.setupMocks();
        const mine = `123456789012.dkr.ecr.us-east-1.amazonaws.com/otel@sha256:${"d".repeat(64)}`;
        await create("api", { ...serviceArgs, traces: { collectorImageRef: mine } });
        assert.strictEqual(containers()[1].image, mine);
    });

    it("declares one container and no grant without traces", async () => {
        mocks.setupMocks();
        await create("api", serviceArgs);
        assert.strictEqual(containers().length, 1);
        assert.ok(!mocks.resources.some((r) => r.name === "api-traces"));
    });
});

describe("XrayTransactionSearch", () => {
    it("lets X-Ray write the account's spans, then makes CloudWatch Logs the destination; both outlive the stack", async () => {
        mocks.setupMocks();
        const search = new XrayTransactionSearch("account");
        await settled(search.destination, search.policyName);
        const policy = mocks.onlyOfType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
        const destination = mocks.onlyOfType("aws:xray/traceSegmentDestination:TraceSegmentDestination");
        assert.deepStrictEqual(policy.inputs, {
            policyName: "TransactionSearchAccess",
            policyDocument: transactionSearchLogPolicy("123456789012", "us-east-1", "aws"),
        });
        assert.deepStrictEqual(destination.inputs, { destination: "CloudWatchLogs" });
        assert.ok(destination.dependencies.some((u) => u.endsWith("::account-xray-spans")));
        assert.deepStrictEqual([policy.retainOnDelete, destination.retainOnDelete], [true, true]);
        assert.strictEqual(await mocks.valueOf(search.policyName), "TransactionSearchAccess");
    });
});
