// The chaos drill's pure pieces: its arguments checked against the service, the FIS experiment template for Fargate
// and for each EC2 instance fault (as the provider receives it under the mocks), the role's trust and exact managed
// policies, the logging permissions and the composite stop alarm.
import * as assert from "assert";
import * as fis from "@pulumi/aws/fis";
import {
    ChaosDrillPlan,
    chaosDrillManagedPolicies,
    chaosExperimentTemplateArgs,
    compositeAlarmRule,
    drainPercentForOne,
    fisLogGroupNamePrefix,
    fisLoggingPolicy,
    fisTrustPolicy,
    resolveChaosDrill,
    tasksToStop,
} from "../../components/ecs/chaosDrill";
import * as mocks from "../support/mocks";

const fargate = { capacity: "fargate" as const, desiredCount: 3, hasAlarms: true };
const ec2 = { ...fargate, capacity: "ec2" as const };

/** The template's inputs as the provider receives them: declared under the mocks, Outputs resolved. */
async function declared(plan: ChaosDrillPlan): Promise<Record<string, unknown>> {
    mocks.setupMocks();
    const template = new fis.ExperimentTemplate("drill", chaosExperimentTemplateArgs(plan));
    await mocks.valueOf(template.urn);
    await mocks.settle();
    return mocks.onlyOfType("aws:fis/experimentTemplate:ExperimentTemplate").inputs;
}

const plan = (overrides: Partial<ChaosDrillPlan> = {}): ChaosDrillPlan => ({
    drill: resolveChaosDrill({}, fargate),
    clusterName: "prod",
    serviceName: "api-service-1a2b3c4",
    desiredCount: 3,
    stopAlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-drill-stop-9f8e7d6",
    roleArn: "arn:aws:iam::123456789012:role/api-drill-5a6b7c8",
    logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/fis/api-0c0c0c0",
    description: "api: stop 50% of the tasks",
    ...overrides,
});

const stopTasks = {
    name: "stop-tasks",
    actionId: "aws:ecs:stop-task",
    description: "Stop 50% of the service's tasks",
    target: { key: "Tasks", value: "service-tasks" },
};
const taskTarget = (count: number) => ({
    name: "service-tasks",
    resourceType: "aws:ecs:task",
    parameters: { cluster: "prod", service: "api-service-1a2b3c4" },
    selectionMode: `COUNT(${count})`,
});

describe("chaos drill arguments", () => {
    it("defaults to stopping half the tasks, and on EC2 to terminating one instance after 5 minutes", () => {
        assert.deepStrictEqual(resolveChaosDrill({}, fargate), {
            stopTaskPercent: 50,
            instanceFault: undefined,
            recoveryMinutes: 5,
            drainMinutes: 10,
        });
        assert.strictEqual(resolveChaosDrill({}, ec2).instanceFault, "terminate");
        assert.strictEqual(resolveChaosDrill({}, { ...ec2, sharedCluster: true }).instanceFault, "none");
        assert.deepStrictEqual(resolveChaosDrill({ instanceFault: "drain", drainMinutes: 20 }, ec2), {
            stopTaskPercent: 50,
            instanceFault: "drain",
            recoveryMinutes: 5,
            drainMinutes: 20,
        });
    });

    const refusals: [
        string,
        Parameters<typeof resolveChaosDrill>[0],
        Parameters<typeof resolveChaosDrill>[1],
        RegExp,
    ][] = [
        [
            "no alarms",
            {},
            { ...fargate, hasAlarms: false },
            /`chaosDrill` is "\{\.\.\.\}"; a drill needs stop conditions.*Give the service a `loadBalancer` or a `listener`/,
        ],
        ["no tasks", {}, { ...fargate, desiredCount: 0 }, /the service runs 0 tasks/],
        [
            "a share of 0",
            { stopTaskPercent: 0 },
            fargate,
            /`chaosDrill.stopTaskPercent` is 0; it must be a whole number from 1 to 100/,
        ],
        ["a share of 50.5", { stopTaskPercent: 50.5 }, fargate, /`chaosDrill.stopTaskPercent` is 50.5/],
        [
            "an instance fault on Fargate",
            { instanceFault: "terminate" },
            fargate,
            /`chaosDrill.instanceFault` is "terminate"; it applies to `capacity: "ec2"` only/,
        ],
        [
            "an unknown instance fault",
            { instanceFault: "reboot" },
            ec2,
            /`chaosDrill.instanceFault` is "reboot"; allowed values: terminate, drain, none/,
        ],
        [
            "terminating an instance of a shared cluster",
            { instanceFault: "terminate" },
            { ...ec2, sharedCluster: true },
            /`chaosDrill.instanceFault` is "terminate"; the service shares its cluster \(`clusterArn`\)/,
        ],
        [
            "drain minutes without draining",
            { drainMinutes: 5 },
            ec2,
            /`chaosDrill.drainMinutes` is 5; it applies to `instanceFault: "drain"` only/,
        ],
        [
            "an hour and a half of recovery",
            { recoveryMinutes: 90 },
            ec2,
            /`chaosDrill.recoveryMinutes` is 90; it must be a whole number from 0 to 60/,
        ],
    ];
    for (const [what, given, service, message] of refusals) {
        it(`refuses ${what}, naming the argument`, () => {
            assert.throws(() => resolveChaosDrill(given, service), message);
        });
    }

    it("stops a share of the tasks rounded down, never none", () => {
        assert.deepStrictEqual(
            [
                [3, 50],
                [4, 50],
                [1, 50],
                [10, 100],
                [3, 34],
                [6, 34],
            ].map(([count, percent]) => tasksToStop(count, percent)),
            [1, 2, 1, 10, 1, 2],
        );
    });

    it("drains one instance of the cluster's", () => {
        assert.deepStrictEqual([1, 2, 3, 7, 0].map(drainPercentForOne), [100, 50, 34, 15, 100]);
    });
});

describe("chaos drill experiment template", function () {
    this.timeout(20000);

    it("on Fargate stops the service's tasks, stops on the alarm, logs every experiment, and fails on no targets", async () => {
        assert.deepStrictEqual(await declared(plan()), {
            description: "api: stop 50% of the tasks",
            roleArn: "arn:aws:iam::123456789012:role/api-drill-5a6b7c8",
            targets: [taskTarget(1)],
            actions: [stopTasks],
            stopConditions: [
                {
                    source: "aws:cloudwatch:alarm",
                    value: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-drill-stop-9f8e7d6",
                },
            ],
            logConfiguration: {
                logSchemaVersion: 2,
                cloudwatchLogsConfiguration: {
                    logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/fis/api-0c0c0c0:*",
                },
            },
            experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
        });
    });

    const onEc2 = (instanceFault: string) =>
        plan({
            drill: resolveChaosDrill(
                instanceFault === "drain" ? { instanceFault, drainMinutes: 15 } : { instanceFault },
                ec2,
            ),
            desiredCount: 4,
            ec2: {
                clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/api-cluster-1",
                autoScalingGroupName: "api-hosts-2b3c4d5",
                instances: 3,
            },
        });
    const recover = {
        name: "recover",
        actionId: "aws:fis:wait",
        description: "Let the service replace its tasks before the instance fault",
        parameters: [{ key: "duration", value: "PT5M" }],
        startAfters: ["stop-tasks"],
    };

    it("on EC2 then terminates one running instance of the service's Auto Scaling group", async () => {
        const inputs = await declared(onEc2("terminate"));
        assert.deepStrictEqual(inputs.targets, [
            taskTarget(2),
            {
                name: "one-instance",
                resourceType: "aws:ec2:instance",
                resourceTags: [{ key: "aws:autoscaling:groupName", value: "api-hosts-2b3c4d5" }],
                filters: [{ path: "State.Name", values: ["running"] }],
                selectionMode: "COUNT(1)",
            },
        ]);
        assert.deepStrictEqual(inputs.actions, [
            stopTasks,
            recover,
            {
                name: "terminate-instance",
                actionId: "aws:ec2:terminate-instances",
                description: "Terminate one container instance (node loss)",
                target: { key: "Instances", value: "one-instance" },
                startAfters: ["recover"],
            },
        ]);
    });

    it("or drains one of its container instances for the minutes given", async () => {
        const inputs = await declared(onEc2("drain"));
        assert.deepStrictEqual((inputs.targets as unknown[])[1], {
            name: "service-cluster",
            resourceType: "aws:ecs:cluster",
            resourceArns: ["arn:aws:ecs:us-east-1:123456789012:cluster/api-cluster-1"],
            selectionMode: "ALL",
        });
        assert.deepStrictEqual((inputs.actions as unknown[])[2], {
            name: "drain-instance",
            actionId: "aws:ecs:drain-container-instances",
            description: "Drain one container instance",
            parameters: [
                { key: "drainagePercentage", value: "34" },
                { key: "duration", value: "PT15M" },
            ],
            target: { key: "Clusters", value: "service-cluster" },
            startAfters: ["recover"],
        });
    });

    it("or only stops tasks when the instance fault is none", async () => {
        const inputs = await declared(onEc2("none"));
        assert.deepStrictEqual(inputs.actions, [stopTasks]);
        assert.deepStrictEqual(inputs.targets, [taskTarget(2)]);
    });

    it("keeps the description within FIS's 512 characters", async () => {
        assert.strictEqual(
            ((await declared(plan({ description: "x".repeat(600) }))).description as string).length,
            512,
        );
    });
});

describe("chaos drill role, logs and stop alarm", () => {
    it("attaches exactly the managed policies the actions need", () => {
        const ecsPolicy = "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorECSAccess";
        const ec2Policy = "arn:aws:iam::aws:policy/service-role/AWSFaultInjectionSimulatorEC2Access";
        assert.deepStrictEqual(chaosDrillManagedPolicies(resolveChaosDrill({}, fargate)), [ecsPolicy]);
        assert.deepStrictEqual(chaosDrillManagedPolicies(resolveChaosDrill({}, ec2)), [ecsPolicy, ec2Policy]);
        assert.deepStrictEqual(chaosDrillManagedPolicies(resolveChaosDrill({ instanceFault: "drain" }, ec2)), [
            ecsPolicy,
        ]);
        assert.deepStrictEqual(chaosDrillManagedPolicies(resolveChaosDrill({ instanceFault: "none" }, ec2)), [
            ecsPolicy,
        ]);
        assert.deepStrictEqual(chaosDrillManagedPolicies(resolveChaosDrill({}, fargate), "aws-cn"), [
            "arn:aws-cn:iam::aws:policy/service-role/AWSFaultInjectionSimulatorECSAccess",
        ]);
    });

    it("lets only FIS assume the role, for this account's experiments in this region", () => {
        assert.deepStrictEqual(JSON.parse(fisTrustPolicy("123456789012", "eu-west-1")).Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "fis.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": "123456789012" },
                    ArnLike: { "aws:SourceArn": "arn:aws:fis:eu-west-1:123456789012:experiment/*" },
                },
            },
        ]);
    });

    it("lets FIS deliver experiment logs, into a log group under /aws/vendedlogs/", () => {
        assert.deepStrictEqual(JSON.parse(fisLoggingPolicy()).Statement[0].Action, [
            "logs:CreateLogDelivery",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ]);
        assert.strictEqual(fisLogGroupNamePrefix("api"), "/aws/vendedlogs/fis/api-");
    });

    it("stops on any of the rollback alarms through one composite alarm rule", () => {
        assert.strictEqual(compositeAlarmRule(["api-5xx-1", "api-p99-2"]), 'ALARM("api-5xx-1") OR ALARM("api-p99-2")');
        assert.throws(() => compositeAlarmRule([]), /at least one alarm/);
        assert.throws(() => compositeAlarmRule(['bad"name']), /cannot go in an alarm rule/);
    });
});
