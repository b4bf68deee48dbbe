// Mock tests of WindowsContainerGroup: the identity, its AcrPull role, and the container group's exact inputs.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { WindowsContainerGroup, WindowsContainerGroupArgs } from "../../components";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as sdkSettings from "@pulumi/pulumi/runtime/settings";
import {
    minimumPulumiCliVersion,
    pullRetryHook,
    resetCreateErrorsCheck,
    warnIfCreateErrorsSkipHooks,
} from "../../components/aci/pullRetry";
import { logAlertDefinitions, resolveContainerGroupArgs } from "../../components/aci";
import { autoNamedAs } from "../support/autonaming";
import { LogAlertCriterion, logAlertProblems } from "../support/logAnalyticsWorkspace";
import * as mocks from "../support/mocks";

const groupName = autoNamedAs("azure-native:containerinstance:ContainerGroup", "api-group");
const workspaceId =
    "/subscriptions/00000000-0000-0000-0000-00000000feed/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/" +
    autoNamedAs("azure-native:operationalinsights:Workspace", "api-logs");

const component = "go-windows-containers:index:WindowsContainerGroup";
const imageRef = `contosoapps.azurecr.io/api@sha256:${"b".repeat(64)}`;
const registryId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoapps";
const base: WindowsContainerGroupArgs = {
    imageRef,
    windowsVersion: "ltsc2019",
    resourceGroupName: "rg",
    registryServer: "contosoapps.azurecr.io",
    registryId,
};

async function create(name: string, args: WindowsContainerGroupArgs): Promise<WindowsContainerGroup> {
    const group = new WindowsContainerGroup(name, args);
    await mocks.valueOf(group.containerGroupId);
    await mocks.settle();
    return group;
}

describe("WindowsContainerGroup", () => {
    let group: WindowsContainerGroup;
    before(async () => {
        mocks.setupMocks();
        group = await create("api", {
            ...base,
            dnsNameLabel: "contoso-api",
            environment: { MODE: "prod" },
            secureEnvironment: { DB_PASSWORD: mocks.fakeCredentials.registryPassword },
        });
    });

    it("creates an identity, its AcrPull role on the registry, the group, its workspace and two log alerts", () => {
        assert.deepStrictEqual(mocks.resources.map((r) => [r.type, r.name]).sort(), [
            ["azure-native:authorization:RoleAssignment", "api-acrpull"],
            ["azure-native:containerinstance:ContainerGroup", "api-group"],
            ["azure-native:managedidentity:UserAssignedIdentity", "api-identity"],
            ["azure-native:monitor:ScheduledQueryRule", "api-errors"],
            ["azure-native:monitor:ScheduledQueryRule", "api-restarts"],
            ["azure-native:operationalinsights:Workspace", "api-logs"],
            [component, "api"],
        ]);
        for (const r of mocks.resources.filter((r) => r.type !== component))
            assert.match(r.parent, new RegExp(`${component}::api$`), r.name);
        assert.deepStrictEqual(mocks.onlyOfType("azure-native:authorization:RoleAssignment").inputs, {
            scope: registryId,
            principalId: "principal-of-api-identity",
            principalType: "ServicePrincipal",
            roleDefinitionId:
                "/subscriptions/00000000-0000-0000-0000-00000000feed/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
        });
        assert.ok(
            mocks
                .onlyOfType("azure-native:containerinstance:ContainerGroup")
                .dependencies.some((d) => d.endsWith("::api-acrpull")),
            "the group waits for the role",
        );
    });

    it("runs the Windows image by digest, pulling with the identity, with secure values for secrets", () => {
        const inputs = mocks.unwrapSecrets(mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").inputs);
        assert.deepStrictEqual(inputs, {
            resourceGroupName: "rg",
            osType: "Windows",
            restartPolicy: "Always",
            identity: { type: "UserAssigned", userAssignedIdentities: ["api-identity-id"] },
            imageRegistryCredentials: [{ server: "contosoapps.azurecr.io", identity: "api-identity-id" }],
            containers: [
                {
                    name: "app",
                    image: imageRef,
                    ports: [{ port: 8080, protocol: "TCP" }],
                    resources: { requests: { cpu: 1, memoryInGB: 2 } },
                    environmentVariables: [
                        { name: "MODE", value: "prod" },
                        { name: "DB_PASSWORD", secureValue: mocks.fakeCredentials.registryPassword },
                    ],
                },
            ],
            ipAddress: {
                type: "Public",
                ports: [{ port: 8080, protocol: "TCP" }],
                dnsNameLabel: "contoso-api",
                autoGeneratedDomainNameLabelScope: "TenantReuse",
            },
            diagnostics: {
                logAnalytics: {
                    workspaceId: "customer-id-of-api-logs",
                    workspaceKey: mocks.fakeCredentials.workspaceKey,
                    logType: "ContainerInstanceLogs",
                },
            },
        });
        assert.deepStrictEqual(mocks.exposedCredentials(), [], "the secure value and the workspace key are secrets");
    });

    it("keeps logs 30 days in a workspace that accepts the group's shared key, read fresh and kept secret", () => {
        assert.deepStrictEqual(mocks.onlyOfType("azure-native:operationalinsights:Workspace").inputs, {
            resourceGroupName: "rg",
            sku: { name: "PerGB2018" },
            retentionInDays: 30,
            features: { disableLocalAuth: false },
            publicNetworkAccessForIngestion: "Enabled",
        });
        const keyCall = mocks.calls.find((c) => c.token === "azure-native:operationalinsights:getSharedKeys");
        assert.deepStrictEqual(keyCall?.inputs, {
            resourceGroupName: "rg",
            workspaceName: autoNamedAs("azure-native:operationalinsights:Workspace", "api-logs"),
        });
        const group = mocks.onlyOfType("azure-native:containerinstance:ContainerGroup");
        assert.deepStrictEqual(group.additionalSecretOutputs, ["diagnostics"], "the key stays secret in the outputs");
        const wire = JSON.stringify(group.wireInputs);
        assert.ok(
            wire.includes(mocks.secretSignature) &&
                !wire.includes(`"workspaceKey":"${mocks.fakeCredentials.workspaceKey}"`),
        );
    });

    it("alerts on restarts and error lines with log queries on the workspace (ACI's metrics are Linux-only)", async () => {
        const rules = mocks.ofType("azure-native:monitor:ScheduledQueryRule");
        const restarts = rules.find((r) => r.name === "api-restarts")!;
        assert.deepStrictEqual(restarts.inputs, {
            resourceGroupName: "rg",
            kind: "LogAlert",
            description: "api: The container started more than 2 times in an hour.",
            severity: 2,
            enabled: true,
            scopes: [workspaceId],
            evaluationFrequency: "PT15M",
            windowSize: "PT1H",
            criteria: {
                allOf: [
                    {
                        query: logAlertDefinitions(resolveContainerGroupArgs(base).alerts)[0].query(groupName),
                        timeAggregation: "Total",
                        metricMeasureColumn: "Count_d",
                        operator: "GreaterThan",
                        threshold: 2,
                        failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
                    },
                ],
            },
            autoMitigate: true,
        });
        const errors = rules.find((r) => r.name === "api-errors")!;
        const errorCriterion = (errors.inputs.criteria as { allOf: LogAlertCriterion[] }).allOf[0];
        assert.strictEqual(errorCriterion.timeAggregation, "Count");
        assert.match(errorCriterion.query, new RegExp(`\\| where ContainerGroup_s == "${groupName}"\n`));
        // Both rules, as declared, are what Azure accepts on the group's new (empty) workspace.
        for (const rule of rules) {
            const declared = (rule.inputs.criteria as { allOf: LogAlertCriterion[] }).allOf[0];
            assert.deepStrictEqual(logAlertProblems(declared, {}), [], rule.name);
        }
        assert.deepStrictEqual([errors.inputs.windowSize, errors.inputs.evaluationFrequency], ["PT15M", "PT5M"]);
        assert.deepStrictEqual((await mocks.valueOf(group.alertRuleIds)).sort(), ["api-errors-id", "api-restarts-id"]);
        assert.strictEqual(await mocks.valueOf(group.logAnalyticsWorkspaceId), workspaceId);
    });

    it("retries a pull the new AcrPull role refuses, through a named error hook on the group", async () => {
        assert.deepStrictEqual(mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").errorHooks, [
            "api-acrpull-retry",
        ]);
        assert.ok(mocks.registeredHooks.includes("api-acrpull-retry"), "the hook is registered with the engine");
    });

    it("outputs the URL of its DNS name", async () => {
        assert.strictEqual(await mocks.valueOf(group.url), "http://contoso-api.westeurope.azurecontainer.io:8080/");
    });

    it("goes into a subnet with a private address", async () => {
        mocks.setupMocks();
        const privateGroup = await create("internal", { ...base, subnetId: "/subnets/aci" });
        const inputs = mocks.unwrapSecrets(
            mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").inputs,
        ) as Record<string, unknown>;
        assert.deepStrictEqual(inputs.subnetIds, [{ id: "/subnets/aci" }]);
        assert.deepStrictEqual(inputs.ipAddress, {
            type: "Private",
            ports: [{ port: 8080, protocol: "TCP" }],
            autoGeneratedDomainNameLabelScope: "TenantReuse",
        });
        assert.strictEqual(await mocks.valueOf(privateGroup.url), "http://10.1.0.4:8080/");
    });

    it("has no address at all by default", async () => {
        mocks.setupMocks();
        const quiet = await create("worker", base);
        const inputs = mocks.unwrapSecrets(
            mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").inputs,
        ) as Record<string, unknown>;
        assert.strictEqual(inputs.ipAddress, undefined);
        assert.strictEqual(inputs.subnetIds, undefined);
        assert.strictEqual(await mocks.valueOf(quiet.url), undefined);
    });

    it("sends logs to a given workspace, notifies an action group, and takes the alerts' thresholds", async () => {
        mocks.setupMocks();
        const workspaceId =
            "/subscriptions/s/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/central";
        const actionGroupId = "/subscriptions/s/resourceGroups/rg/providers/microsoft.insights/actionGroups/oncall";
        await create("given", {
            ...base,
            logAnalyticsWorkspaceId: workspaceId,
            alerts: { actionGroupId, maxRestartsPerHour: 5, errorPattern: "panic", maxErrorLines: 0 },
        });
        assert.deepStrictEqual(mocks.ofType("azure-native:operationalinsights:Workspace"), []);
        for (const token of ["getWorkspace", "getSharedKeys"]) {
            const call = mocks.calls.find((c) => c.token === `azure-native:operationalinsights:${token}`);
            assert.deepStrictEqual(
                call?.inputs,
                { resourceGroupName: "rg-monitoring", workspaceName: "central" },
                token,
            );
        }
        const inputs = mocks.unwrapSecrets(
            mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").inputs,
        ) as {
            diagnostics: { logAnalytics: { workspaceId: string } };
        };
        assert.strictEqual(inputs.diagnostics.logAnalytics.workspaceId, "customer-id-of-the-given-workspace");
        const rules = mocks.ofType("azure-native:monitor:ScheduledQueryRule");
        assert.strictEqual(rules.length, 2);
        for (const rule of rules) {
            assert.deepStrictEqual(rule.inputs.scopes, [workspaceId]);
            assert.deepStrictEqual(rule.inputs.actions, { actionGroups: [actionGroupId] });
        }
        const criteria = (name: string) =>
            (rules.find((r) => r.name === name)!.inputs.criteria as { allOf: { query: string; threshold: number }[] })
                .allOf[0];
        assert.strictEqual(criteria("given-restarts").threshold, 5);
        assert.strictEqual(criteria("given-errors").threshold, 0);
        assert.match(criteria("given-errors").query, /Message has "panic"$/);
    });

    it("creates no alerts when they are turned off", async () => {
        mocks.setupMocks();
        const quiet = await create("quiet", { ...base, alerts: { enabled: false } });
        assert.deepStrictEqual(mocks.ofType("azure-native:monitor:ScheduledQueryRule"), []);
        assert.strictEqual(mocks.ofType("azure-native:operationalinsights:Workspace").length, 1, "logs stay");
        assert.deepStrictEqual(await mocks.valueOf(quiet.alertRuleIds), []);
    });

    it("binds no error hook when pull retries are off (for a CLI without error hooks)", async () => {
        mocks.setupMocks();
        await create("plain", { ...base, pullRetries: 0 });
        assert.deepStrictEqual(mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").errorHooks, []);
        assert.deepStrictEqual(mocks.registeredHooks, []);
    });

    it("has a hook that waits and retries pull errors and gives up on others", async () => {
        mocks.setupMocks();
        const hook = pullRetryHook("unit", 2, 0);
        const args = { urn: "urn", id: "", name: "unit-group", type: "azure-native:containerinstance:ContainerGroup" };
        const refused = "InaccessibleImage: The image is not accessible.";
        assert.strictEqual(await hook.callback({ ...args, failedOperation: "create", errors: [refused] }), true);
        assert.strictEqual(
            await hook.callback({ ...args, failedOperation: "create", errors: [refused, refused, refused] }),
            false,
        );
        assert.strictEqual(await hook.callback({ ...args, failedOperation: "create", errors: ["Conflict"] }), false);
        assert.strictEqual(hook.name, "unit-acrpull-retry");
    });

    it("refuses bad input before creating anything", async () => {
        mocks.setupMocks();
        assert.throws(
            () => new WindowsContainerGroup("api", { ...base, ports: [3389] }),
            (e: unknown) => pulumi.ResourceError.isInstance(e) && /`ports\[0\]` is 3389/.test((e as Error).message),
        );
        await mocks.settle();
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type !== component),
            [],
        );
    });
});

/** The warnings the component logs while `run` declares groups. */
async function warningsOf(run: () => Promise<void>): Promise<string[]> {
    const warnings: string[] = [];
    const realWarn = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
        warnings.push(message);
        return Promise.resolve();
    };
    try {
        await run();
    } finally {
        pulumi.log.warn = realWarn;
    }
    return warnings;
}

describe("WindowsContainerGroup on an unconfirmed Windows version", () => {
    it("warns, naming the documented version, and still creates the group", async () => {
        const warnings = await warningsOf(async () => {
            mocks.setupMocks();
            await create("api", { ...base, windowsVersion: "ltsc2025" });
        });
        assert.strictEqual(warnings.length, 1);
        assert.match(
            warnings[0],
            /documents ltsc2019 and ltsc2022 Windows container groups only; ltsc2025 is unconfirmed/,
        );
        assert.strictEqual(mocks.ofType("azure-native:containerinstance:ContainerGroup").length, 1);
    });

    it("warns about an image index without a documented release, naming them, and still creates the group", async () => {
        const warnings = await warningsOf(async () => {
            mocks.setupMocks();
            await create("api", { ...base, windowsVersion: undefined, windowsVersions: ["ltsc2025"] });
            mocks.setupMocks();
            await create("api", { ...base, windowsVersion: undefined, windowsVersions: ["ltsc2022", "ltsc2025"] });
        });
        assert.deepStrictEqual(warnings.length, 1, "an index with ltsc2022 is on the documented path");
        assert.match(warnings[0], /The index has no ltsc2019 or ltsc2022 image/);
        assert.strictEqual(mocks.ofType("azure-native:containerinstance:ContainerGroup").length, 1);
    });
});

describe("WindowsContainerGroup's pull retries on engines without error hooks", () => {
    /** Runs `fn` with the engine answering `SupportsFeature("errorHooks")` with no, as a CLI without them does. */
    async function onCliWithoutErrorHooks(fn: () => Promise<void>): Promise<void> {
        const monitor = MockMonitor.prototype as unknown as { supportsFeature: MockMonitor["supportsFeature"] };
        const real = monitor.supportsFeature;
        monitor.supportsFeature = function (req, callback) {
            if (req.getId() === "errorHooks") return callback(null, { getHassupport: () => false });
            return real.call(this, req, callback);
        };
        try {
            // The SDK asks the engine what it supports before the program runs.
            await (sdkSettings as unknown as { awaitFeatureSupport(): Promise<void> }).awaitFeatureSupport();
            await fn();
        } finally {
            monitor.supportsFeature = real;
        }
    }

    it("declares the group without the hook on a CLI without error hooks, says so, and resolves", async () => {
        let group: WindowsContainerGroup | undefined;
        const warnings = await warningsOf(async () => {
            mocks.setupMocks();
            await onCliWithoutErrorHooks(async () => {
                group = await create("api", base);
            });
        });
        assert.deepStrictEqual(mocks.onlyOfType("azure-native:containerinstance:ContainerGroup").errorHooks, []);
        assert.deepStrictEqual(mocks.registeredHooks, []);
        assert.match(await mocks.valueOf(group!.containerGroupId), /api-group/);
        assert.deepStrictEqual(warnings, [
            "`pullRetries` is 8, but this Pulumi CLI does not support error hooks (Pulumi CLI 3.244.0 or later does): " +
                "the container group is declared without pull retries. If its first pull is refused while the " +
                "AcrPull role applies, run `pulumi up` again.",
        ]);
    });

    it("says nothing with pull retries off", async () => {
        const warnings = await warningsOf(async () => {
            mocks.setupMocks();
            await onCliWithoutErrorHooks(async () => void (await create("api", { ...base, pullRetries: 0 })));
        });
        assert.deepStrictEqual(warnings, []);
    });

    it("warns once that a CLI older than 3.244 retries failed updates but not failed creates", async () => {
        const ranges: string[] = [];
        const older = (range: string) => {
            ranges.push(range);
            return Promise.reject(new Error("version 3.243.0 does not satisfy the range"));
        };
        const warnings = await warningsOf(async () => {
            resetCreateErrorsCheck();
            await warnIfCreateErrorsSkipHooks(older);
            await warnIfCreateErrorsSkipHooks(older);
            resetCreateErrorsCheck();
            await warnIfCreateErrorsSkipHooks(() => Promise.resolve());
        });
        resetCreateErrorsCheck();
        assert.deepStrictEqual(ranges, [">=3.244.0"], "asked once per run");
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0], /older than 3\.244\.0: .*pulumi\/pulumi#23347/);
    });

    it("states the same minimum CLI in package.json", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as {
            engines: { pulumi?: string };
        };
        assert.strictEqual(manifest.engines.pulumi, `>=${minimumPulumiCliVersion}`);
    });
});
