// Every component under a user's own plain mocks: `pulumi.runtime.setMocks` and a minimal mocks object, nothing else.
// Each case runs in a fresh Node process (this file is also the program), because the project's own test mocks patch
// the SDK's mock monitor for the whole mocha process; a case that never resolves is killed and fails.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../../components";
import { exportedClassNames, outputValues } from "../support/components";

const imageRef = `registry.example.com/app@sha256:${"a".repeat(64)}`;
/** The sample service of this repository, relative to the repository (each case runs there). */
const context = "app";

/**
 * Each component with only its required arguments, GoWindowsImage with each kind of registry, strategy and release
 * choice, and the compositions whose inputs are other components' outputs. The program runs the case named on its
 * command line; a new component joins the list here (a test below fails until it does).
 */
export const plainMocksCases: Record<string, (p: typeof Package) => pulumi.Resource> = {
    "GoWindowsImage on ECR": (p) => new p.GoWindowsImage("app", { context, ecr: {} }),
    "GoWindowsImage on a new Azure Container Registry": (p) =>
        new p.GoWindowsImage("app", { context, acr: { resourceGroupName: "rg" } }),
    "GoWindowsImage on a shared AzureContainerRegistry": (p) => {
        const shared = new p.AzureContainerRegistry("shared", { resourceGroupName: "rg" });
        return new p.GoWindowsImage("app", {
            context,
            acr: { registryId: shared.registryId, loginServer: shared.loginServer },
        });
    },
    "GoWindowsImage on an existing registry": (p) =>
        new p.GoWindowsImage("app", {
            context,
            registry: { server: "registry.example.com", username: "ci", password: "secret" },
        }),
    "GoWindowsImage on another image's registry": (p) => {
        const first = new p.GoWindowsImage("first", { context, ecr: {} });
        return new p.GoWindowsImage("second", { context, registry: { server: first.registryServer } });
    },
    "GoWindowsImage for one Windows release": (p) =>
        new p.GoWindowsImage("app", { context, ecr: {}, windowsVersion: "ltsc2019" }),
    "GoWindowsImage for several Windows releases (an image index)": (p) =>
        new p.GoWindowsImage("app", { context, ecr: {}, windowsVersions: ["ltsc2019", "ltsc2022"] }),
    "GoWindowsImage built by a Windows Docker engine (native)": (p) =>
        new p.GoWindowsImage("app", { context, ecr: {}, strategy: "native" }),
    "GoWindowsImage with daemonless": (p) => new p.GoWindowsImage("app", { context, ecr: {}, strategy: "daemonless" }),
    "GoWindowsImage with daemonless for several Windows releases (an image index)": (p) =>
        new p.GoWindowsImage("app", {
            context,
            acr: { resourceGroupName: "rg" },
            strategy: "daemonless",
            windowsVersions: ["ltsc2019", "ltsc2022"],
        }),
    "GoWindowsImage run by EcsWindowsService": (p) => {
        const image = new p.GoWindowsImage("app", { context, ecr: {} });
        return new p.EcsWindowsService("app", {
            imageRef: image.imageRef,
            windowsVersion: image.windowsVersion,
            healthCheckCommand: image.healthCheckCommand,
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
        });
    },
    "GoWindowsImage run by WindowsContainerGroup": (p) => {
        const image = new p.GoWindowsImage("app", { context, acr: { resourceGroupName: "rg" } });
        return new p.WindowsContainerGroup("app", {
            imageRef: image.imageRef,
            windowsVersion: image.windowsVersion,
            resourceGroupName: "rg",
            registryServer: image.registryServer,
            registryId: image.acrRegistryId,
        });
    },
    AzureContainerRegistry: (p) => new p.AzureContainerRegistry("shared", { resourceGroupName: "rg" }),
    ImageIndex: (p) =>
        new p.ImageIndex("index", {
            registry: "registry.example.com",
            repository: "app",
            tag: "v1",
            entries: [
                {
                    digest: `sha256:${"b".repeat(64)}`,
                    mediaType: "application/vnd.oci.image.manifest.v1+json",
                    size: 1024,
                    osVersion: "10.0.20348.2849",
                },
            ],
        }),
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
            // The collector by tag: under mocks it is used as given, with no registry look-up.
            traces: {},
        }),
    "EcsWindowsService gated on a shared load balancer's test listener": (p) => {
        const edge = new p.EcsApplicationLoadBalancer("edge", {
            vpcId: "vpc-1",
            subnetIds: ["a", "b"],
            httpOnly: true,
            internal: true,
            testListener: {},
        });
        return new p.EcsWindowsService("app", {
            imageRef,
            windowsVersion: "ltsc2022",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
            listener: {
                listenerArn: edge.listenerArn,
                securityGroupId: edge.securityGroupId,
                pathPatterns: ["/*"],
                testListenerArn: edge.testListenerArn,
                testListenerUrl: edge.testListenerUrl,
                testClientSecurityGroupId: edge.testClientSecurityGroupId,
            },
            deployment: { strategy: "linear", tests: { checks: [{ path: "/healthz" }] } },
        });
    },
    EcsApplicationLoadBalancer: (p) =>
        new p.EcsApplicationLoadBalancer("edge", {
            vpcId: "vpc-1",
            subnetIds: ["public-a", "public-b"],
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        }),
};

/**
 * The program: plain mocks as Pulumi's testing guide writes them, then the case, then its outputs on stdout. Every
 * request to the network is written out as `FETCH <url>` and refused: a unit test reaches nothing.
 */
async function runCase(caseName: string): Promise<void> {
    globalThis.fetch = (async (url: string | URL | Request) => {
        process.stdout.write(`FETCH ${String(url instanceof Request ? url.url : url)}\n`);
        throw new Error("a unit test under plain mocks reaches no network");
    }) as typeof fetch;
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
    const outputs = await outputValues(plainMocksCases[caseName](p));
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
        it("has a case for every resource class the package exports", async () => {
            // Imported here, not at the top: this file is also the program, which imports it after its mocks.
            const classes = exportedClassNames(await import("../../components"), pulumi.Resource);
            const covered = (name: string) =>
                Object.keys(plainMocksCases).some((c) => c === name || c.startsWith(`${name} `));
            assert.deepStrictEqual(
                classes.filter((name) => !covered(name)),
                [],
                "components without a case in plainMocksCases",
            );
            assert.ok(classes.includes("GoWindowsImage") && classes.includes("ImageIndex"), classes.join(", "));
        });
        for (const caseName of Object.keys(plainMocksCases)) {
            it(`${caseName} evaluates with its required arguments, reaches no network, and every output resolves`, () => {
                const run = spawnSync(
                    process.execPath,
                    ["-r", "ts-node/register/transpile-only", __filename, caseName],
                    { cwd: path.join(__dirname, "../.."), encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" },
                );
                const log = `${run.stdout}\n${run.stderr}`;
                assert.notStrictEqual(run.signal, "SIGKILL", `${caseName} never resolved under plain mocks:\n${log}`);
                assert.strictEqual(run.status, 0, log);
                assert.doesNotMatch(run.stdout, /^FETCH /m, log);
                assert.match(run.stdout, /^RESOLVED \[/m, log);
            });
        }
    });
}
