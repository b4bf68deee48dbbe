// The test command refuses an UPDATE_SNAPSHOTS inherited from the environment: with it every snapshot test would
// rewrite its snapshot and assert nothing, and the suite would pass whatever the code renders.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { repoRoot } from "../support/files";

/** Runs scripts/test.sh with `env` added; a run that starts the suite is stopped after 20 s and counts as one. */
function testCommand(env: Record<string, string>, args: string[] = []) {
    const result = spawnSync("bash", [path.join(repoRoot, "scripts/test.sh"), ...args], {
        env: { ...process.env, ...env },
        encoding: "utf8",
        timeout: 20000,
        killSignal: "SIGKILL",
    });
    return { status: result.status, stdout: result.stdout };
}

describe("npm test", () => {
    for (const value of ["1", "true", ""]) {
        it(`refuses to run with UPDATE_SNAPSHOTS=${JSON.stringify(value)} in the environment, saying how to rewrite them`, () => {
            const { status, stdout } = testCommand({ UPDATE_SNAPSHOTS: value });
            assert.strictEqual(status, 1, `it ran the suite instead: ${stdout.slice(0, 300)}`);
            assert.match(stdout, /UPDATE_SNAPSHOTS is set in the environment.*assert nothing/);
            assert.match(stdout, /npm run test:update-snapshots/);
            assert.match(stdout, /^0 passed, 1 failed$/m);
            assert.doesNotMatch(stdout, /typecheck/, "no step ran");
        });
    }
});
