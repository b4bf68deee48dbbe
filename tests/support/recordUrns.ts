// Records what a commit's program leaves for each of its stack files, as the engine names it:
//   npx ts-node --transpile-only tests/support/recordUrns.ts <commit> tests/fixtures/urns/<commit>.json
// The commit's index.ts, config.ts, components/, stacks/ and app/ are unpacked (git archive) into a temporary folder
// and deployed to the stand-in cloud with this tree's mocks, which compute each resource's engine URN from its parent
// chain. The fixture holds every URN, and the state (inputs and outputs) of the ECS services' resources, from which
// tests start an existing stack and update it with today's program.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { FakeCloud, FakeStack, StateEntry } from "./fakeCloud";
import { repoRoot, tempDir } from "./files";
import { UrnFixture, stackNameOf } from "./urns";

/** The config of a stack file, as the CLI hands it to a program. */
function configOf(file: string): Record<string, string> {
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    return Object.fromEntries(
        Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

/** The resources of the ECS services, whose state the upgrade tests start from. */
export const isEcsServicePart = (entry: StateEntry) => entry.urn.includes("EcsWindowsService");

/** Deploys the program at `root` for each of its stack files; returns each stack's URNs and ECS state. */
export async function recordStacks(root: string): Promise<UrnFixture["stacks"]> {
    const stacks: UrnFixture["stacks"] = {};
    const files = fs.readdirSync(path.join(root, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    for (const file of files.sort()) {
        const name = stackNameOf(file);
        const entry = require.resolve(path.join(root, "index"));
        const program = () => {
            delete require.cache[entry];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(entry);
        };
        const stack = new FakeStack(new FakeCloud(), name, configOf(path.join(root, "stacks", file)), root, program);
        const result = await stack.up();
        if (result.failures.length > 0) throw new Error(`${name}: ${result.failures.join("; ")}`);
        stacks[name] = {
            urns: stack.urns().sort(),
            state: stack.entries().filter(isEcsServicePart),
        };
    }
    return stacks;
}

async function main(commit: string, out: string): Promise<void> {
    const root = tempDir("urns");
    const archive = execFileSync("git", ["archive", commit, "index.ts", "config.ts", "components", "stacks", "app"], {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", root], { input: archive });
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
    const fixture: UrnFixture = { commit, stacks: await recordStacks(root) };
    fs.writeFileSync(out, `${JSON.stringify(fixture)}\n`);
}

if (require.main === module) {
    main(process.argv[2] ?? "HEAD", process.argv[3] ?? "/dev/stdout").then(
        () => process.exit(0),
        (e: unknown) => {
            console.error(e);
            process.exit(1);
        },
    );
}
