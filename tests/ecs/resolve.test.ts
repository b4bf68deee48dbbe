// EcsWindowsService argument checks: one test per error, each naming the argument.
import * as assert from "assert";
import { EcsWindowsServiceArgs, resolveEcsServiceArgs } from "../../components/ecs";
import { expectArgumentError as expectError } from "../support/errors";

describe("resolveEcsServiceArgs", () => {
    const good: EcsWindowsServiceArgs = {
        imageRef: "r@sha256:0",
        windowsVersion: "ltsc2022",
        vpcId: "vpc-1",
        subnetIds: ["subnet-a"],
    };

    it("defaults to Fargate, 1 vCPU, 2 GB, port 8080, one task, 30 days of logs", () => {
        const r = resolveEcsServiceArgs(good);
        assert.deepStrictEqual(
            {
                capacity: r.capacity,
                host: r.hostWindowsVersion,
                port: r.port,
                cpu: r.cpu,
                memory: r.memory,
                count: r.desiredCount,
                logs: r.logRetentionDays,
            },
            { capacity: "fargate", host: "ltsc2022", port: 8080, cpu: 1024, memory: 2048, count: 1, logs: 30 },
        );
        assert.strictEqual(r.compatibility.verdict, "process");
    });

    it("lets a Server 2025 EC2 host run an ltsc2022 image", () => {
        assert.strictEqual(
            resolveEcsServiceArgs({ ...good, capacity: "ec2", hostWindowsVersion: "ltsc2025" }).compatibility.verdict,
            "process",
        );
    });

    const cases: [string, Partial<EcsWindowsServiceArgs>, string, RegExp][] = [
        ["an unknown image version", { windowsVersion: "2022" }, "windowsVersion", /ltsc2019, ltsc2022, ltsc2025/],
        [
            "an image Fargate cannot run",
            { windowsVersion: "ltsc2025" },
            "windowsVersion",
            /cannot run.*2019 and 2022 only.*"ltsc2022"/,
        ],
        [
            "an image older than the EC2 host",
            { windowsVersion: "ltsc2019", capacity: "ec2", hostWindowsVersion: "ltsc2022" },
            "windowsVersion",
            /Hyper-V.*ECS does not use/,
        ],
        [
            "an image newer than the EC2 host",
            { windowsVersion: "ltsc2025", capacity: "ec2", hostWindowsVersion: "ltsc2022" },
            "windowsVersion",
            /cannot run ltsc2025/,
        ],
        ["an unknown capacity", { capacity: "spot" }, "capacity", /fargate, ec2/],
        ["a host version on Fargate", { hostWindowsVersion: "ltsc2022" }, "hostWindowsVersion", /EC2 capacity only/],
        [
            "an unknown host version",
            { capacity: "ec2", hostWindowsVersion: "ltsc2016" },
            "hostWindowsVersion",
            /allowed values/,
        ],
        ["a port out of range", { port: 0 }, "port", /1 to 65535/],
        ["Fargate's reserved port", { port: 3150 }, "port", /reserves port 3150/],
        ["a cpu Fargate Windows lacks", { cpu: 512 }, "cpu", /1024, 2048 or 4096/],
        ["memory outside the cpu's range", { cpu: 2048, memory: 2048 }, "memory", /4096 to 16384/],
        ["a negative desired count", { desiredCount: -1 }, "desiredCount", /0 to 1000/],
        ["a retention CloudWatch lacks", { logRetentionDays: 10 }, "logRetentionDays", /CloudWatch Logs allows/],
        ["no subnets", { subnetIds: [] }, "subnetIds", /at least one subnet/],
        [
            "a load balancer in one subnet",
            { loadBalancer: { subnetIds: ["a"] } },
            "loadBalancer.subnetIds",
            /two Availability Zones/,
        ],
        [
            "a bad health check path",
            { loadBalancer: { subnetIds: ["a", "b"], healthCheckPath: "healthz" } },
            "loadBalancer.healthCheckPath",
            /starting with `\/`/,
        ],
        [
            "a bad listener port",
            { loadBalancer: { subnetIds: ["a", "b"], listenerPort: 70000 } },
            "loadBalancer.listenerPort",
            /1 to 65535/,
        ],
        [
            "a credential in plain environment",
            { environment: { DB_PASSWORD: "x" } },
            "environment",
            /credential.*`secrets`/,
        ],
        ["an invalid environment name", { environment: { "9X": "x" } }, "environment", /variable names/],
        ["a secret that is not an ARN", { secrets: { TOKEN: "hunter2" } }, "secrets.TOKEN", /ARN of an SSM parameter/],
        [
            "a name in both secrets and environment",
            { environment: { MODE: "a" }, secrets: { MODE: "arn:aws:ssm:us-east-1:1:parameter/m" } },
            "secrets",
            /also set in `environment`/,
        ],
        ["EC2 settings on Fargate", { ec2: { instanceType: "m5.large" } }, "ec2", /capacity: "ec2"/],
        [
            "EC2 capacity in an existing cluster",
            { capacity: "ec2", clusterArn: "arn:aws:ecs:us-east-1:1:cluster/x" },
            "clusterArn",
            /capacity providers/,
        ],
        [
            "a max below the min",
            { capacity: "ec2", ec2: { minSize: 3, maxSize: 2 } },
            "ec2.maxSize",
            /at least `ec2.minSize`/,
        ],
        [
            "a desired capacity out of range",
            { capacity: "ec2", ec2: { minSize: 1, maxSize: 2, desiredCapacity: 5 } },
            "ec2.desiredCapacity",
            /1 to 2/,
        ],
        ["a bad instance type", { capacity: "ec2", ec2: { instanceType: "large" } }, "ec2.instanceType", /m5\.large/],
        ["a bad AMI id", { capacity: "ec2", ec2: { amiId: "ubuntu" } }, "ec2.amiId", /AMI id such as/],
    ];
    for (const [what, args, argument, message] of cases) {
        it(`rejects ${what}, naming \`${argument}\``, () =>
            expectError(() => resolveEcsServiceArgs({ ...good, ...args }), argument, message));
    }
});
