// Examples import the package by its name, as a user's program does; in the tests that name is the repository's source.
import Module from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { repoRoot } from "./files";
import * as mocks from "./mocks";

const moduleApi = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = moduleApi._resolveFilename;

/** Resolves `go-windows-containers` to `components/` of this repository from here on. */
export function usePackageFromSource(): void {
    if (moduleApi._resolveFilename !== original) return;
    moduleApi._resolveFilename = function (request: string, ...rest: unknown[]) {
        if (request === "go-windows-containers") return path.join(repoRoot, "components", "index.ts");
        return original.call(this, request, ...rest);
    };
}

/** Each example's stack config, as its Pulumi.<stack>.yaml would set it (the mocks' project is this repository's). */
export const exampleStacks: Record<string, { stack: string; config: Record<string, string> }> = {
    "aws-platform": {
        stack: "prod",
        config: {
            "go-windows-containers:vpcId": "vpc-0platform",
            "go-windows-containers:subnetIds": JSON.stringify(["subnet-private-a", "subnet-private-b"]),
            "go-windows-containers:publicSubnetIds": JSON.stringify(["subnet-public-a", "subnet-public-b"]),
            "go-windows-containers:certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/wildcard-example",
            "go-windows-containers:domain": "example.com",
            "go-windows-containers:hostedZoneId": "Z0EXAMPLE",
            "go-windows-containers:alarmTopicArn": "arn:aws:sns:us-east-1:123456789012:platform-oncall",
        },
    },
    "azure-platform": { stack: "test", config: { "go-windows-containers:resourceGroup": "rg-platform" } },
};

/** Runs an example under the mocks with its stack config, as `pulumi up` would; returns its exports' values. */
export async function runExample(name: string): Promise<Record<string, unknown>> {
    const { stack, config } = exampleStacks[name];
    mocks.setupMocks(false, stack);
    pulumi.runtime.setAllConfig(config);
    usePackageFromSource();
    const entry = require.resolve(path.join(repoRoot, "examples", name, "index"));
    delete require.cache[entry];
    const program = (await import(entry)) as Record<string, pulumi.Input<unknown>>;
    // Loaded afresh by the next run, whoever makes it.
    delete require.cache[entry];
    const exported: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) exported[key] = await mocks.valueOf(pulumi.output(value));
    await mocks.settle();
    return exported;
}
