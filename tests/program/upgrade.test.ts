// Existing stacks on an upgrade: every URN the previous version's program made (tests/fixtures/urns) is still made or
// aliased, and a stack that version deployed is updated in place by today's program in the stand-in cloud, which
// finds moved resources by their aliases as the engine does.
import * as assert from "assert";
import { FakeCloud, FakeStack, checkout } from "../support/fakeCloud";
import { tempDir } from "../support/files";
import * as mocks from "../support/mocks";
import { runProgram, stackConfig } from "../support/program";
import { aliasUrns, readUrnFixture } from "../support/urns";

const fixture = readUrnFixture("b252db9.json");
const taskDefinition = "aws:ecs/taskDefinition:TaskDefinition";

/**
 * URNs that a change of a stack file retired on purpose, with why: the engine deletes them from the state, and a
 * retained resource (retainOnDelete) leaves what it made in place.
 */
const retired: Record<string, { urn: string; why: string }[]> = {
    local: [
        {
            urn: "urn:pulumi:local::go-windows-containers::go-windows-containers:index:GoWindowsImage$docker-build:index:Image::hello-image",
            why: "the local stack builds daemonless (no Docker): a DaemonlessWindowsImage takes the docker-build image's place, whose pushed images stay (retainOnDelete)",
        },
    ],
};

describe(`stacks made by ${fixture.commit}, under today's program`, function () {
    this.timeout(120000);

    for (const [stack, recorded] of Object.entries(fixture.stacks)) {
        it(`${stack}: every old URN is still made, or aliased by a resource that is`, async () => {
            await runProgram(stackConfig(`Pulumi.${stack}.yaml`), stack);
            const made = new Set(mocks.resources.map((r) => r.urn));
            const aliased = new Set(mocks.resources.flatMap((r) => aliasUrns(r)));
            const gone = new Set((retired[stack] ?? []).map((r) => r.urn));
            const lost = recorded.urns.filter((urn) => !made.has(urn) && !aliased.has(urn) && !gone.has(urn));
            assert.deepStrictEqual(lost, []);
        });

        if (recorded.state.length === 0) continue;
        it(`${stack}: an existing stack is updated in place (nothing replaced or deleted but a new task revision)`, async () => {
            const cloud = new FakeCloud();
            const deployed = new FakeStack(cloud, stack, `Pulumi.${stack}.yaml`, checkout(tempDir(`upgrade-${stack}`)));
            deployed.seed(recorded.state);
            const result = await deployed.up();
            assert.deepStrictEqual(result.failures, []);
            const recordedNames = new Set(recorded.state.map((e) => `${e.type}::${e.name}`));
            const disruptive = result.steps.filter(
                (s) =>
                    recordedNames.has(`${s.type}::${s.name}`) &&
                    (s.op === "delete" || (s.op === "replace" && s.type !== taskDefinition)),
            );
            assert.deepStrictEqual(disruptive, []);
            const recreated = result.steps.filter(
                (s) => recordedNames.has(`${s.type}::${s.name}`) && s.op === "create",
            );
            assert.deepStrictEqual(recreated, [], "moved resources are found under their old URNs");
            assert.deepStrictEqual(
                deployed.invalidIgnorePaths,
                [],
                "every ignoreChanges path applies to the old state",
            );
        });
    }
});
