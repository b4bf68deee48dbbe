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

    it("defaults to a rolling deployment, and to alarms and a dashboard with a load balancer", () => {
        const plain = resolveEcsServiceArgs(good);
        assert.deepStrictEqual(plain.deployment, {
            strategy: "rolling",
            canaryPercent: 10,
            canaryBakeMinutes: 10,
            linearStepPercent: 25,
            linearStepBakeMinutes: 5,
            bakeMinutes: 10,
        });
        assert.deepStrictEqual(plain.alarms, {
            targetGroupAlarms: false,
            http5xxPercent: 5,
            p99LatencySeconds: 2,
            unhealthyHosts: 1,
            evaluationMinutes: 3,
        });
        assert.strictEqual(plain.dashboard, true);
        const balanced = resolveEcsServiceArgs({ ...good, loadBalancer: { subnetIds: ["a", "b"] } });
        assert.strictEqual(balanced.alarms.targetGroupAlarms, true);
        assert.strictEqual(
            resolveEcsServiceArgs({ ...good, loadBalancer: { subnetIds: ["a", "b"] }, alarms: { enabled: false } })
                .alarms.targetGroupAlarms,
            false,
        );
    });

    it("takes each strategy's own settings with a load balancer", () => {
        const lb = { loadBalancer: { subnetIds: ["a", "b"] } };
        const canary = resolveEcsServiceArgs({
            ...good,
            ...lb,
            deployment: { strategy: "canary", canaryPercent: 0.5, canaryBakeMinutes: 0 },
        }).deployment;
        assert.deepStrictEqual([canary.strategy, canary.canaryPercent, canary.canaryBakeMinutes], ["canary", 0.5, 0]);
        const linear = resolveEcsServiceArgs({
            ...good,
            ...lb,
            deployment: { strategy: "linear", linearStepPercent: 33.3, bakeMinutes: 0 },
        }).deployment;
        assert.deepStrictEqual([linear.linearStepPercent, linear.bakeMinutes], [33.3, 0]);
        assert.strictEqual(
            resolveEcsServiceArgs({ ...good, alarms: { alarmNames: ["mine"], notifyTopicArn: "arn:aws:sns:x" } }).alarms
                .targetGroupAlarms,
            false,
            "user alarms need no load balancer",
        );
    });

    it("lets a Server 2025 EC2 host run an ltsc2022 image", () => {
        assert.strictEqual(
            resolveEcsServiceArgs({ ...good, capacity: "ec2", hostWindowsVersion: "ltsc2025" }).compatibility.verdict,
            "process",
        );
    });

    describe("with an image index (`windowsVersions`)", () => {
        const index = (windowsVersions: string[], more: Partial<EcsWindowsServiceArgs> = {}) =>
            resolveEcsServiceArgs({ ...good, windowsVersion: undefined, windowsVersions, ...more });
        const all = ["ltsc2019", "ltsc2022", "ltsc2025"];
        // [capacity, host given, index, host release, release pulled]
        const placements: [string, string | undefined, string[], string, string][] = [
            ["fargate", undefined, all, "ltsc2022", "ltsc2022"],
            ["fargate", undefined, ["ltsc2019", "ltsc2025"], "ltsc2019", "ltsc2019"],
            ["ec2", undefined, all, "ltsc2025", "ltsc2025"],
            ["ec2", undefined, ["ltsc2019", "ltsc2022"], "ltsc2022", "ltsc2022"],
            ["ec2", "ltsc2025", ["ltsc2019", "ltsc2022"], "ltsc2025", "ltsc2022"],
            ["ec2", "ltsc2022", all, "ltsc2022", "ltsc2022"],
            ["ec2", "ltsc2019", all, "ltsc2019", "ltsc2019"],
        ];
        for (const [capacity, host, releases, hostRelease, pulled] of placements) {
            it(`${capacity}${host ? ` on ${host}` : ""}, index of ${releases.join(", ")}: a ${hostRelease} host pulls ${pulled}`, () => {
                const r = index(releases, { capacity, hostWindowsVersion: host });
                assert.deepStrictEqual(
                    [r.hostWindowsVersion, r.imageWindowsVersion, r.compatibility.verdict],
                    [hostRelease, pulled, "process"],
                );
                assert.match(r.compatibility.message, new RegExp(`pulls the index's ${pulled} image`));
            });
        }

        it("keeps `windowsVersion` as the release of a single image", () => {
            assert.strictEqual(resolveEcsServiceArgs(good).imageWindowsVersion, "ltsc2022");
        });

        const refusals: [string, Partial<EcsWindowsServiceArgs>, string, RegExp][] = [
            [
                "an index Fargate has no release for",
                { windowsVersions: ["ltsc2025"] },
                "windowsVersions",
                /\["ltsc2025"\]; the index has no ltsc2022 or ltsc2019 image, which Fargate needs/,
            ],
            [
                "an index without the Server 2022 host's release",
                { windowsVersions: ["ltsc2019", "ltsc2025"], capacity: "ec2", hostWindowsVersion: "ltsc2022" },
                "windowsVersions",
                /the index has no ltsc2022 image, which a Windows Server 2022 host needs/,
            ],
            [
                "an index without the Server 2019 host's release",
                { windowsVersions: ["ltsc2022", "ltsc2025"], capacity: "ec2", hostWindowsVersion: "ltsc2019" },
                "windowsVersions",
                /the index has no ltsc2019 image, which a Windows Server 2019 host needs/,
            ],
            [
                "an index with nothing a Server 2025 host runs",
                { windowsVersions: ["ltsc2019"], capacity: "ec2", hostWindowsVersion: "ltsc2025" },
                "windowsVersions",
                /no ltsc2025 or ltsc2022 image, which a Windows Server 2025 host needs. Add "ltsc2025"/,
            ],
            [
                "both `windowsVersion` and `windowsVersions`",
                { windowsVersion: "ltsc2022", windowsVersions: ["ltsc2022"] },
                "windowsVersions",
                /give exactly one of them/,
            ],
            ["an empty index", { windowsVersions: [] }, "windowsVersions", /non-empty list/],
            [
                "an unknown release in the index",
                { windowsVersions: ["ltsc2022", "1809"] },
                "windowsVersions",
                /"1809" is not a release/,
            ],
            ["a release listed twice", { windowsVersions: ["ltsc2022", "ltsc2022"] }, "windowsVersions", /listed once/],
            ["neither", {}, "windowsVersion", /or `windowsVersions`/],
        ];
        for (const [what, args, argument, message] of refusals) {
            it(`rejects ${what}, naming \`${argument}\``, () =>
                expectError(
                    () => resolveEcsServiceArgs({ ...good, windowsVersion: undefined, ...args }),
                    argument,
                    message,
                ));
        }
    });

    const lb = { loadBalancer: { subnetIds: ["a", "b"] } };
    const cases: [string, Partial<EcsWindowsServiceArgs>, string, RegExp][] = [
        [
            "an unknown strategy",
            { deployment: { strategy: "recreate" } },
            "deployment.strategy",
            /rolling, canary, linear, blue-green/,
        ],
        [
            "a canary without a load balancer",
            { deployment: { strategy: "canary" } },
            "deployment.strategy",
            /needs `loadBalancer`/,
        ],
        [
            "blue-green without a load balancer",
            { deployment: { strategy: "blue-green" } },
            "deployment.strategy",
            /needs `loadBalancer`/,
        ],
        [
            "a canary percentage with linear",
            { ...lb, deployment: { strategy: "linear", canaryPercent: 5 } },
            "deployment.canaryPercent",
            /`strategy: "canary"` only/,
        ],
        [
            "a canary bake time with rolling",
            { deployment: { canaryBakeMinutes: 5 } },
            "deployment.canaryBakeMinutes",
            /`strategy: "canary"` only/,
        ],
        [
            "a linear step with canary",
            { ...lb, deployment: { strategy: "canary", linearStepPercent: 10 } },
            "deployment.linearStepPercent",
            /`strategy: "linear"` only/,
        ],
        [
            "a linear interval with blue-green",
            { ...lb, deployment: { strategy: "blue-green", linearStepBakeMinutes: 1 } },
            "deployment.linearStepBakeMinutes",
            /`strategy: "linear"` only/,
        ],
        ["a bake time with rolling", { deployment: { bakeMinutes: 5 } }, "deployment.bakeMinutes", /no bake time/],
        [
            "a canary of 0%",
            { ...lb, deployment: { strategy: "canary", canaryPercent: 0 } },
            "deployment.canaryPercent",
            /0.1 to 100/,
        ],
        [
            "a canary percentage ECS cannot take (steps of 0.1)",
            { ...lb, deployment: { strategy: "canary", canaryPercent: 12.34 } },
            "deployment.canaryPercent",
            /is 12\.34; ECS takes percentages in steps of 0\.1/,
        ],
        [
            "a linear step ECS cannot take (steps of 0.1)",
            { ...lb, deployment: { strategy: "linear", linearStepPercent: 7.25 } },
            "deployment.linearStepPercent",
            /is 7\.25; ECS takes percentages in steps of 0\.1/,
        ],
        [
            "a linear step under 3%",
            { ...lb, deployment: { strategy: "linear", linearStepPercent: 2 } },
            "deployment.linearStepPercent",
            /3 to 100/,
        ],
        [
            "a canary bake of more than a day",
            { ...lb, deployment: { strategy: "canary", canaryBakeMinutes: 1441 } },
            "deployment.canaryBakeMinutes",
            /0 to 1440/,
        ],
        [
            "a negative linear interval",
            { ...lb, deployment: { strategy: "linear", linearStepBakeMinutes: -1 } },
            "deployment.linearStepBakeMinutes",
            /0 to 1440/,
        ],
        [
            "a fractional bake time",
            { ...lb, deployment: { strategy: "blue-green", bakeMinutes: 1.5 } },
            "deployment.bakeMinutes",
            /whole number/,
        ],
        [
            "alarm thresholds without a load balancer",
            { alarms: { http5xxPercent: 1 } },
            "alarms",
            /need `loadBalancer`/,
        ],
        ["alarms turned on without a load balancer", { alarms: { enabled: true } }, "alarms", /need `loadBalancer`/],
        ["a 5xx threshold of 0%", { ...lb, alarms: { http5xxPercent: 0 } }, "alarms.http5xxPercent", /0.01 to 100/],
        [
            "a latency threshold of 0 s",
            { ...lb, alarms: { p99LatencySeconds: 0 } },
            "alarms.p99LatencySeconds",
            /0.001 to 300/,
        ],
        ["no unhealthy hosts", { ...lb, alarms: { unhealthyHosts: 0 } }, "alarms.unhealthyHosts", /1 to 1000/],
        [
            "more than an hour of evaluation",
            { ...lb, alarms: { evaluationMinutes: 61 } },
            "alarms.evaluationMinutes",
            /1 to 60/,
        ],
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
            "EC2 capacity in an existing cluster without its capacity provider, showing the ARN given",
            { capacity: "ec2", clusterArn: "arn:aws:ecs:us-east-1:1:cluster/x" },
            "clusterArn",
            /`clusterArn` is "arn:aws:ecs:us-east-1:1:cluster\/x"; EC2 tasks .* need that cluster's Windows capacity.*`capacityProviderName`/,
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
