// A live service's second change, as updates in the stand-in cloud: the engine applies ignoreChanges as pulumi/pulumi
// does, the provider replaces what it replaces, and ECS swaps the target groups and rewrites the rule's weights after
// every traffic-shifting deployment (then `pulumi refresh` reads that back). Each switch must leave a service that
// ECS accepts and that runs against live target groups.
import * as assert from "assert";
import { EcsWindowsService, EcsWindowsServiceArgs } from "../../components";
import { FakeCloud, FakeStack, LiveResource, RunResult } from "../support/fakeCloud";
import { tempDir } from "../support/files";

const imageRef = (n: number) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${String(n).repeat(64)}`;
const base: EcsWindowsServiceArgs = {
    imageRef: imageRef(1),
    windowsVersion: "ltsc2022",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    loadBalancer: { subnetIds: ["public-a", "public-b"] },
};
const service = "aws:ecs/service:Service";
const rule = "aws:lb/listenerRule:ListenerRule";
const targetGroup = "aws:lb/targetGroup:TargetGroup";

function stackOf(cloud: FakeCloud): FakeStack {
    return new FakeStack(cloud, "switches", {}, tempDir("switches"));
}

async function deploy(stack: FakeStack, args: EcsWindowsServiceArgs): Promise<RunResult> {
    const result = await stack.up({
        program: () => {
            const svc = new EcsWindowsService("api", args);
            return { url: svc.url, serviceName: svc.serviceName };
        },
    });
    assert.deepStrictEqual(result.failures, [], "the run succeeds and leaves nothing broken");
    return result;
}

type LoadBalancerBlock = {
    targetGroupArn: string;
    containerPort: number;
    advancedConfiguration?: { alternateTargetGroupArn: string; productionListenerRule: string };
};
const liveBlock = (cloud: FakeCloud) =>
    (cloud.liveOf("switches", service, "api-service")!.inputs.loadBalancers as LoadBalancerBlock[])[0];
const strategyOf = (cloud: FakeCloud) =>
    (cloud.liveOf("switches", service, "api-service")!.inputs.deploymentConfiguration as { strategy: string }).strategy;
const weights = (cloud: FakeCloud) => {
    const r = cloud.liveOf("switches", rule, "api-production")!;
    const [action] = r.inputs.actions as { forward: { targetGroups: { arn: string; weight: number }[] } }[];
    return Object.fromEntries(action.forward.targetGroups.map((g) => [g.arn, g.weight]));
};
const liveTargetGroups = (cloud: FakeCloud) =>
    cloud.liveResources("switches", targetGroup).map((r: LiveResource) => String(r.outputs.arn));

/** A canary service after ECS completed one deployment and a refresh read it back. */
async function shiftedCanary(cloud: FakeCloud, stack: FakeStack) {
    await deploy(stack, { ...base, deployment: { strategy: "canary" } });
    const before = liveBlock(cloud);
    assert.strictEqual(cloud.completeTrafficShift("switches"), 1);
    stack.refresh();
    const after = liveBlock(cloud);
    assert.strictEqual(after.targetGroupArn, before.advancedConfiguration!.alternateTargetGroupArn);
    return after;
}

describe("switching a live service's strategy or port (the stand-in engine applies ignoreChanges)", function () {
    this.timeout(60000);

    for (const strategy of ["canary", "linear", "blue-green"]) {
        it(`rolling → ${strategy}: ECS gets the advanced configuration it requires`, async () => {
            const cloud = new FakeCloud();
            const stack = stackOf(cloud);
            await deploy(stack, base);
            await deploy(stack, { ...base, deployment: { strategy } });
            const block = liveBlock(cloud);
            assert.ok(block.advancedConfiguration?.alternateTargetGroupArn, "the alternate target group is sent");
            assert.notStrictEqual(block.advancedConfiguration!.alternateTargetGroupArn, block.targetGroupArn);
            assert.strictEqual(strategyOf(cloud), strategy.toUpperCase().replace("-", "_"));
        });
    }

    it("canary, after ECS swapped the target groups: the next update keeps ECS's choice", async () => {
        const cloud = new FakeCloud();
        const stack = stackOf(cloud);
        const swapped = await shiftedCanary(cloud, stack);
        const result = await deploy(stack, { ...base, imageRef: imageRef(2), deployment: { strategy: "canary" } });
        assert.deepStrictEqual(liveBlock(cloud), swapped, "the service still runs in the target group ECS chose");
        assert.strictEqual(weights(cloud)[swapped.targetGroupArn], 100, "and the rule still sends it the traffic");
        assert.ok(result.steps.some((s) => s.type === service && s.op === "update"));
    });

    for (const strategy of ["rolling", "linear", "blue-green"]) {
        it(`canary (swapped) → ${strategy}: both target groups and the production rule stay live and agree`, async () => {
            const cloud = new FakeCloud();
            const stack = stackOf(cloud);
            const swapped = await shiftedCanary(cloud, stack);
            const result = await deploy(stack, { ...base, deployment: { strategy } });
            assert.deepStrictEqual(
                result.steps.filter((s) => s.op === "delete" || s.op === "replace"),
                [],
                "nothing is deleted or replaced",
            );
            assert.strictEqual(
                liveBlock(cloud).targetGroupArn,
                swapped.targetGroupArn,
                "the tasks stay where ECS put them",
            );
            assert.strictEqual(weights(cloud)[swapped.targetGroupArn], 100, "with the traffic");
            assert.strictEqual(liveTargetGroups(cloud).length, 2);
        });
    }

    it("canary → rolling → canary after a swap: the pair ECS holds is kept throughout", async () => {
        const cloud = new FakeCloud();
        const stack = stackOf(cloud);
        const swapped = await shiftedCanary(cloud, stack);
        await deploy(stack, { ...base, deployment: { strategy: "rolling" } });
        stack.refresh();
        await deploy(stack, { ...base, deployment: { strategy: "canary" } });
        assert.deepStrictEqual(liveBlock(cloud), swapped);
    });

    for (const strategy of ["rolling", "canary"]) {
        it(`${strategy}, port 8080 → 9090: the service and the rule keep live target groups, tasks get the new port`, async () => {
            const cloud = new FakeCloud();
            const stack = stackOf(cloud);
            const deployment = { strategy };
            if (strategy === "canary") await shiftedCanary(cloud, stack);
            else await deploy(stack, { ...base, deployment });
            const groups = liveTargetGroups(cloud).sort();
            const result = await deploy(stack, { ...base, port: 9090, deployment });
            assert.strictEqual(liveBlock(cloud).containerPort, 9090);
            assert.deepStrictEqual(liveTargetGroups(cloud).sort(), groups, "the target groups are not replaced");
            assert.ok(!result.steps.some((s) => s.type === targetGroup && s.op !== "same"));
            const sg = cloud.liveOf("switches", "aws:ec2/securityGroup:SecurityGroup", "api-sg")!;
            assert.deepStrictEqual(
                (sg.inputs.ingress as { fromPort: number }[]).map((i) => i.fromPort),
                [9090],
                "the tasks' port is open to the load balancer",
            );
        });
    }
});

describe("the Auto Scaling group on an update after managed scaling changed it", function () {
    this.timeout(60000);

    it("keeps the desired capacity the capacity provider set", async () => {
        const cloud = new FakeCloud();
        const stack = stackOf(cloud);
        const ec2: EcsWindowsServiceArgs = { ...base, capacity: "ec2", ec2: { maxSize: 4 } };
        await deploy(stack, ec2);
        const group = cloud.liveOf("switches", "aws:autoscaling/group:Group", "api-asg")!;
        assert.strictEqual(group.inputs.desiredCapacity, 1);
        group.inputs = { ...group.inputs, desiredCapacity: 3 };
        stack.refresh();
        await deploy(stack, { ...ec2, imageRef: imageRef(2), ec2: { maxSize: 5 } });
        const after = cloud.liveOf("switches", "aws:autoscaling/group:Group", "api-asg")!;
        assert.strictEqual(after.inputs.maxSize, 5, "the update reached the group");
        assert.strictEqual(after.inputs.desiredCapacity, 3, "and left the scaled capacity alone");
    });
});
