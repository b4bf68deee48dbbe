// Every component under a user's own plain mocks: `pulumi.runtime.setMocks` and a minimal mocks object, nothing else.
// Each case runs in a fresh Node process (this file is also the program), because the project's own test mocks patch
// the SDK's mock monitor for the whole mocha process; a case that never resolves is killed and fails.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../../components";

const imageRef = `registry.example.com/app@sha256:${"a".repeat(64)}`;

/**
 * Each component with only its required arguments. A new component joins the list here; the program runs the case
 * named on its command line. Not yet here: GoWindowsImage (the base-image digest lookup refuses the digest a plain
 * mock does not report, and the ECR repository's URL is split before it is known).
 */
export const plainMocksCases: Record<string, (p: typeof Package) => pulumi.ComponentResource> = {
    WindowsContainerGroup: (p) =>
        new p.WindowsContainerGroup("app", {
            imageRef,
            windowsVersion: "ltsc2019",
            resourceGroupName: "rg",
            registryServer: "contoso.azurecr.io",
            registryId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contoso",
        }),
    EcrAccountSettings: (p) => new p.EcrAccountSettings("account"),
    EcsWindowsService: (p) =>
        new p.EcsWindowsService("app", {
            imageRef,
            windowsVersion: "ltsc2022",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
        }),
    EcsWindowsCluster: (p) => new p.EcsWindowsCluster("hosts", { vpcId: "vpc-1", subnetIds: ["subnet-a"] }),
    "EcsWindowsService on a shared cluster and load balancer": (p) => {
        const hosts = new p.EcsWindowsCluster("hosts", { vpcId: "vpc-1", subnetIds: ["subnet-a"] });
        const edge = new p.EcsApplicationLoadBalancer("edge", {
            vpcId: "vpc-1",
            subnetIds: ["a", "b"],
            httpOnly: true,
        });
        return new p.EcsWindowsService("app", {
            imageRef,
            windowsVersion: "ltsc2022",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
            capacity: "ec2",
            clusterArn: hosts.clusterArn,
            capacityProviderName: hosts.capacityProviderName,
            hostWindowsVersion: hosts.windowsVersion,
            listener: { listenerArn: edge.listenerArn, securityGroupId: edge.securityGroupId, pathPatterns: ["/*"] },
            deployment: { strategy: "canary" },
        });
    },
    XrayTransactionSearch: (p) => new p.XrayTransactionSearch("account"),
    "EcsWindowsService with a test gate, a chaos drill and traces": (p) =>
        new p.EcsWindowsService("app", {
            imageRef,
            windowsVersion: "ltsc2022",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
            loadBalancer: { subnetIds: ["public-a", "public-b"], internal: true },
            alarms: {},
            deployment: { strategy: "canary", canaryPercent: 1, tests: { checks: [{ path: "/healthz" }] } },
            chaosDrill: {},
            // A collector by tag is looked up in its registry over the network (as GoWindowsImage's bases are),
            // which no mock answers; a test gives it by digest.
            traces: { collectorImageRef: `otel/opentelemetry-collector-contrib@sha256:${"c".repeat(64)}` },
        }),
    EcsApplicationLoadBalancer: (p) =>
        new p.EcsApplicationLoadBalancer("edge", {
            vpcId: "vpc-1",
            subnetIds: ["public-a", "public-b"],
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        }),
};

/** The values of every Output the component exposes, once all resolve. */
async function outputsOf(component: pulumi.ComponentResource): Promise<Record<string, unknown>> {
    const outputs = Object.entries(component).filter(([, value]) => pulumi.Output.isInstance(value));
    const values = await Promise.all(
        outputs.map(([, value]) => new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve))),
    );
    return Object.fromEntries(outputs.map(([key], i) => [key, values[i]]));
}

/** The program: plain mocks as Pulumi's testing guide writes them, then the case, then its outputs on stdout. */
async function runCase(caseName: string): Promise<void> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs }),
            call: (args) => args.inputs,
        },
        "project",
        "stack",
        false,
    );
    // Imported after the mocks, as a user's test imports its program.
    const p = (await import("../../components")) as typeof Package;
    const outputs = await outputsOf(plainMocksCases[caseName](p));
    process.stdout.write(`RESOLVED ${JSON.stringify(Object.keys(outputs).sort())}\n`);
    // No process.exit: the process must end by itself, as a user's mocha run must.
}

if (require.main === module) {
    runCase(process.argv[2]).catch((e: unknown) => {
        process.stderr.write(`FAILED ${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
    });
} else {
    describe("every component under the user's own plain mocks", function () {
        this.timeout(120_000);
        for (const caseName of Object.keys(plainMocksCases)) {
            it(`${caseName} evaluates with its required arguments and every output resolves`, () => {
                const run = spawnSync(
                    process.execPath,
                    ["-r", "ts-node/register/transpile-only", __filename, caseName],
                    { cwd: path.join(__dirname, "../.."), encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" },
                );
                const log = `${run.stdout}\n${run.stderr}`;
                assert.notStrictEqual(run.signal, "SIGKILL", `${caseName} never resolved under plain mocks:\n${log}`);
                assert.strictEqual(run.status, 0, log);
                assert.match(run.stdout, /^RESOLVED \[/m, log);
            });
        }
    });
}
