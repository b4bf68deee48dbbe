// The ECS test gate's pure pieces: the smoke-test Lambda's code, roles, policies and settings, and the lifecycle hook
// that runs it after test traffic moves to the new revision. No resources: EcsWindowsService wires them.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { SmokeCheck, SmokeTestConfig } from "../../functions/smokeTest/config";
import { smokeTestConfigProblems } from "../../functions/smokeTest/config";
import { ArgumentError, credentialLikeName, fail, missing } from "../core";
import type { EcsTestGateArgs, EcsWindowsServiceArgs } from "./args";
import { ResolvedTestListener, resolveTestListener } from "./loadBalancerArgs";
import { assumeRolePolicy } from "./roles";
import { lambdaNetworkInterfaceActions } from "./wildcardActions";

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

/** The test gate with its defaults decided: what goes into the hook's configuration, and where the test listener is. */
export interface ResolvedTestGate {
    /** The smoke test's checks; undefined with a function of the user's own and no checks. */
    readonly checks?: SmokeCheck[];
    readonly deadlineSeconds: number;
    readonly retryDelaySeconds: number;
    readonly hostHeader?: string;
    readonly headers: Record<string, string>;
    /** The user's own hook function; undefined when the component declares the smoke test. */
    readonly functionArn?: pulumi.Input<string>;
    /** The test listener of the service's own load balancer; undefined on a shared one (its owner's). */
    readonly testListener?: ResolvedTestListener;
}

/** What the gate is checked against: the deployment strategy and the service's load balancer. */
export interface TestGateContext {
    readonly strategy: string;
    /** `own`: `loadBalancer`; `shared`: `listener`; undefined: none. */
    readonly loadBalancer?: "own" | "shared";
    /** The own load balancer: internal, its listeners' ports, and whether it serves HTTPS. */
    readonly own?: { readonly internal: boolean; readonly ports: number[]; readonly https: boolean };
}

/**
 * Whether an ALB path pattern (`*` any characters, `?` one, case-sensitive) matches a request's path; the query
 * string is not part of what the pattern sees.
 */
export function pathPatternMatches(pattern: string, pathAndQuery: string): boolean {
    const path = pathAndQuery.split("?")[0];
    const expression = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${expression}$`).test(path);
}

/** The first problem `smokeTestProblems` finds, thrown as an ArgumentError naming the argument it names. */
function throwFirstProblem(problems: string[]): void {
    if (problems.length === 0) return;
    const argument = /`([^`]+)`/.exec(problems[0])?.[1] ?? "deployment.tests";
    throw new ArgumentError(argument, `${problems[0]}.`);
}

/**
 * Checks `deployment.tests` (named under `deployment.tests.`) against the strategy and the load balancer, and fills
 * in defaults. The checks and settings are checked as the smoke test itself checks its configuration.
 */
export function resolveTestGate(
    given: EcsTestGateArgs,
    service: Pick<EcsWindowsServiceArgs, "listener">,
    context: TestGateContext,
): ResolvedTestGate {
    if (context.strategy === "rolling")
        fail(
            "deployment.tests",
            "{...}",
            "a rolling deployment has no test traffic: ECS runs the test gate in canary, linear and blue-green deployments",
            'Set `deployment.strategy` to "canary", "linear" or "blue-green", or leave `deployment.tests` out.',
        );
    if (given.checks === undefined && given.functionArn === undefined)
        missing(
            "deployment.tests.checks",
            "the smoke test needs requests to send (or give `deployment.tests.functionArn`)",
        );
    for (const header of Object.keys(given.headers ?? {}))
        if (
            /^(authorization|proxy-authorization|cookie)$/i.test(header) ||
            credentialLikeName.test(header.replace(/-/g, "_"))
        )
            fail(
                `deployment.tests.headers.${header}`,
                header,
                "the smoke test's configuration is stored in plain text in the ECS service's definition (`hookDetails`), so it takes no credentials",
                "Test what answers without them, or run a function of your own (`deployment.tests.functionArn`) that reads them from Secrets Manager.",
            );
    const deadlineSeconds = given.deadlineSeconds ?? 600;
    const retryDelaySeconds = given.retryDelaySeconds ?? 30;
    throwFirstProblem(
        smokeTestProblems("deployment.tests", {
            baseUrl: "http://test-listener",
            checks: given.checks ?? [{ path: "/" }],
            deadlineSeconds,
            retryDelaySeconds,
            ...(given.hostHeader !== undefined ? { hostHeader: given.hostHeader } : {}),
            ...(given.headers !== undefined ? { headers: given.headers } : {}),
        }),
    );
    let testListener: ResolvedTestListener | undefined;
    if (context.loadBalancer === "own" && context.own) {
        testListener = resolveTestListener(
            { port: given.listenerPort, sourceCidrBlocks: given.sourceCidrBlocks },
            context.own,
            { port: "deployment.tests.listenerPort", sourceCidrBlocks: "deployment.tests.sourceCidrBlocks" },
        );
        if (context.own.https && given.hostHeader === undefined)
            missing(
                "deployment.tests.hostHeader",
                "the test listener serves HTTPS with your certificate, and the smoke test reaches it by the load " +
                    "balancer's DNS name: give the host name the certificate is for",
            );
    } else if (context.loadBalancer === "shared") {
        for (const key of ["listenerPort", "sourceCidrBlocks"] as const)
            if (given[key] !== undefined)
                fail(
                    `deployment.tests.${key}`,
                    key === "listenerPort" ? given[key] : "{...}",
                    "the shared load balancer's owner decides its test listener (`EcsApplicationLoadBalancer`'s `testListener`)",
                );
        const listener = service.listener;
        if (listener?.testListenerArn === undefined)
            missing(
                "listener.testListenerArn",
                "the test gate adds a rule on the shared load balancer's test listener",
            );
        if (listener.testListenerUrl === undefined)
            missing("listener.testListenerUrl", "the smoke test sends its requests there");
        const patterns = listener.pathPatterns;
        if (Array.isArray(patterns) && patterns.every((p): p is string => typeof p === "string"))
            (given.checks ?? []).forEach((check, i) => {
                if (!patterns.some((pattern) => pathPatternMatches(pattern, check.path)))
                    fail(
                        `deployment.tests.checks[${i}].path`,
                        check.path,
                        `the service's rule on the test listener matches only \`listener.pathPatterns\` ${JSON.stringify(patterns)}, and other paths get the listener's 404`,
                    );
            });
        if (listener.testClientSecurityGroupId === undefined && given.functionArn === undefined)
            missing(
                "listener.testClientSecurityGroupId",
                "the smoke test runs in the security group the test listener admits",
            );
    }
    return {
        checks: given.checks,
        deadlineSeconds,
        retryDelaySeconds,
        hostHeader: given.hostHeader,
        headers: given.headers ?? {},
        functionArn: given.functionArn,
        testListener,
    };
}

/**
 * The hook's configuration (`hookDetails.smokeTest`): the gate's settings, the test listener's URL and the host to
 * send. Nothing in it is secret (it is stored in the service's definition): no credentials go into checks or headers.
 * An HTTPS test listener needs a host name its certificate is for.
 */
export function smokeTestConfigFor(gate: ResolvedTestGate, baseUrl: string, serviceHost?: string): SmokeTestConfig {
    const hostHeader = gate.hostHeader ?? serviceHost;
    if (baseUrl.startsWith("https:") && hostHeader === undefined)
        throw new ArgumentError(
            "deployment.tests.hostHeader",
            "`deployment.tests.hostHeader` is missing; the test listener serves HTTPS and the service's rule names no " +
                "host, so give the host name the load balancer's certificate is for.",
        );
    return {
        baseUrl,
        ...(hostHeader !== undefined ? { hostHeader } : {}),
        ...(Object.keys(gate.headers).length > 0 ? { headers: gate.headers } : {}),
        checks: gate.checks ?? [],
        deadlineSeconds: gate.deadlineSeconds,
        retryDelaySeconds: gate.retryDelaySeconds,
    };
}

/** Lambda settings that follow from the configuration: a timeout covering the slowest check (they run side by side). */
export function smokeTestFunctionSettings(config: Pick<SmokeTestConfig, "checks">): {
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
            Action: [...lambdaNetworkInterfaceActions],
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
