// A platform's lifecycle in the stand-in cloud: services added to and removed from a shared cluster and load balancer
// leave every other service's resources untouched (no priority reshuffled), and another stack joining the same
// listener is refused by ELB (PriorityInUse) until it gives its rule a priority of its own.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    EcsApplicationLoadBalancer,
    EcsWindowsCluster,
    EcsWindowsService,
    EcsWindowsServiceArgs,
} from "../../components";
import { FakeCloud, FakeStack, RunResult } from "../support/fakeCloud";
import { onHosts, onListener, serviceArgs } from "../support/ecs";
import { tempDir } from "../support/files";

/** A platform of the named services on one cluster and one HTTPS load balancer, each by its host name. */
function platform(names: string[]) {
    return () => {
        const hosts = new EcsWindowsCluster("hosts", { vpcId: "vpc-1", subnetIds: serviceArgs.subnetIds });
        const edge = new EcsApplicationLoadBalancer("edge", {
            vpcId: "vpc-1",
            subnetIds: ["public-a", "public-b"],
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        });
        const exports: Record<string, pulumi.Output<unknown>> = { listenerArn: edge.listenerArn };
        for (const name of names) {
            const service = new EcsWindowsService(name, {
                ...serviceArgs,
                ...onHosts(hosts),
                ...onListener(edge, { hostHeaders: [`${name}.example.com`] }),
                deployment: { strategy: "canary" },
            });
            exports[name] = service.serviceName;
        }
        return exports;
    };
}

function ok(result: RunResult): RunResult {
    assert.deepStrictEqual(result.failures, []);
    return result;
}

/** Steps on the named service's resources (its children are named after it). */
const stepsOf = (result: RunResult, service: string) =>
    result.steps.filter((s) => s.name === service || s.name.startsWith(`${service}-`));

describe("a platform in the stand-in cloud", function () {
    this.timeout(120000);

    it("adds and removes services without touching the others' resources", async () => {
        const cloud = new FakeCloud();
        const stack = new FakeStack(
            cloud,
            "platform",
            {},
            tempDir("platform"),
            platform(["orders", "billing", "search"]),
        );
        ok(await stack.up());
        assert.strictEqual(cloud.liveResources("platform", "aws:lb/loadBalancer:LoadBalancer").length, 1);
        assert.strictEqual(cloud.liveResources("platform", "aws:autoscaling/group:Group").length, 1);

        const added = ok(await stack.up({ program: platform(["orders", "billing", "search", "payments"]) }));
        for (const name of ["orders", "billing", "search", "hosts", "edge"])
            assert.deepStrictEqual(
                stepsOf(added, name).filter((s) => s.op !== "same"),
                [],
                `${name} is untouched by a new service`,
            );
        assert.ok(stepsOf(added, "payments").every((s) => s.op === "create"));

        const removed = ok(await stack.up({ program: platform(["orders", "search", "payments"]) }));
        assert.ok(stepsOf(removed, "billing").every((s) => s.op === "delete"));
        for (const name of ["orders", "search", "payments", "hosts", "edge"])
            assert.deepStrictEqual(
                stepsOf(removed, name).filter((s) => s.op !== "same"),
                [],
                name,
            );
        ok(await stack.destroy());
    });

    it("is refused by ELB when another stack joins the listener with a colliding priority, until it sets its own", async () => {
        const cloud = new FakeCloud();
        const first = new FakeStack(cloud, "platform", {}, tempDir("platform"), platform(["orders"]));
        const created = ok(await first.up());
        const listenerArn = String(created.exports.listenerArn);
        const team = (args: Partial<EcsWindowsServiceArgs["listener"]>) => () => {
            const svc = new EcsWindowsService("orders", {
                ...serviceArgs,
                listener: {
                    listenerArn,
                    securityGroupId: "sg-edge",
                    hostHeaders: ["orders.team.example.com"],
                    ...args,
                },
            });
            return { serviceName: svc.serviceName };
        };
        const other = new FakeStack(cloud, "team", {}, tempDir("team"), team({}));
        const refused = await other.up();
        assert.match(
            refused.failures.join("\n"),
            /ListenerRule orders-production: PriorityInUse: priority \d+ is used by urn:pulumi:platform::/,
        );
        ok(await other.up({ program: team({ priority: 49999 }) }));
    });
});
