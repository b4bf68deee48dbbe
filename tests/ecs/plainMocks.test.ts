// The ECS components under a user's own plain mocks (tests/ecs/plainMocksProgram.ts, in a fresh process so that no
// patch of the mock monitor from our own test support is in place): every output resolves, nothing hangs or throws.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { repoRoot } from "../support/files";

describe("the ECS components under plain pulumi.runtime.setMocks", function () {
    this.timeout(120000);

    it("resolve every output with default arguments, in a program of the user's own", () => {
        const run = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(__dirname, "plainMocksProgram.ts")],
            { cwd: repoRoot, encoding: "utf8", timeout: 90000 },
        );
        const lines = run.stdout.trim().split("\n");
        assert.strictEqual(run.status, 0, `${run.stdout}\n${run.stderr}`);
        assert.strictEqual(lines.at(-1), "done");
        for (const output of [
            "EcsWindowsService.serviceName",
            "EcsWindowsService.taskRoleArn",
            "EcsWindowsService.rollbackAlarmNames",
            "EcsWindowsCluster.capacityProviderName",
            "EcsWindowsCluster.autoScalingGroupName",
            "EcsApplicationLoadBalancer.listenerArn",
            "EcsApplicationLoadBalancer.url",
        ])
            assert.ok(
                lines.some((line) => line.startsWith(`${output} `)),
                `${output} resolved:\n${run.stdout}`,
            );
    });
});
