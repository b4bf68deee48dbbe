// The stacks' rollout and configuration: dev stacks roll, prod stacks canary with alarms that notify; settings reach
// the service from outside the image, secrets by reference (ECS) or as secure values (ACI).
import * as assert from "assert";
import { autoNamedAs } from "../support/autonaming";
import * as mocks from "../support/mocks";
import { runProgram, stackConfig } from "../support/program";

const container = () =>
    JSON.parse(mocks.onlyOfType("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions as string)[0] as {
        environment: { name: string; value: string }[];
        secrets: { name: string; valueFrom: string }[];
    };

describe("the stacks' rollouts", () => {
    for (const stack of ["fargate-dev", "ec2-dev"]) {
        it(`${stack} rolls, with alarms on its load balancer and no one to notify`, async () => {
            await runProgram(stackConfig(`Pulumi.${stack}.yaml`), stack);
            const service = mocks.onlyOfType("aws:ecs/service:Service").inputs;
            assert.deepStrictEqual(service.deploymentConfiguration, { strategy: "ROLLING" });
            // Both target groups and the production rule stay for a later switch to canary (tests/ecs/switches).
            assert.strictEqual(mocks.ofType("aws:lb/listenerRule:ListenerRule").length, 1);
            for (const alarm of mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"))
                assert.strictEqual(alarm.inputs.alarmActions, undefined);
            assert.deepStrictEqual(container().environment, [
                { name: "ENVIRONMENT", value: stack },
                { name: "GREETING", value: "hello from dev" },
            ]);
            assert.deepStrictEqual(container().secrets, []);
        });
    }

    const prod: [string, string][] = [
        ["fargate-prod", "arn:aws:secretsmanager:us-east-1:123456789012:secret:hello/prod/api-token-AbCdEf"],
        ["ec2-prod", "arn:aws:ssm:us-east-1:123456789012:parameter/hello/prod/api-token"],
    ];
    for (const [stack, tokenArn] of prod) {
        it(`${stack} deploys by canary, rolled back by alarms that page the on-call topic`, async () => {
            await runProgram(stackConfig(`Pulumi.${stack}.yaml`), stack);
            const service = mocks.onlyOfType("aws:ecs/service:Service").inputs as {
                deploymentConfiguration: { strategy: string };
                alarms: { alarmNames: string[]; rollback: boolean };
            };
            assert.strictEqual(service.deploymentConfiguration.strategy, "CANARY");
            assert.deepStrictEqual(service.alarms.alarmNames, [
                ...["hello-5xx", "hello-latency", "hello-unhealthy"].map((alarm) =>
                    autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", alarm, stack),
                ),
            ]);
            assert.strictEqual(service.alarms.rollback, true);
            for (const alarm of mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"))
                assert.deepStrictEqual(alarm.inputs.alarmActions, [
                    "arn:aws:sns:us-east-1:123456789012:hello-prod-alarms",
                ]);
            assert.strictEqual(mocks.ofType("aws:lb/targetGroup:TargetGroup").length, 2);
            for (const logs of mocks.ofType("aws:cloudwatch/logGroup:LogGroup"))
                assert.strictEqual(logs.inputs.retentionInDays, 90, logs.name);
            assert.deepStrictEqual(container().secrets, [{ name: "API_TOKEN", valueFrom: tokenArn }]);
            const secretsPolicy = mocks.resources.find((r) => r.name === "hello-execution-secrets");
            const policy = JSON.parse(String(secretsPolicy?.inputs.policy));
            assert.deepStrictEqual(
                policy.Statement.map((s: { Resource: string[] }) => s.Resource),
                [[tokenArn]],
                "the execution role reads the token and nothing else",
            );
        });
    }

    it("azure-prod keeps logs 90 days and sends its alerts to the on-call action group", async () => {
        await runProgram(stackConfig("Pulumi.azure-prod.yaml"), "azure-prod");
        assert.strictEqual(mocks.onlyOfType("azure-native:operationalinsights:Workspace").inputs.retentionInDays, 90);
        const rules = mocks.ofType("azure-native:monitor:ScheduledQueryRule");
        assert.strictEqual(rules.length, 2);
        for (const rule of rules)
            assert.deepStrictEqual(rule.inputs.actions, {
                actionGroups: [
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/microsoft.insights/actionGroups/oncall",
                ],
            });
    });

    it("gives an Azure group its API token as a secure value that stays secret", async () => {
        const config = {
            ...stackConfig("Pulumi.azure-dev.yaml"),
            "go-windows-containers:apiToken": mocks.fakeCredentials.registryPassword,
        };
        await runProgram(config, "azure-dev");
        const group = mocks.unwrapSecrets(mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").inputs) as {
            containers: { environmentVariables: { name: string; value?: string; secureValue?: string }[] }[];
        };
        assert.deepStrictEqual(group.containers[0].environmentVariables, [
            { name: "ENVIRONMENT", value: "azure-dev" },
            { name: "API_TOKEN", secureValue: mocks.fakeCredentials.registryPassword },
        ]);
        assert.deepStrictEqual(mocks.exposedCredentials(), []);
    });
});
