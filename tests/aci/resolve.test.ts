// WindowsContainerGroup argument checks: one test per error, each naming the argument.
import * as assert from "assert";
import {
    WindowsContainerGroupArgs,
    aciReservedPorts,
    resolveContainerGroupArgs,
    shouldRetryPull,
} from "../../components/aci";
import { expectArgumentError as expectError } from "../support/errors";

describe("resolveContainerGroupArgs", () => {
    const good: WindowsContainerGroupArgs = {
        imageRef: "r@sha256:0",
        windowsVersion: "ltsc2019",
        resourceGroupName: "rg",
        registryServer: "contoso.azurecr.io",
        registryId: "/registries/contoso",
    };

    it("defaults to a new workspace keeping 30 days and both alerts; a given workspace has no retention here", () => {
        const r = resolveContainerGroupArgs(good);
        assert.deepStrictEqual(
            [r.logRetentionDays, r.alerts],
            [30, { enabled: true, maxRestartsPerHour: 2, errorPattern: "error", maxErrorLines: 10 }],
        );
        const given = resolveContainerGroupArgs({
            ...good,
            logAnalyticsWorkspaceId:
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w",
        });
        assert.strictEqual(given.logRetentionDays, undefined);
    });

    it("defaults to port 8080, 1 CPU, 2 GB, restart Always, 8 pull retries; ltsc2019 is documented", () => {
        const r = resolveContainerGroupArgs(good);
        assert.deepStrictEqual(
            [r.ports, r.cpu, r.memoryGb, r.restartPolicy, r.pullRetries, r.compatibility.verdict],
            [[8080], 1, 2, "Always", 8, "process"],
        );
    });

    it("reserves exactly the ports Azure's FAQ lists, and allows 443", () => {
        const reserved = [22, 1025, 1027, 3389, 3399, 9999, 19000, 19080, 19100, 19390, 20000, 30000, 49152, 65534];
        for (const port of reserved) assert.ok(aciReservedPorts(port), `${port} is reserved`);
        for (const port of [80, 443, 1024, 1028, 3388, 3400, 8080, 19001, 19391, 30001, 49151, 65535])
            assert.ok(!aciReservedPorts(port), `${port} is free`);
        assert.deepStrictEqual(resolveContainerGroupArgs({ ...good, ports: [80, 443] }).ports, [80, 443]);
    });

    it("takes sizes up to the 4 cores and 16 GB Azure documents for Windows container groups, in steps of 0.1", () => {
        const big = resolveContainerGroupArgs({ ...good, cpu: 4, memoryGb: 16 });
        assert.deepStrictEqual([big.cpu, big.memoryGb], [4, 16]);
        assert.strictEqual(resolveContainerGroupArgs({ ...good, cpu: 0.3, memoryGb: 0.7 }).cpu, 0.3, "steps of 0.1");
    });

    const cases: [string, Partial<WindowsContainerGroupArgs>, string, RegExp][] = [
        ["an unknown image version", { windowsVersion: "1809" }, "windowsVersion", /allowed values/],
        ["no ports", { ports: [] }, "ports", /at least one port/],
        ["a reserved port", { ports: [8080, 3390] }, "ports[1]", /reserves/],
        ["a port out of range", { ports: [65536] }, "ports[0]", /1 to 65535/],
        ["duplicate ports", { ports: [80, 80] }, "ports", /once/],
        ["six ports", { ports: [1, 2, 3, 4, 5, 6] }, "ports", /at most 5 ports per IP/],
        ["443 beside a reserved port", { ports: [443, 19390] }, "ports[1]", /19100, 19390, 20000-30000/],
        ["more than 4 CPUs", { cpu: 4.1 }, "cpu", /Windows container groups take 0.1 to 4 CPU/],
        ["a CPU count off the 0.1 steps", { cpu: 1.25 }, "cpu", /steps of 0.1/],
        ["more than 16 GB", { memoryGb: 16.5 }, "memoryGb", /Windows container groups take 0.1 to 16 GB/],
        ["negative pull retries", { pullRetries: -1 }, "pullRetries", /0 to 20/],
        [
            "a workspace name for an id",
            { logAnalyticsWorkspaceId: "central" },
            "logAnalyticsWorkspaceId",
            /resource id/,
        ],
        [
            "a retention for a given workspace",
            {
                logAnalyticsWorkspaceId:
                    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w",
                logRetentionDays: 90,
            },
            "logRetentionDays",
            /new workspace/,
        ],
        ["a retention under 30 days", { logRetentionDays: 7 }, "logRetentionDays", /30 to 730/],
        [
            "an error pattern with spaces",
            { alerts: { errorPattern: "fatal error" } },
            "alerts.errorPattern",
            /one word/,
        ],
        ["no restarts allowed", { alerts: { maxRestartsPerHour: 0 } }, "alerts.maxRestartsPerHour", /1 to 100/],
        ["a negative error count", { alerts: { maxErrorLines: -1 } }, "alerts.maxErrorLines", /0 to 100000/],
        ["an unknown restart policy", { restartPolicy: "Sometimes" }, "restartPolicy", /Always, OnFailure, Never/],
        ["an invalid DNS label", { dnsNameLabel: "Hello_World" }, "dnsNameLabel", /DNS labels/],
        [
            "a DNS label in a subnet",
            { dnsNameLabel: "hello", subnetId: "/subnets/a" },
            "dnsNameLabel",
            /private address/,
        ],
        ["a credential in plain environment", { environment: { API_KEY: "x" } }, "environment", /`secureEnvironment`/],
        [
            "a name in both environments",
            { environment: { MODE: "a" }, secureEnvironment: { MODE: "b" } },
            "secureEnvironment",
            /also set/,
        ],
    ];
    for (const [what, args, argument, message] of cases) {
        it(`rejects ${what}, naming \`${argument}\``, () =>
            expectError(() => resolveContainerGroupArgs({ ...good, ...args }), argument, message));
    }
});

describe("shouldRetryPull", () => {
    const refused =
        "InaccessibleImage: The image 'contoso.azurecr.io/api@sha256:00' in container group 'api-group' is not accessible.";

    it("retries a create or update refused by the registry while the AcrPull role applies", () => {
        assert.strictEqual(shouldRetryPull("create", [refused], 8), true);
        assert.strictEqual(shouldRetryPull("update", ["unauthorized: authentication required"], 8), true);
        assert.strictEqual(
            shouldRetryPull("create", ["AuthorizationFailed: the client ... does not have authorization"], 8),
            true,
        );
    });

    it("gives up after the given number of retries", () => {
        assert.strictEqual(shouldRetryPull("create", Array(8).fill(refused), 8), true);
        assert.strictEqual(shouldRetryPull("create", Array(9).fill(refused), 8), false);
        assert.strictEqual(shouldRetryPull("create", [refused], 0), false);
    });

    it("does not retry other errors, or a delete", () => {
        assert.strictEqual(shouldRetryPull("create", ["InvalidRequestContent: the port 3389 is reserved"], 8), false);
        assert.strictEqual(shouldRetryPull("create", [], 8), false);
        assert.strictEqual(shouldRetryPull("delete", [refused], 8), false);
    });
});
