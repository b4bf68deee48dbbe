// Mock tests of the shared pieces: EcsWindowsCluster (Windows EC2 capacity many services join), and services joining
// it or an existing cluster's capacity provider, each still checked against the hosts' Windows release.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EcsWindowsCluster, EcsWindowsService, EcsWindowsServiceArgs } from "../../components";
import { autoNamedAs } from "../support/autonaming";
import { onHosts, serviceArgs } from "../support/ecs";
import * as mocks from "../support/mocks";

const service = serviceArgs;
const cluster = "go-windows-containers:index:EcsWindowsCluster";
const capacityProvider = "aws:ecs/capacityProvider:CapacityProvider";

describe("EcsWindowsCluster", () => {
    describe("with default arguments", () => {
        let shared: EcsWindowsCluster;
        before(async () => {
            mocks.setupMocks();
            shared = new EcsWindowsCluster("platform", { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"] });
            await mocks.valueOf(shared.capacityProviderName);
            await mocks.settle();
        });

        it("makes a cluster with Container Insights, Windows Server 2022 instances and a capacity provider", () => {
            assert.deepStrictEqual(
                mocks.resources.map((r) => [r.type, r.name]).sort(),
                [
                    [cluster, "platform"],
                    ["aws:ecs/cluster:Cluster", "platform-cluster"],
                    ["aws:ec2/securityGroup:SecurityGroup", "platform-instances-sg"],
                    ["aws:iam/role:Role", "platform-instance"],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "platform-instance-policy-0"],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "platform-instance-policy-1"],
                    ["aws:iam/instanceProfile:InstanceProfile", "platform-instance"],
                    ["aws:ec2/launchTemplate:LaunchTemplate", "platform-lt"],
                    ["aws:autoscaling/group:Group", "platform-asg"],
                    [capacityProvider, "platform-capacity"],
                    ["aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "platform-capacity-providers"],
                ].sort(),
            );
            for (const r of mocks.resources.slice(1)) assert.match(r.parent, /EcsWindowsCluster::platform$/, r.name);
            assert.deepStrictEqual(mocks.onlyOfType("aws:ecs/cluster:Cluster").inputs.settings, [
                { name: "containerInsights", value: "enabled" },
            ]);
            assert.strictEqual(
                mocks.calls.find((c) => c.token === "aws:ssm/getParameter:getParameter")?.inputs.name,
                "/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id",
            );
        });

        it("opens nothing on the instances: each task has its own ENI and its service's security group", () => {
            const sg = mocks.onlyOfType("aws:ec2/securityGroup:SecurityGroup");
            assert.deepStrictEqual(sg.inputs.ingress, []);
            assert.deepStrictEqual(sg.inputs.egress, [
                { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            ]);
            assert.deepStrictEqual(
                mocks.onlyOfType("aws:ec2/launchTemplate:LaunchTemplate").inputs.vpcSecurityGroupIds,
                ["platform-instances-sg-id"],
            );
        });

        it("outputs what services join it with: the release as a plain value, the provider once it is attached", async () => {
            assert.strictEqual(shared.windowsVersion, "ltsc2022");
            assert.strictEqual(
                await mocks.valueOf(shared.capacityProviderName),
                autoNamedAs(capacityProvider, "platform-capacity"),
            );
            assert.strictEqual(
                await mocks.valueOf(shared.clusterName),
                autoNamedAs("aws:ecs/cluster:Cluster", "platform-cluster"),
            );
            assert.deepStrictEqual(await mocks.valueOf(shared.instanceSecurityGroupIds), ["platform-instances-sg-id"]);
        });
    });

    it("takes the instances' release, sizes and security groups", async () => {
        mocks.setupMocks();
        const shared = new EcsWindowsCluster("big", {
            subnetIds: ["subnet-a"],
            windowsVersion: "ltsc2025",
            instanceType: "m6i.2xlarge",
            minSize: 2,
            maxSize: 10,
            instanceSecurityGroupIds: ["sg-corporate"],
        });
        await mocks.valueOf(shared.clusterArn);
        await mocks.settle();
        assert.strictEqual(shared.windowsVersion, "ltsc2025");
        assert.deepStrictEqual(mocks.ofType("aws:ec2/securityGroup:SecurityGroup"), [], "no group of its own");
        const asg = mocks.onlyOfType("aws:autoscaling/group:Group").inputs;
        assert.deepStrictEqual([asg.minSize, asg.maxSize, asg.desiredCapacity], [2, 10, 2]);
        const lt = mocks.onlyOfType("aws:ec2/launchTemplate:LaunchTemplate").inputs;
        assert.deepStrictEqual([lt.instanceType, lt.vpcSecurityGroupIds], ["m6i.2xlarge", ["sg-corporate"]]);
    });

    it("refuses a release ECS has no Windows AMI for before creating anything, naming the argument", async () => {
        mocks.setupMocks();
        assert.throws(
            () => new EcsWindowsCluster("bad", { vpcId: "vpc-1", subnetIds: ["a"], windowsVersion: "ltsc2016" }),
            (e: unknown) =>
                pulumi.ResourceError.isInstance(e) &&
                /EcsWindowsCluster "bad": `windowsVersion` is "ltsc2016"; allowed values: ltsc2019, ltsc2022, ltsc2025/.test(
                    (e as Error).message,
                ),
        );
        await mocks.settle();
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type !== cluster),
            [],
        );
    });
});

describe("EcsWindowsServices on shared Windows hosts", () => {
    let shared: EcsWindowsCluster;
    const joined = (name: string, args: Partial<EcsWindowsServiceArgs> = {}) =>
        new EcsWindowsService(name, { ...service, ...onHosts(shared), ...args });

    before(async () => {
        mocks.setupMocks();
        shared = new EcsWindowsCluster("platform", { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"] });
        const services = [joined("orders"), joined("billing"), joined("search")];
        await Promise.all(services.map((s) => mocks.valueOf(s.serviceName)));
        await mocks.settle();
    });

    it("adds no cluster, instances or capacity provider per service: three services, one of each", () => {
        for (const type of [
            "aws:ecs/cluster:Cluster",
            "aws:autoscaling/group:Group",
            "aws:ec2/launchTemplate:LaunchTemplate",
            capacityProvider,
        ])
            assert.strictEqual(mocks.ofType(type).length, 1, type);
        assert.deepStrictEqual(
            mocks
                .ofType("aws:iam/role:Role")
                .map((r) => r.name)
                .sort(),
            [
                "billing-execution",
                "billing-task",
                "orders-execution",
                "orders-task",
                "platform-instance",
                "search-execution",
                "search-task",
            ],
        );
    });

    it("runs each service on the shared capacity provider, in the shared cluster, after the provider is attached", () => {
        for (const svc of mocks.ofType("aws:ecs/service:Service")) {
            assert.deepStrictEqual(svc.inputs.capacityProviderStrategies, [
                { capacityProvider: autoNamedAs(capacityProvider, "platform-capacity"), weight: 1 },
            ]);
            assert.strictEqual(svc.inputs.cluster, "arn:aws:ecs:us-east-1:123456789012:platform-cluster");
            assert.ok(
                svc.dependencies.some((d) => d.endsWith("::platform-capacity-providers")),
                `${svc.name} waits for the provider`,
            );
        }
    });

    it("checks each image against the shared hosts' release before creating anything", async () => {
        mocks.setupMocks();
        const hosts = new EcsWindowsCluster("old", { vpcId: "vpc-1", subnetIds: ["a"], windowsVersion: "ltsc2019" });
        assert.throws(
            () => new EcsWindowsService("api", { ...service, ...onHosts(hosts) }),
            (e: unknown) => /`windowsVersion` is "ltsc2022", which this host cannot run/.test((e as Error).message),
        );
        await mocks.settle();
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type.startsWith("aws:") && r.name.startsWith("api")),
            [],
        );
    });

    it("joins a cluster and capacity provider made outside the program by name", async () => {
        mocks.setupMocks();
        const svc = new EcsWindowsService("legacy", {
            ...service,
            capacity: "ec2",
            clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/windows-hosts",
            capacityProviderName: "windows-2022-asg",
            hostWindowsVersion: "ltsc2022",
        });
        await mocks.valueOf(svc.serviceName);
        await mocks.settle();
        assert.deepStrictEqual(mocks.ofType("aws:ecs/cluster:Cluster"), []);
        assert.deepStrictEqual(mocks.onlyOfType("aws:ecs/service:Service").inputs.capacityProviderStrategies, [
            { capacityProvider: "windows-2022-asg", weight: 1 },
        ]);
        assert.strictEqual(await mocks.valueOf(svc.clusterName), "windows-hosts");
        assert.strictEqual(await mocks.valueOf(svc.capacityProviderName), "windows-2022-asg");
    });

    it("still makes its own cluster and instances when given none, as before", async () => {
        mocks.setupMocks();
        const svc = new EcsWindowsService("alone", { ...service, capacity: "ec2" });
        await mocks.valueOf(svc.serviceName);
        await mocks.settle();
        const own = mocks.onlyOfType(cluster);
        assert.strictEqual(own.name, "alone");
        assert.match(own.parent, /EcsWindowsService::alone$/);
        // The instances use the tasks' security group, as they did before the cluster became a component.
        assert.deepStrictEqual(mocks.onlyOfType("aws:ec2/launchTemplate:LaunchTemplate").inputs.vpcSecurityGroupIds, [
            "alone-sg-id",
        ]);
        for (const name of ["alone-cluster", "alone-asg", "alone-lt", "alone-capacity", "alone-instance"]) {
            const moved = mocks.resources.filter((r) => r.name === name);
            for (const r of moved)
                assert.deepStrictEqual(
                    r.aliasSpecs.map((a) => a.parentUrn),
                    ["urn:pulumi:test::go-windows-containers::go-windows-containers:index:EcsWindowsService::alone"],
                    `${name} keeps the URN it had as the service's child`,
                );
        }
    });
});
