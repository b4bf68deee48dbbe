// Every stack's hosts in one account and region: the physical names they ask for themselves never collide.
import * as assert from "assert";
import * as mocks from "../support/mocks";
import { runProgram, stackConfig, stackFiles } from "../support/program";

/** Inputs that carry a physical name the provider would otherwise generate. */
const nameInputs = [
    "name",
    "family",
    "dashboardName",
    "containerGroupName",
    "workspaceName",
    "resourceName",
    "ruleName",
];

/** The physical names the host components' children ask for, as `type name`. */
function hostPhysicalNames(): string[] {
    const hostChildren = mocks.resources.filter((r) =>
        /^(aws:(ecs|iam|ec2|lb|autoscaling|cloudwatch|sns)|azure-native:(containerinstance|managedidentity|operationalinsights|monitor|authorization))/.test(
            r.type,
        ),
    );
    return hostChildren.flatMap((r) =>
        nameInputs.filter((key) => typeof r.inputs[key] === "string").map((key) => `${r.type} ${r.inputs[key]}`),
    );
}

describe("physical names of the hosts across stacks", () => {
    const byStack = new Map<string, string[]>();
    before(async () => {
        for (const file of stackFiles()) {
            const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
            await runProgram(stackConfig(file), stack);
            byStack.set(stack, hostPhysicalNames());
        }
    });

    it("asks for names only where the provider cannot generate one (the task family)", () => {
        for (const [stack, names] of byStack) {
            for (const name of names)
                assert.match(name, /^aws:ecs\/taskDefinition:TaskDefinition |^aws:cloudwatch\/dashboard/, stack);
        }
        assert.ok(byStack.get("fargate-dev")?.some((n) => n.startsWith("aws:ecs/taskDefinition")));
    });

    it("never asks two stacks for the same physical name", () => {
        const owners = new Map<string, string>();
        for (const [stack, names] of byStack) {
            for (const name of names) {
                assert.strictEqual(
                    owners.get(name),
                    undefined,
                    `${name} is asked for by ${owners.get(name)} and ${stack}`,
                );
                owners.set(name, stack);
            }
        }
    });
});
