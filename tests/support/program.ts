// Runs the program (index.ts) under the mocks with a stack file's config, as `pulumi up` would.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { repoRoot } from "./files";
import * as mocks from "./mocks";

export const stacksDir = path.join(repoRoot, "stacks");

/** Loads a stack file's config the way the CLI hands it to a program. */
export function stackConfig(file: string): Record<string, string> {
    const doc = parse(fs.readFileSync(path.join(stacksDir, file), "utf8")) as { config?: Record<string, unknown> };
    return Object.fromEntries(
        Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

/** Runs index.ts as `pulumi up` would, with the given config; returns its exports once resolved. */
export async function runProgram(
    config: Record<string, string>,
    stack: string,
    programRoot = repoRoot,
): Promise<Record<string, unknown>> {
    mocks.setupMocks(false, stack);
    pulumi.runtime.setAllConfig(config);
    const entry = require.resolve(path.join(programRoot, "index"));
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(entry) as Record<string, pulumi.Input<unknown>>;
    const values: Record<string, unknown> = {};
    // Plain exports (the image's Windows release) as they are, Outputs once they resolve.
    for (const [key, output] of Object.entries(program)) values[key] = await mocks.valueOf(pulumi.output(output));
    await mocks.settle();
    return values;
}

/** The stack files in stacks/. */
export function stackFiles(): string[] {
    return fs.readdirSync(stacksDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
}
