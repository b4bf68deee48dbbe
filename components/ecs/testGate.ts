// The ECS test gate's pure pieces: the smoke-test Lambda's code, roles, policies and settings, and the lifecycle hook
// that runs it after test traffic moves to the new revision. No resources: EcsWindowsService wires them.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { SmokeTestConfig } from "../../functions/smokeTest/config";
import { smokeTestConfigProblems } from "../../functions/smokeTest/config";
import { assumeRolePolicy } from "./roles";

/** The stage the hook runs at: test traffic reaches the new revision, production traffic does not yet. */
export const smokeTestStage = "POST_TEST_TRAFFIC_SHIFT";

/** The Lambda runtime: Node.js 22, the newest the provider lists that Lambda supports without an end date soon. */
export const smokeTestRuntime = "nodejs22.x";
/** The module and export Lambda calls: `handler.js`, `exports.handler`. */
export const smokeTestHandler = "handler.handler";
/** The compiled modules the function needs: the handler and the configuration checks it imports (nothing else). */
const smokeTestModules = ["handler", "config"];

/** Where the smoke test's code is: `functions/smokeTest` beside `components/`, in the source tree and in `bin/`. */
const smokeTestDirectory = path.join(__dirname, "..", "..", "functions", "smokeTest");

/** The TypeScript compiler's one function used here, typed locally so the package's declarations need no TypeScript. */
interface Transpiler {
    transpileModule(
        input: string,
        options: { compilerOptions: Record<string, unknown>; fileName: string },
    ): { outputText: string };
}

/**
 * One module's JavaScript: the compiled file when the package is installed (`bin/functions/smokeTest/*.js`); in a
 * source checkout (tests, ts-node) the TypeScript transpiled as `tsc` compiles it, so the code tested is the code
 * shipped (a test compares the two). The source map comment is dropped: the map is not shipped.
 */
function moduleText(name: string): string {
    const compiled = path.join(smokeTestDirectory, `${name}.js`);
    const strip = (text: string) => text.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
    if (fs.existsSync(compiled)) return strip(fs.readFileSync(compiled, "utf8"));
    const source = path.join(smokeTestDirectory, `${name}.ts`);
    if (!fs.existsSync(source))
        throw new Error(`The smoke-test Lambda's code is missing: neither ${compiled} nor ${source} exists.`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as Transpiler;
    const { outputText } = ts.transpileModule(fs.readFileSync(source, "utf8"), {
        fileName: source,
        compilerOptions: { module: 1 /* CommonJS */, target: 9 /* ES2022 */, esModuleInterop: true, strict: true },
    });
    return strip(outputText);
}

/** The smoke-test Lambda's files by name (`handler.js`, `config.js`), as the deployment package holds them. */
export function smokeTestCodeFiles(): Record<string, string> {
    return Object.fromEntries(smokeTestModules.map((name) => [`${name}.js`, moduleText(name)]));
}

/** The deployment package: the modules as text, so the same package gives the same code hash on every run. */
export function smokeTestArchive(): pulumi.asset.AssetArchive {
    const files = smokeTestCodeFiles();
    return new pulumi.asset.AssetArchive(
        Object.fromEntries(Object.entries(files).map(([name, text]) => [name, new pulumi.asset.StringAsset(text)])),
    );
}

/** Problems of a smoke-test configuration, each naming the argument under `prefix` (e.g. `deployment.tests`). */
export function smokeTestProblems(prefix: string, config: unknown): string[] {
    return smokeTestConfigProblems(config).map((problem) =>
        problem.replace(/`([^`]+)`/, (_match, field: string) => `\`${prefix}.${field}\``),
    );
}

/** Lambda settings that follow from the configuration: a timeout covering the slowest check (they run side by side). */
export function smokeTestFunctionSettings(config: SmokeTestConfig): {
    runtime: string;
    handler: string;
    timeout: number;
    memorySize: number;
    reservedConcurrentExecutions: number;
} {
    const slowest = Math.max(...config.checks.map((check) => check.timeoutSeconds ?? 5));
    return {
        runtime: smokeTestRuntime,
        handler: smokeTestHandler,
        // The checks, plus start-up and the VPC network interface's first use.
        timeout: slowest + 10,
        memorySize: 128,
        // ECS invokes the hook once at a time per deployment; 2 leaves room for a rollback's hook without letting
        // the function take the account's unreserved concurrency. A throttled hook would roll the deployment back.
        reservedConcurrentExecutions: 2,
    };
}

/** The role ECS assumes to invoke the hook: trusted by ECS only. */
export function hookRoleTrustPolicy(): string {
    return assumeRolePolicy("ecs.amazonaws.com");
}

/** What that role may do: invoke this one function (the unqualified ARN ECS is given as `hookTargetArn`), nothing else. */
export function hookInvokePolicy(functionArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: functionArn }],
    });
}

/** The smoke-test function's execution role: trusted by Lambda only. */
export function smokeTestRoleTrustPolicy(): string {
    return assumeRolePolicy("lambda.amazonaws.com");
}

/**
 * The function's own permissions: write to its log group (declared by the component and set as the function's
 * `loggingConfig.logGroup`, so no `logs:CreateLogGroup`), and, because it runs in the VPC to reach an internal test
 * listener, the network-interface actions Lambda performs with the function's role (AWSLambdaVPCAccessExecutionRole's
 * EC2 actions; AWS documents that `ec2:DescribeNetworkInterfaces` works only on `*`). It reads no AWS API: the test
 * result is its return value.
 */
export function smokeTestExecutionPolicy(logGroupArn: string, inVpc: boolean): string {
    const statements: Record<string, unknown>[] = [
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn}:*`,
        },
    ];
    if (inVpc) {
        statements.push({
            Sid: "VpcNetworkInterfaces",
            Effect: "Allow",
            Action: [
                "ec2:CreateNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ],
            Resource: "*",
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The service's lifecycle hook entry (`deploymentConfiguration.lifecycleHooks[]`): ECS invokes the function with the
 * role at POST_TEST_TRAFFIC_SHIFT and passes the configuration in `hookDetails` on every invocation.
 */
export function smokeTestLifecycleHook(
    functionArn: string,
    roleArn: string,
    config: SmokeTestConfig,
): { hookTargetArn: string; roleArn: string; lifecycleStages: string[]; hookDetails: string } {
    return {
        hookTargetArn: functionArn,
        roleArn,
        lifecycleStages: [smokeTestStage],
        hookDetails: JSON.stringify({ smokeTest: config }),
    };
}
