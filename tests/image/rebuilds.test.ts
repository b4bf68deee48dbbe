// What decides a rebuild: only what the Go build reads. Each change a user makes is run through GoWindowsImage, and
// the tag and every input the build provider compares (its own context hash included) are checked before and after.
import * as assert from "assert";
import { beforeAndAfter, perturbations } from "../support/perturbations";

describe("rebuilds", function () {
    this.timeout(60000);

    for (const perturbation of perturbations) {
        if (perturbation.expect === "same") {
            it(`nothing changes for the build provider after ${perturbation.what}`, async () => {
                const { before, after } = await beforeAndAfter(perturbation);
                assert.strictEqual(after.tag, before.tag, "the tag");
                assert.strictEqual(after.inputs, before.inputs, "docker-build's inputs");
                assert.strictEqual(
                    after.providerContextHash,
                    before.providerContextHash,
                    "docker-build's context hash",
                );
            });
        } else {
            it(`the tag changes after ${perturbation.what}`, async () => {
                const { before, after } = await beforeAndAfter(perturbation);
                assert.notStrictEqual(after.tag, before.tag);
                assert.notStrictEqual(after.inputs, before.inputs, "docker-build rebuilds");
            });
        }
    }
});
