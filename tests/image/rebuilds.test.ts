// What decides a rebuild: only what the Go build reads. Each change a user makes is run through GoWindowsImage, and
// the tag and every input the build provider compares (its own context hash included) are checked before and after.
import * as assert from "assert";
import { GoWindowsImageArgs } from "../../components";
import { beforeAndAfter, perturbations } from "../support/perturbations";

const strategies: [string, Partial<GoWindowsImageArgs>][] = [
    ["", {}],
    [" (daemonless)", { strategy: "daemonless" }],
];

describe("rebuilds", function () {
    this.timeout(60000);

    for (const [strategy, extra] of strategies) {
        for (const perturbation of perturbations) {
            if (extra.strategy === "daemonless" && perturbation.notDaemonless) continue;
            if (perturbation.expect === "same") {
                it(`nothing changes for the build provider after ${perturbation.what}${strategy}`, async () => {
                    const { before, after } = await beforeAndAfter(perturbation, extra);
                    assert.strictEqual(after.tag, before.tag, "the tag");
                    assert.strictEqual(after.inputs, before.inputs, "the build resource's inputs");
                    assert.strictEqual(
                        after.providerContextHash,
                        before.providerContextHash,
                        "docker-build's context hash",
                    );
                });
            } else {
                it(`the tag changes after ${perturbation.what}${strategy}`, async () => {
                    const { before, after } = await beforeAndAfter(perturbation, extra);
                    assert.notStrictEqual(after.tag, before.tag);
                    assert.notStrictEqual(after.inputs, before.inputs, "the build resource updates");
                });
            }
        }
    }
});
