// The release flow's resources in the stand-in cloud: the test gate, the chaos drill, the traces and Transaction Search
// through a second stack in the same account, updates that switch each on and off (the cloud refuses to delete a
// security group a live function's interfaces use, or an alarm a composite alarm names), a change of the checks, a
// preview, a traffic shift read back by a refresh, and a destroy.
import * as assert from "assert";
import { EcsWindowsService, EcsWindowsServiceArgs, XrayTransactionSearch } from "../../components";
import { FakeCloud, FakeStack, RunResult, Step } from "../support/fakeCloud";
import { tempDir } from "../support/files";
import { serviceArgs } from "../support/ecs";
import {
    compositeAlarm as composite,
    ecsService as service,
    experimentTemplate as template,
    lambdaFunction as fn,
    listenerRule as rule,
    securityGroup as sg,
} from "../support/fakeAws";

const nat = ["203.0.113.10/32"];
const plain: EcsWindowsServiceArgs = {
    ...serviceArgs,
    loadBalancer: { subnetIds: ["public-a", "public-b"] },
    desiredCount: 2,
    alarms: {},
    deployment: { strategy: "canary", canaryPercent: 1 },
};
const tests = { checks: [{ path: "/healthz" }, { path: "/" }], sourceCidrBlocks: nat };
const all: EcsWindowsServiceArgs = {
    ...plain,
    deployment: { strategy: "canary", canaryPercent: 1, tests },
    chaosDrill: {},
    traces: {},
};

const taskDefinition = "aws:ecs/taskDefinition:TaskDefinition";

const program =
    (args: EcsWindowsServiceArgs, transactionSearch = false) =>
    () => {
        if (transactionSearch) new XrayTransactionSearch("account");
        const svc = new EcsWindowsService("api", args);
        return {
            serviceName: svc.serviceName,
            smokeTestFunctionName: svc.smokeTestFunctionName,
            chaosExperimentTemplateId: svc.chaosExperimentTemplateId,
            collectorImageRef: svc.collectorImageRef,
        };
    };

function ok(result: RunResult): RunResult {
    assert.deepStrictEqual(result.failures, []);
    return result;
}
const changed = (result: RunResult) =>
    result.steps.filter((s) => s.op !== "same").map((s: Step) => `${s.op} ${s.type} ${s.name}`);
const stack = (cloud: FakeCloud, name: string, args: EcsWindowsServiceArgs, search = false) =>
    new FakeStack(cloud, name, {}, tempDir(name), program(args, search));

describe("the release flow's resources in the stand-in cloud", function () {
    this.timeout(120000);

    it("two stacks in one account each get theirs, Transaction Search declared in both; a rerun changes nothing", async () => {
        const cloud = new FakeCloud();
        const first = stack(cloud, "first", all, true);
        ok(await first.up());
        const second = stack(cloud, "second", all, true);
        ok(await second.up());
        for (const s of ["first", "second"]) {
            assert.strictEqual(cloud.liveResources(s, fn).length, 1, s);
            assert.strictEqual(cloud.liveResources(s, template).length, 1, s);
        }
        // Only names the cloud lets two stacks put: task families, and the account's one Transaction Search policy.
        assert.deepStrictEqual(
            cloud.collisions().filter((key) => !key.startsWith("aws:ecs/taskDefinition:TaskDefinition|")),
            ["aws:cloudwatch/logResourcePolicy:LogResourcePolicy|TransactionSearchAccess"],
        );
        assert.strictEqual(cloud.traceSegmentDestination, "CloudWatchLogs");
        assert.deepStrictEqual(changed(ok(await first.up())), [], "the same code and checks: nothing to do");
        assert.deepStrictEqual(changed(ok(await second.up())), []);

        ok(await second.destroy());
        // What outlives the stack: the account's Transaction Search (retained on delete), nothing of the service.
        assert.deepStrictEqual(
            cloud
                .liveResources("second")
                .map((r) => r.type)
                .sort(),
            [
                "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
                "aws:xray/traceSegmentDestination:TraceSegmentDestination",
            ],
        );
        // The first stack's services still write spans: the policy and the destination stay.
        assert.strictEqual(cloud.traceSegmentDestination, "CloudWatchLogs");
        assert.deepStrictEqual(changed(ok(await first.up())), [], "the other stack's destroy left this one whole");
        ok(await first.destroy());
        assert.strictEqual(cloud.traceSegmentDestination, "CloudWatchLogs", "the provider's delete does nothing");
    });

    // What switching each on changes on a live service: new resources, and the few it joins.
    const switches: [string, EcsWindowsServiceArgs, string[]][] = [
        [
            "the test gate",
            { ...plain, deployment: all.deployment },
            [
                "create aws:cloudwatch/logGroup:LogGroup api-smoke-test",
                "create aws:iam/role:Role api-smoke-test",
                "create aws:iam/role:Role api-ecs-hook",
                `create ${sg} api-test-clients-sg`,
                "create aws:iam/rolePolicy:RolePolicy api-smoke-test",
                `update ${sg} api-lb-sg`,
                `create ${fn} api-smoke-test`,
                "create aws:iam/rolePolicy:RolePolicy api-ecs-hook",
                "create aws:lb/listener:Listener api-test",
                `create ${rule} api-test-rule`,
                `update ${service} api-service`,
            ],
        ],
        [
            "the chaos drill",
            { ...plain, chaosDrill: {} },
            [
                "create aws:cloudwatch/logGroup:LogGroup api-drill-logs",
                "create aws:iam/role:Role api-drill",
                "create aws:iam/rolePolicy:RolePolicy api-drill-logs",
                "create aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive api-drill-policies",
                `create ${composite} api-drill-stop`,
                `create ${template} api-drill`,
            ],
        ],
        [
            "traces",
            { ...plain, traces: {} },
            [
                "create aws:iam/rolePolicy:RolePolicy api-traces",
                `replace ${taskDefinition} api-task`,
                `update ${service} api-service`,
            ],
        ],
    ];
    for (const [what, on, expected] of switches)
        it(`switches ${what} on and off on a live service, leaving it as it was`, async () => {
            const cloud = new FakeCloud();
            const s = stack(cloud, "live", plain);
            ok(await s.up());
            const before = cloud.liveResources("live").map((r) => r.urn);

            assert.deepStrictEqual(changed(ok(await s.up({ program: program(on) }))), expected);
            assert.deepStrictEqual(changed(ok(await s.up({ program: program(on) }))), [], "a rerun changes nothing");

            const removed = changed(ok(await s.up({ program: program(plain) })));
            const created = expected
                .filter((c) => c.startsWith("create "))
                .map((c) => c.replace(/^create /, "delete "));
            assert.deepStrictEqual(
                removed.filter((c) => c.startsWith("delete ")).sort(),
                created.sort(),
                "what was created is deleted, and the cloud let it be",
            );
            assert.deepStrictEqual(
                cloud
                    .liveResources("live")
                    .map((r) => r.urn)
                    .sort(),
                [...before].sort(),
                "the same resources as before it was switched on",
            );
            ok(await s.destroy());
            assert.deepStrictEqual(cloud.liveResources("live"), []);
        });

    it("a change of the checks updates the service's hook only: the function's code and the rules stay", async () => {
        const cloud = new FakeCloud();
        const s = stack(cloud, "checks", all);
        ok(await s.up());
        const more = { ...all, deployment: { ...all.deployment!, tests: { ...tests, checks: [{ path: "/ready" }] } } };
        const result = ok(await s.up({ program: program(more) }));
        assert.deepStrictEqual(changed(result), [`update ${service} api-service`]);
        const hook = (
            cloud.liveOf("checks", service, "api-service")!.inputs.deploymentConfiguration as {
                lifecycleHooks: { hookDetails: string }[];
            }
        ).lifecycleHooks[0];
        assert.deepStrictEqual(JSON.parse(hook.hookDetails).smokeTest.checks, [{ path: "/ready" }]);
    });

    it("another collector version registers a new task revision and rolls the service; nothing else changes", async () => {
        const cloud = new FakeCloud();
        const s = stack(cloud, "collector", { ...plain, traces: {} });
        ok(await s.up());
        const result = ok(await s.up({ program: program({ ...plain, traces: { collectorVersion: "0.150.0" } }) }));
        assert.deepStrictEqual(changed(result), [
            `replace ${taskDefinition} api-task`,
            `update ${service} api-service`,
        ]);
        assert.match(
            String(result.exports.collectorImageRef),
            /^otel\/opentelemetry-collector-contrib:0\.150\.0-windows-2022-amd64@sha256:[0-9a-f]{64}$/,
        );
        assert.strictEqual(cloud.liveResources("collector", taskDefinition).length, 1, "the old revision is gone");
    });

    it("a preview of the whole flow on a live service touches nothing in the account", async () => {
        const cloud = new FakeCloud();
        const s = stack(cloud, "preview", plain);
        ok(await s.up());
        const snapshot = JSON.stringify(cloud.liveResources());
        const preview = ok(await s.up({ preview: true, program: program(all, true) }));
        assert.ok(changed(preview).some((c) => c === `create ${fn} api-smoke-test`));
        assert.strictEqual(JSON.stringify(cloud.liveResources()), snapshot);
        assert.strictEqual(cloud.traceSegmentDestination, "XRay");
    });

    it("after ECS shifted traffic and a refresh read the test rule back, the next update keeps ECS's weights", async () => {
        const cloud = new FakeCloud();
        const s = stack(cloud, "shifted", all);
        ok(await s.up());
        assert.strictEqual(cloud.completeTrafficShift("shifted"), 1);
        s.refresh();
        const testRule = () => cloud.liveOf("shifted", rule, "api-test-rule")!.inputs.actions;
        const shifted = JSON.stringify(testRule());
        const result = ok(await s.up());
        assert.deepStrictEqual(changed(result), [], "nothing to undo");
        assert.strictEqual(JSON.stringify(testRule()), shifted);
    });

    it("destroys everything of a stack with the whole flow, the function before the security group its interfaces use", async () => {
        const cloud = new FakeCloud();
        const s = stack(cloud, "gone", all);
        ok(await s.up());
        const result = ok(await s.destroy());
        const deleted = result.steps.filter((x) => x.op === "delete").map((x) => `${x.type} ${x.name}`);
        assert.ok(
            deleted.indexOf(`${fn} api-smoke-test`) < deleted.indexOf(`${sg} api-test-clients-sg`),
            deleted.join("\n"),
        );
        assert.ok(
            deleted.indexOf(`${composite} api-drill-stop`) <
                deleted.indexOf("aws:cloudwatch/metricAlarm:MetricAlarm api-5xx"),
        );
        assert.deepStrictEqual(cloud.liveResources("gone"), []);
    });
});
