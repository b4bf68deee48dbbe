// WindowsContainerGroup argument checks: one test per error, each naming the argument.
import * as assert from "assert";
import { WindowsContainerGroupArgs, resolveContainerGroupArgs } from "../../components/aci";
import { expectArgumentError as expectError } from "../support/errors";

describe("resolveContainerGroupArgs", () => {
    const good: WindowsContainerGroupArgs = {
        imageRef: "r@sha256:0",
        windowsVersion: "ltsc2019",
        resourceGroupName: "rg",
        registryServer: "contoso.azurecr.io",
        registryId: "/registries/contoso",
    };

    it("defaults to port 8080, 1 CPU, 2 GB, restart Always; ltsc2019 is documented", () => {
        const r = resolveContainerGroupArgs(good);
        assert.deepStrictEqual(
            [r.ports, r.cpu, r.memoryGb, r.restartPolicy, r.compatibility.verdict],
            [[8080], 1, 2, "Always", "process"],
        );
    });

    it("lets ltsc2022 through with an unknown verdict, for the component to warn about", () => {
        const r = resolveContainerGroupArgs({ ...good, windowsVersion: "ltsc2022" });
        assert.strictEqual(r.compatibility.verdict, "unknown");
        assert.match(r.compatibility.message, /UnsupportedWindowsVersion/);
    });

    const cases: [string, Partial<WindowsContainerGroupArgs>, string, RegExp][] = [
        ["an unknown image version", { windowsVersion: "1809" }, "windowsVersion", /allowed values/],
        ["no ports", { ports: [] }, "ports", /at least one port/],
        ["a reserved port", { ports: [8080, 3390] }, "ports[1]", /reserves/],
        ["a port out of range", { ports: [65536] }, "ports[0]", /1 to 65535/],
        ["duplicate ports", { ports: [80, 80] }, "ports", /once/],
        ["too many CPUs", { cpu: 8 }, "cpu", /0.1 to 4/],
        ["too much memory", { memoryGb: 32 }, "memoryGb", /0.1 to 16/],
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
