// A user's unit test of a program that uses the ECS components: plain `pulumi.runtime.setMocks` whose resources echo
// their inputs (no ARNs, no names), no patching of the mock monitor. Run in a process of its own by
// plainMocks.test.ts; prints each output of each component as `<component>.<output> <JSON>`, and `done`.
import * as pulumi from "@pulumi/pulumi";

void pulumi.runtime.setMocks(
    {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: () => ({}),
    },
    "project",
    "stack",
    false,
);

// Imported after the mocks are set, as a user's test does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { EcsApplicationLoadBalancer, EcsWindowsCluster, EcsWindowsService } = require("../../components");

async function main(): Promise<void> {
    const components: Record<string, object> = {
        EcsWindowsService: new EcsWindowsService("svc", {
            imageRef: `r@sha256:${"a".repeat(64)}`,
            windowsVersion: "ltsc2022",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
        }),
        EcsWindowsCluster: new EcsWindowsCluster("hosts", { vpcId: "vpc-1", subnetIds: ["subnet-a"] }),
        EcsApplicationLoadBalancer: new EcsApplicationLoadBalancer("edge", {
            vpcId: "vpc-1",
            subnetIds: ["public-a", "public-b"],
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        }),
    };
    for (const [component, resource] of Object.entries(components)) {
        for (const [name, output] of Object.entries(resource)) {
            if (!pulumi.Output.isInstance(output)) continue;
            const value = await new Promise((resolve) => output.apply(resolve));
            process.stdout.write(`${component}.${name} ${JSON.stringify(value) ?? "undefined"}\n`);
        }
    }
    process.stdout.write("done\n");
}

process.on("unhandledRejection", (e) => {
    process.stdout.write(`unhandled: ${(e as Error).message}\n`);
    process.exit(3);
});
// Left to end on its own: the process exits once every registration has finished.
main().catch((e: unknown) => {
    process.stdout.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
});
