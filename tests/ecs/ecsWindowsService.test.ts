// Mock tests of EcsWindowsService: exact children and inputs for Fargate, a load balancer, and EC2 capacity.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EcsWindowsService, EcsWindowsServiceArgs } from "../../components";
import { autoNamedAs } from "../support/autonaming";
import * as mocks from "../support/mocks";

const component = "go-windows-containers:index:EcsWindowsService";
const imageRef = `123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${"a".repeat(64)}`;
const base: EcsWindowsServiceArgs = {
    imageRef,
    windowsVersion: "ltsc2022",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
};

async function create(name: string, args: EcsWindowsServiceArgs): Promise<EcsWindowsService> {
    const service = new EcsWindowsService(name, args);
    await mocks.valueOf(service.taskDefinitionArn);
    await mocks.settle();
    return service;
}

describe("EcsWindowsService", () => {
    describe("on Fargate", () => {
        let service: EcsWindowsService;
        before(async () => {
            mocks.setupMocks();
            service = await create("api", {
                ...base,
                healthCheckCommand: ["CMD", "C:\\app\\hello.exe", "healthcheck"],
                environment: { LOG_LEVEL: "info" },
                secrets: { DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" },
            });
        });

        it("creates exactly these children, all parented to the component", () => {
            assert.deepStrictEqual(
                mocks.resources.map((r) => [r.type, r.name]).sort(),
                [
                    [component, "api"],
                    ["aws:ecs/cluster:Cluster", "api-cluster"],
                    ["aws:cloudwatch/dashboard:Dashboard", "api-dashboard"],
                    ["aws:cloudwatch/logGroup:LogGroup", "api-logs"],
                    ["aws:iam/role:Role", "api-execution"],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-execution-policy"],
                    ["aws:iam/rolePolicy:RolePolicy", "api-execution-secrets"],
                    ["aws:iam/role:Role", "api-task"],
                    ["aws:ec2/securityGroup:SecurityGroup", "api-sg"],
                    ["aws:ecs/taskDefinition:TaskDefinition", "api-task"],
                    ["aws:ecs/service:Service", "api-service"],
                ].sort(),
            );
            for (const r of mocks.resources.slice(1)) assert.match(r.parent, new RegExp(`${component}::api$`), r.name);
        });

        it("lets ECS tasks, and nothing else, assume both roles", () => {
            const trust = {
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
                ],
            };
            for (const role of mocks.ofType("aws:iam/role:Role")) {
                assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string), trust, role.name);
                assert.strictEqual(
                    role.inputs.managedPolicyArns,
                    undefined,
                    `${role.name} has no inline managed policies`,
                );
            }
        });

        it("lets tasks out to reach ECR and CloudWatch, and nothing in", () => {
            assert.deepStrictEqual(mocks.onlyOfType("aws:ec2/securityGroup:SecurityGroup").inputs, {
                vpcId: "vpc-1",
                description: "Tasks of api",
                ingress: [],
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            });
        });

        it("turns Container Insights on", () => {
            assert.deepStrictEqual(mocks.onlyOfType("aws:ecs/cluster:Cluster").inputs.settings, [
                { name: "containerInsights", value: "enabled" },
            ]);
            assert.strictEqual(mocks.onlyOfType("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
        });

        it("declares a Windows Server 2022 Core task with separate execution and task roles", () => {
            const task = mocks.onlyOfType("aws:ecs/taskDefinition:TaskDefinition").inputs;
            assert.deepStrictEqual(task.runtimePlatform, {
                operatingSystemFamily: "WINDOWS_SERVER_2022_CORE",
                cpuArchitecture: "X86_64",
            });
            assert.deepStrictEqual(task.requiresCompatibilities, ["FARGATE"]);
            assert.strictEqual(task.family, "go-windows-containers-test-api", "the family is scoped to the stack");
            assert.strictEqual(task.networkMode, "awsvpc");
            assert.strictEqual(task.cpu, "1024");
            assert.strictEqual(task.memory, "2048");
            assert.match(String(task.executionRoleArn), /api-execution$/);
            assert.match(String(task.taskRoleArn), /api-task$/);
            assert.notStrictEqual(task.executionRoleArn, task.taskRoleArn);
        });

        it("runs the image by digest with port, logs, health check, environment and secrets by reference", () => {
            const [container] = JSON.parse(
                mocks.onlyOfType("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions as string,
            );
            assert.deepStrictEqual(container, {
                name: "app",
                image: imageRef,
                essential: true,
                cpu: 1024,
                memory: 2048,
                portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
                environment: [{ name: "LOG_LEVEL", value: "info" }],
                secrets: [
                    { name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" },
                ],
                logConfiguration: {
                    logDriver: "awslogs",
                    options: {
                        "awslogs-group": autoNamedAs("aws:cloudwatch/logGroup:LogGroup", "api-logs"),
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "app",
                    },
                },
                healthCheck: {
                    command: ["CMD", "C:\\app\\hello.exe", "healthcheck"],
                    interval: 30,
                    timeout: 5,
                    retries: 3,
                    startPeriod: 120,
                },
            });
        });

        it("lets only the execution role read the secrets it is given", () => {
            const policy = JSON.parse(mocks.onlyOfType("aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
            assert.deepStrictEqual(policy.Statement[0].Resource, [
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
            ]);
            assert.deepStrictEqual(
                mocks.onlyOfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn,
                "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            );
        });

        it("runs the service on the latest Fargate platform with no public IP and no open ingress", () => {
            const svc = mocks.onlyOfType("aws:ecs/service:Service").inputs;
            assert.strictEqual(svc.launchType, "FARGATE");
            assert.strictEqual(svc.platformVersion, "LATEST");
            assert.strictEqual(svc.desiredCount, 1);
            assert.deepStrictEqual(svc.networkConfiguration, {
                subnets: ["subnet-a", "subnet-b"],
                securityGroups: ["api-sg-id"],
                assignPublicIp: false,
            });
            assert.deepStrictEqual(mocks.onlyOfType("aws:ec2/securityGroup:SecurityGroup").inputs.ingress, []);
        });

        it("rolls back a failed deployment through the circuit breaker and tags tasks from the service", () => {
            const svc = mocks.onlyOfType("aws:ecs/service:Service").inputs;
            assert.deepStrictEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.strictEqual(svc.propagateTags, "SERVICE");
        });

        it("outputs no URL without a load balancer", async () => {
            assert.strictEqual(await mocks.valueOf(service.url), undefined);
            assert.strictEqual(await mocks.valueOf(service.operatingSystemFamily), "WINDOWS_SERVER_2022_CORE");
        });
    });

    describe("with a load balancer", () => {
        let service: EcsWindowsService;
        before(async () => {
            mocks.setupMocks();
            service = await create("web", { ...base, loadBalancer: { subnetIds: ["public-a", "public-b"] } });
        });

        it("adds an ALB, two target groups checking /healthz on the task port, a listener and its rule", () => {
            const types = mocks.resources.map((r) => r.type);
            for (const t of [
                "aws:lb/loadBalancer:LoadBalancer",
                "aws:lb/targetGroup:TargetGroup",
                "aws:lb/listener:Listener",
                "aws:lb/listenerRule:ListenerRule",
            ])
                assert.ok(types.includes(t), t);
            const [tg, alt] = mocks.ofType("aws:lb/targetGroup:TargetGroup").map((r) => r.inputs);
            assert.deepStrictEqual(alt, tg, "the alternate target group is the same kind");
            assert.strictEqual(tg.targetType, "ip");
            assert.strictEqual(tg.port, 8080);
            assert.deepStrictEqual(tg.healthCheck, {
                path: "/healthz",
                matcher: "200",
                interval: 30,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            });
            const svc = mocks.onlyOfType("aws:ecs/service:Service").inputs;
            const [block] = svc.loadBalancers as Record<string, unknown>[];
            assert.deepStrictEqual(
                [block.targetGroupArn, block.containerName, block.containerPort],
                [
                    `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/${mocks.elbId()}`,
                    "app",
                    8080,
                ],
            );
            assert.strictEqual(svc.healthCheckGracePeriodSeconds, 600);
        });

        it("drops invalid headers, spreads over the given subnets, and drains targets within 30 seconds", () => {
            assert.deepStrictEqual(mocks.onlyOfType("aws:lb/loadBalancer:LoadBalancer").inputs, {
                loadBalancerType: "application",
                internal: false,
                subnets: ["public-a", "public-b"],
                securityGroups: ["web-lb-sg-id"],
                dropInvalidHeaderFields: true,
            });
            const tg = mocks.ofType("aws:lb/targetGroup:TargetGroup")[0].inputs;
            assert.deepStrictEqual([tg.protocol, tg.deregistrationDelay, tg.vpcId], ["HTTP", 30, "vpc-1"]);
            assert.deepStrictEqual(mocks.onlyOfType("aws:lb/listener:Listener").inputs, {
                loadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/${mocks.elbId()}`,
                port: 80,
                protocol: "HTTP",
                // What the production rule (every path) does not match: nothing.
                defaultActions: [
                    { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
                ],
            });
        });

        it("opens the task port to the load balancer's security group only", () => {
            const sgs = mocks.ofType("aws:ec2/securityGroup:SecurityGroup");
            const task = sgs.find((s) => s.name === "web-sg")!;
            assert.deepStrictEqual(task.inputs.ingress, [
                { protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["web-lb-sg-id"] },
            ]);
        });

        it("outputs the load balancer's URL", async () => {
            assert.strictEqual(await mocks.valueOf(service.url), "http://web-alb-123.us-east-1.elb.amazonaws.com/");
        });
    });

    describe("on EC2", () => {
        before(async () => {
            mocks.setupMocks();
            await create("batch", {
                ...base,
                capacity: "ec2",
                hostWindowsVersion: "ltsc2025",
                ec2: { instanceType: "m6i.xlarge", maxSize: 4 },
            });
        });

        it("launches ECS-optimized Windows instances from the SSM parameter of the host's release", () => {
            const call = mocks.calls.find((c) => c.token === "aws:ssm/getParameter:getParameter");
            assert.deepStrictEqual(call?.inputs, {
                name: "/aws/service/ami-windows-latest/Windows_Server-2025-English-Core-ECS_Optimized/image_id",
            });
            const lt = mocks.onlyOfType("aws:ec2/launchTemplate:LaunchTemplate").inputs;
            assert.strictEqual(lt.imageId, "ami-0123456789abcdef0");
            assert.strictEqual(lt.instanceType, "m6i.xlarge");
            assert.deepStrictEqual(lt.metadataOptions, {
                httpTokens: "required",
                httpEndpoint: "enabled",
                httpPutResponseHopLimit: 1,
            });
            const userData = Buffer.from(String(lt.userData), "base64").toString("utf8");
            assert.match(
                userData,
                new RegExp(
                    `Initialize-ECSAgent -Cluster '${autoNamedAs("aws:ecs/cluster:Cluster", "batch-cluster")}' -EnableTaskIAMRole -EnableTaskENI`,
                ),
            );
        });

        it("scales an Auto Scaling group through a capacity provider attached to the cluster", () => {
            const asg = mocks.onlyOfType("aws:autoscaling/group:Group").inputs;
            assert.deepStrictEqual([asg.minSize, asg.maxSize, asg.desiredCapacity], [1, 4, 1]);
            assert.deepStrictEqual(asg.vpcZoneIdentifiers, ["subnet-a", "subnet-b"]);
            assert.deepStrictEqual(asg.tags, [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }]);
            const cp = mocks.onlyOfType("aws:ecs/capacityProvider:CapacityProvider").inputs as {
                autoScalingGroupProvider: Record<string, unknown>;
            };
            assert.deepStrictEqual(cp.autoScalingGroupProvider.managedScaling, {
                status: "ENABLED",
                targetCapacity: 100,
            });
            const ccp = mocks.onlyOfType("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs;
            assert.deepStrictEqual(ccp.capacityProviders, [
                autoNamedAs("aws:ecs/capacityProvider:CapacityProvider", "batch-capacity"),
            ]);
        });

        it("runs EC2 tasks on the host's family with sizes on the container, through the capacity provider", () => {
            const task = mocks.onlyOfType("aws:ecs/taskDefinition:TaskDefinition").inputs;
            assert.deepStrictEqual(task.requiresCompatibilities, ["EC2"]);
            assert.strictEqual(task.cpu, undefined);
            assert.strictEqual(task.memory, undefined);
            assert.strictEqual(
                (task.runtimePlatform as { operatingSystemFamily: string }).operatingSystemFamily,
                "WINDOWS_SERVER_2025_CORE",
            );
            const svc = mocks.onlyOfType("aws:ecs/service:Service").inputs;
            assert.strictEqual(svc.launchType, undefined);
            assert.deepStrictEqual(svc.capacityProviderStrategies, [
                {
                    capacityProvider: autoNamedAs("aws:ecs/capacityProvider:CapacityProvider", "batch-capacity"),
                    weight: 1,
                },
            ]);
        });

        it("rolls the instances onto a new AMI: the group follows the template's latest version with an instance refresh", () => {
            const asg = mocks.onlyOfType("aws:autoscaling/group:Group").inputs;
            // "$Latest" would never start a refresh; the version number changes with every new template version.
            assert.deepStrictEqual(asg.launchTemplate, { id: "batch-lt-id", version: "1" });
            assert.deepStrictEqual(asg.instanceRefresh, {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: 100,
                    maxHealthyPercentage: 200,
                    instanceWarmup: "600",
                    skipMatching: true,
                },
            });
            assert.strictEqual(
                mocks.onlyOfType("aws:ec2/launchTemplate:LaunchTemplate").inputs.updateDefaultVersion,
                true,
            );
        });

        it("gives instances their own role with the ECS and SSM policies", () => {
            const attachments = mocks
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((r) => r.name.startsWith("batch-instance"));
            assert.deepStrictEqual(
                attachments.map((a) => a.inputs.policyArn),
                [
                    "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
                    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                ],
            );
        });
    });

    it("pins the AMI when asked, and then reads no SSM parameter", async () => {
        mocks.setupMocks();
        await create("pinned", { ...base, capacity: "ec2", ec2: { amiId: "ami-0fedcba9876543210" } });
        assert.strictEqual(
            mocks.onlyOfType("aws:ec2/launchTemplate:LaunchTemplate").inputs.imageId,
            "ami-0fedcba9876543210",
        );
        assert.deepStrictEqual(
            mocks.calls.filter((c) => c.token === "aws:ssm/getParameter:getParameter"),
            [],
        );
        assert.ok(
            mocks.onlyOfType("aws:autoscaling/group:Group").inputs.instanceRefresh,
            "a new pin rolls the instances",
        );
    });

    describe("with a name longer than AWS's limits", () => {
        const longName = "ecs-billing-and-invoicing-service-for-europe";
        before(async () => {
            mocks.setupMocks(false, "production-eu-west-1");
            await create(longName, {
                ...base,
                capacity: "ec2",
                loadBalancer: { subnetIds: ["public-a", "public-b"] },
            });
        });

        // What AWS auto-naming appends, and each type's physical limit.
        const limits: [string, number][] = [
            ["aws:lb/loadBalancer:LoadBalancer", 32],
            ["aws:lb/targetGroup:TargetGroup", 32],
            ["aws:iam/role:Role", 64],
            ["aws:iam/instanceProfile:InstanceProfile", 128],
            ["aws:ec2/launchTemplate:LaunchTemplate", 128],
            ["aws:ecs/capacityProvider:CapacityProvider", 255],
        ];
        for (const [type, limit] of limits) {
            it(`gives ${type.split(":").pop()} a logical name whose generated name fits ${limit} characters`, () => {
                const found = mocks.ofType(type);
                assert.ok(found.length > 0, type);
                for (const r of found) {
                    assert.ok(`${r.name}-abcdef0`.length <= limit, r.name);
                    assert.strictEqual(r.inputs.name, undefined, `${r.name} is auto-named`);
                }
            });
        }

        it("keeps the capacity provider's name off the reserved `ecs` prefix", () => {
            assert.match(mocks.onlyOfType("aws:ecs/capacityProvider:CapacityProvider").name, /^n-ecs-billing-/);
        });

        it("scopes the task family to the project and stack, within ECS's 255 characters", () => {
            assert.strictEqual(
                mocks.onlyOfType("aws:ecs/taskDefinition:TaskDefinition").inputs.family,
                `go-windows-containers-production-eu-west-1-${longName}`,
            );
        });
    });

    it("uses an existing cluster without creating one", async () => {
        mocks.setupMocks();
        const service = await create("api", {
            ...base,
            clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/shared",
        });
        assert.strictEqual(mocks.ofType("aws:ecs/cluster:Cluster").length, 0);
        assert.strictEqual(
            mocks.onlyOfType("aws:ecs/service:Service").inputs.cluster,
            "arn:aws:ecs:us-east-1:123456789012:cluster/shared",
        );
        assert.strictEqual(
            await mocks.valueOf(service.clusterArn),
            "arn:aws:ecs:us-east-1:123456789012:cluster/shared",
        );
    });

    describe("with an image index", () => {
        const index = { ...base, windowsVersion: undefined, windowsVersions: ["ltsc2019", "ltsc2022", "ltsc2025"] };

        it("runs EC2 hosts of the newest release in the index, which pull its ltsc2025 entry", async () => {
            mocks.setupMocks();
            const service = await create("api", { ...index, capacity: "ec2" });
            assert.strictEqual(await mocks.valueOf(service.operatingSystemFamily), "WINDOWS_SERVER_2025_CORE");
            assert.strictEqual(
                mocks.calls.find((c) => c.token === "aws:ssm/getParameter:getParameter")?.inputs.name,
                "/aws/service/ami-windows-latest/Windows_Server-2025-English-Core-ECS_Optimized/image_id",
            );
        });

        it("runs Fargate on the newest release Fargate offers from the index", async () => {
            mocks.setupMocks();
            const service = await create("api", index);
            assert.strictEqual(await mocks.valueOf(service.operatingSystemFamily), "WINDOWS_SERVER_2022_CORE");
        });

        it("refuses an index without the host's release before creating anything, naming it", async () => {
            mocks.setupMocks();
            assert.throws(
                () =>
                    new EcsWindowsService("api", {
                        ...index,
                        windowsVersions: ["ltsc2022", "ltsc2025"],
                        capacity: "ec2",
                        hostWindowsVersion: "ltsc2019",
                    }),
                (e: unknown) =>
                    pulumi.ResourceError.isInstance(e) &&
                    /EcsWindowsService "api": `windowsVersions` is \["ltsc2022","ltsc2025"\]; the index has no ltsc2019 image, which a Windows Server 2019 host needs/.test(
                        (e as Error).message,
                    ),
            );
            await mocks.settle();
            assert.deepStrictEqual(
                mocks.resources.filter((r) => r.type !== component),
                [],
            );
        });
    });

    it("refuses an image its host cannot run before creating anything", async () => {
        mocks.setupMocks();
        assert.throws(
            () => new EcsWindowsService("api", { ...base, windowsVersion: "ltsc2025" }),
            (e: unknown) =>
                pulumi.ResourceError.isInstance(e) &&
                /`windowsVersion` is "ltsc2025".*Fargate runs Windows Server 2019 and 2022 only/.test(
                    (e as Error).message,
                ),
        );
        await mocks.settle();
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type !== component),
            [],
        );
    });
});
