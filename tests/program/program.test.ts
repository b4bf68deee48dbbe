// The program under mocks, once per stack file, with config loaded from that file; and its config errors.
import * as assert from "assert";
import { ConfigError, readProgramConfig } from "../../config";
import { runProgram, stackConfig, stackFiles } from "../support/program";
import * as mocks from "../support/mocks";

/** What each host kind adds to the resource graph, and the URL it exports. */
function assertHost(host: string, exports: Record<string, unknown>): void {
    const services = mocks.ofType("go-windows-containers:index:EcsWindowsService");
    const groups = mocks.ofType("go-windows-containers:index:WindowsContainerGroup");
    if (host === "fargate" || host === "ec2") {
        assert.deepStrictEqual(
            services.map((r) => r.name),
            ["hello"],
        );
        assert.deepStrictEqual(groups, []);
        const task = mocks.ofType("aws:ecs/taskDefinition:TaskDefinition")[0];
        const [container] = JSON.parse(task.inputs.containerDefinitions as string);
        assert.strictEqual(container.image, exports.imageRef, "the task runs the pushed digest");
        assert.deepStrictEqual(container.healthCheck.command, ["CMD", "C:\\app\\hello.exe", "healthcheck"]);
        assert.deepStrictEqual(task.inputs.requiresCompatibilities, [host === "fargate" ? "FARGATE" : "EC2"]);
        assert.strictEqual(mocks.ofType("aws:autoscaling/group:Group").length, host === "ec2" ? 1 : 0);
        assert.match(String(exports.serviceUrl), /^http:\/\/hello-alb-123\.us-east-1\.elb\.amazonaws\.com\/$/);
    } else if (host === "aci") {
        assert.deepStrictEqual(
            groups.map((r) => r.name),
            ["hello"],
        );
        assert.deepStrictEqual(services, []);
        const group = mocks.unwrapSecrets(mocks.ofType("azure-native:containerinstance:ContainerGroup")[0].inputs) as {
            containers: { image: string }[];
            imageRegistryCredentials: { server: string }[];
        };
        assert.strictEqual(group.containers[0].image, exports.imageRef);
        assert.deepStrictEqual(
            group.imageRegistryCredentials.map((c) => c.server),
            [String(exports.repositoryUrl).split("/")[0]],
        );
        const role = mocks.ofType("azure-native:authorization:RoleAssignment")[0];
        assert.strictEqual(role.inputs.scope, "helloregistry-id", "AcrPull on the image's registry");
        assert.strictEqual(exports.serviceUrl, "http://10.1.0.4:8080/", "the private address");
    } else {
        assert.deepStrictEqual([...services, ...groups], []);
        assert.strictEqual(exports.serviceUrl, undefined);
    }
}

describe("the program", () => {
    it("has a local stack", () => assert.ok(stackFiles().includes("Pulumi.local.yaml")));

    // Every stack as its file says, and every one of them with the daemonless strategy: hosts take its image (or
    // image index) as they take a cross build's.
    const runs = stackFiles().flatMap((file) => [
        { file, strategy: undefined as string | undefined },
        { file, strategy: "daemonless" },
    ]);
    for (const { file, strategy } of runs) {
        const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
        it(`deploys stack ${stack} from ${file}${strategy ? ` built ${strategy}` : ""}`, async () => {
            const strategyConfig: Record<string, string> = strategy
                ? { "go-windows-containers:strategy": strategy }
                : {};
            const config = { ...stackConfig(file), ...strategyConfig };
            const exports = await runProgram(config, stack);
            const settings = readProgramConfig((key) => config[`go-windows-containers:${key}`]);
            const component = mocks.ofType("go-windows-containers:index:GoWindowsImage");
            assert.deepStrictEqual(
                component.map((r) => r.name),
                ["hello"],
            );
            // One image, or one per release and an index of them.
            const releases = settings.image.windowsVersions ?? [settings.image.windowsVersion];
            const daemonless = settings.image.strategy === "daemonless";
            const images =
                settings.image.windowsVersions && !daemonless
                    ? releases.map((r) => `hello-${r}-image`)
                    : ["hello-image"];
            for (const name of images) {
                const image = mocks.resources.find((r) => r.name === name);
                assert.ok(image, `${name} is declared`);
                const types: Record<string, string> = {
                    cross: "docker-build:index:Image",
                    native: "docker:index/image:Image",
                    daemonless: mocks.daemonlessImageType,
                };
                assert.strictEqual(image.type, types[settings.image.strategy]);
            }
            assert.strictEqual(mocks.ofType(mocks.imageIndexType).length, settings.image.windowsVersions ? 1 : 0);
            assert.deepStrictEqual(Object.keys(exports).sort(), [
                "chaosExperimentTemplateId",
                "chaosStopAlarmName",
                "collectorImageRef",
                "imageRef",
                "repositoryUrl",
                "retainedOnDestroy",
                "serviceUrl",
                "smokeTestFunctionName",
                "smokeTestLogGroupName",
                "tag",
                "testListenerUrl",
                "windowsBuild",
                "windowsVersion",
            ]);
            assert.match(String(exports.imageRef), /@sha256:[a-f0-9]{64}$/);
            assert.strictEqual(exports.windowsVersion, releases[releases.length - 1]);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
            assertHost(settings.host.kind, exports);
        });
    }

    it("pushes the local stack to localhost:5000 with no cloud resources and no Docker: Go and a registry", async () => {
        const exports = await runProgram(stackConfig("Pulumi.local.yaml"), "local");
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type),
            ["go-windows-containers:index:GoWindowsImage", mocks.daemonlessImageType],
        );
        assert.strictEqual(exports.repositoryUrl, "localhost:5000/samples/hello");
        const image = mocks.onlyOfType(mocks.daemonlessImageType);
        assert.match(
            String((image.inputs.source as { context: string }).context),
            /^\.go-windows\/hello-[0-9a-f]{8}\/context$/,
            "the staged copy of the Go build's inputs",
        );
        assert.deepStrictEqual([image.inputs.username, image.inputs.password], [undefined, undefined]);
        assert.deepStrictEqual(mocks.calls, [], "no @pulumi/docker lookup, which needs a Docker engine");
    });

    it("creates an ECR repository when the stack asks for ecr", async () => {
        await runProgram({ "go-windows-containers:registryKind": "ecr", "aws:region": "us-east-1" }, "ecr");
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type),
            [
                "go-windows-containers:index:GoWindowsImage",
                "aws:ecr/repository:Repository",
                "aws:ecr/lifecyclePolicy:LifecyclePolicy",
                "docker-build:index:Image",
            ],
        );
    });
});

describe("readProgramConfig", () => {
    const read = (values: Record<string, string>) => () => readProgramConfig((k) => values[k]);
    const aws = { host: "fargate", vpcId: "vpc-1", subnetIds: '["subnet-a"]' };
    const cases: [string, Record<string, string>, string, RegExp][] = [
        ["an unknown host", { host: "lambda" }, "host", /"lambda"; allowed values: none, fargate, ec2, aci/],
        [
            "an unknown registry kind",
            { registryKind: "gcr" },
            "registryKind",
            /"gcr"; allowed values: existing, ecr, acr/,
        ],
        [
            "an existing registry without a server",
            { registryKind: "existing" },
            "registryServer",
            /not set.*localhost:5000/,
        ],
        [
            "ACR without a resource group",
            { registryKind: "acr", acrRegistryName: "contoso" },
            "resourceGroup",
            /resource group/,
        ],
        [
            "an ACR registry name that Azure refuses",
            { registryKind: "acr", resourceGroup: "rg", acrRegistryName: "my-registry" },
            "acrRegistryName",
            /5 to 50 letters and digits/,
        ],
        [
            "ACI with a registry other than ACR",
            { host: "aci", registryKind: "ecr" },
            "registryKind",
            /managed identity.*"acr"/,
        ],
        [
            "an unknown Windows version",
            { registryServer: "localhost:5000", windowsVersion: "2022" },
            "windowsVersion",
            /ltsc2019, ltsc2022, ltsc2025/,
        ],
        [
            "an unknown base image",
            { registryServer: "localhost:5000", baseImage: "core" },
            "baseImage",
            /nanoserver, servercore/,
        ],
        [
            "an unknown strategy",
            { registryServer: "localhost:5000", strategy: "kaniko" },
            "strategy",
            /cross, native, daemonless/,
        ],
        ["ECS without a VPC", { host: "fargate", subnetIds: '["a"]' }, "vpcId", /VPC/],
        ["ECS without subnets", { host: "ec2", vpcId: "vpc-1" }, "subnetIds", /not set.*--path 'subnetIds\[0\]'/],
        ["subnets that are not a list", { ...aws, subnetIds: "subnet-a" }, "subnetIds", /list of ids/],
        [
            "an empty load balancer subnet list",
            { ...aws, loadBalancerSubnetIds: "[]" },
            "loadBalancerSubnetIds",
            /list of ids/,
        ],
        ["a desired count that is not a number", { ...aws, desiredCount: "three" }, "desiredCount", /whole number/],
        ["fractional ECS memory", { ...aws, memory: "2048.5" }, "memory", /whole number/],
        [
            "an unknown EC2 host version",
            { ...aws, host: "ec2", hostWindowsVersion: "2025" },
            "hostWindowsVersion",
            /allowed values/,
        ],
        [
            "negative ACI memory",
            { host: "aci", resourceGroup: "rg", acrRegistryName: "contoso", memoryGb: "-1" },
            "memoryGb",
            /positive number/,
        ],
    ];
    for (const [what, values, key, message] of cases) {
        it(`rejects ${what}, naming \`${key}\``, () => {
            assert.throws(
                read(values),
                (e: unknown) =>
                    e instanceof ConfigError &&
                    e.key === key &&
                    e.message.includes(`\`${key}\``) &&
                    message.test(e.message),
            );
        });
    }

    it("defaults to build and push only, to an existing registry, ltsc2022, nanoserver and the cross strategy", () => {
        const settings = read({ registryServer: "localhost:5000" })();
        assert.deepStrictEqual(
            [
                settings.host.kind,
                settings.registry.kind,
                settings.image.windowsVersion,
                settings.image.baseImage,
                settings.image.strategy,
                settings.image.version,
            ],
            ["none", "existing", "ltsc2022", "nanoserver", "cross", "dev"],
        );
    });

    it("defaults Fargate to ECR and Server Core, which Fargate caches", () => {
        const settings = read(aws)();
        assert.ok(settings.host.kind === "fargate");
        assert.deepStrictEqual(
            [settings.registry.kind, settings.image.baseImage, settings.host.subnetIds],
            ["ecr", "servercore", ["subnet-a"]],
        );
        assert.deepStrictEqual(settings.notices, [
            "Fargate caches Windows Server Core images but not Nano Server ones: using servercore (set baseImage to change).",
        ]);
    });

    it("defaults ACI to ACR and ltsc2019, the version it documents", () => {
        const settings = read({ host: "aci", resourceGroup: "rg", acrRegistryName: "contoso" })();
        assert.deepStrictEqual(
            [settings.registry.kind, settings.image.windowsVersion, settings.image.baseImage],
            ["acr", "ltsc2019", "nanoserver"],
        );
    });

    it("reads windowsVersions as the releases of an image index, oldest first, and runs EC2 on the newest", () => {
        const settings = read({ ...aws, host: "ec2", windowsVersions: '["ltsc2025", "ltsc2019"]' })();
        assert.deepStrictEqual(
            [settings.image.windowsVersion, settings.image.windowsVersions],
            [undefined, ["ltsc2019", "ltsc2025"]],
        );
        assert.ok(settings.host.kind === "ec2");
        assert.strictEqual(settings.host.hostWindowsVersion, "ltsc2025");
    });

    it("hands an index's releases to the host, which runs the image of its own release", async () => {
        const config = { ...stackConfig("Pulumi.ec2-prod.yaml") };
        config["go-windows-containers:windowsVersions"] = '["ltsc2019", "ltsc2022"]';
        config["go-windows-containers:hostWindowsVersion"] = "ltsc2019";
        await runProgram(config, "ec2-prod");
        const service = mocks.ofType("go-windows-containers:index:EcsWindowsService")[0];
        assert.ok(service, "a Server 2019 host runs the index's ltsc2019 image");
        config["go-windows-containers:windowsVersions"] = '["ltsc2022", "ltsc2025"]';
        await assert.rejects(
            runProgram(config, "ec2-prod"),
            /no ltsc2019 image, which a Windows Server 2019 host needs/,
        );
    });

    it("defaults EC2 hosts to the image's Windows version", () => {
        const host = read({ ...aws, host: "ec2", windowsVersion: "ltsc2019" })().host;
        assert.ok(host.kind === "ec2");
        assert.strictEqual(host.hostWindowsVersion, "ltsc2019");
    });
});
