// The smoke-test Lambda ECS runs as a deployment lifecycle hook (POST_TEST_TRAFFIC_SHIFT): it requests the paths the
// user listed from the new revision through the test listener and answers SUCCEEDED, IN_PROGRESS (ask again after
// `callBackDelay` seconds while the new tasks warm up) or, past the deadline, FAILED, which rolls the deployment back.
// Node's own http/https only: the code ships as one serialized module with no dependencies.
import { request as httpRequest } from "http";
import { request as httpsRequest } from "https";
import { ResolvedSmokeTest, SmokeTestConfig, resolveSmokeTest, smokeTestConfigProblems } from "./config";

/** What ECS returns to know how to go on (see "Lambda hooks for Amazon ECS service deployments"). */
export interface HookResponse {
    readonly hookStatus: "SUCCEEDED" | "FAILED" | "IN_PROGRESS";
    /** Seconds before ECS invokes the hook again (IN_PROGRESS only; ECS's default is 30). */
    readonly callBackDelay?: number;
    /** Passed back to the next invocation: the configuration plus this test's progress. */
    readonly hookDetails?: Record<string, unknown>;
}

/** The outcome of one request. */
export interface CheckResult {
    readonly path: string;
    readonly passed: boolean;
    readonly status?: number;
    readonly milliseconds: number;
    /** Why it failed, in words. */
    readonly problem?: string;
}

/** Progress kept between invocations in `hookDetails` (ECS hands back what an IN_PROGRESS answer returned). */
interface SmokeTestState {
    /** When the first attempt started, in milliseconds since the epoch. */
    readonly firstAttemptAt: number;
    readonly attempts: number;
}

/** The key under `hookDetails` that holds the configuration, and the one that holds the progress. */
export const configKey = "smokeTest";
export const stateKey = "smokeTestState";
/** The environment variable holding the configuration as JSON when `hookDetails` carries none. */
export const configVariable = "SMOKE_TEST_CONFIG";
/** How much of a response body is read for `bodyIncludes`. */
export const bodyLimitBytes = 64 * 1024;

const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/** `hookDetails` as an object: ECS's API takes it as JSON text, so accept text as well as an object. */
function hookDetailsOf(event: Record<string, unknown>): Record<string, unknown> {
    const details = event.hookDetails;
    if (typeof details === "string") {
        try {
            const parsed: unknown = JSON.parse(details);
            return isRecord(parsed) ? parsed : {};
        } catch {
            return {};
        }
    }
    return isRecord(details) ? details : {};
}

/** The configuration from `hookDetails.smokeTest`, else from the SMOKE_TEST_CONFIG variable; a problem otherwise. */
function configOf(
    details: Record<string, unknown>,
    env: Readonly<Record<string, string | undefined>>,
): { config?: ResolvedSmokeTest; problem?: string } {
    let given: unknown = details[configKey];
    if (given === undefined) {
        const text = env[configVariable];
        if (text === undefined)
            return { problem: `no configuration: neither \`hookDetails.${configKey}\` nor ${configVariable} is set` };
        try {
            given = JSON.parse(text);
        } catch (e) {
            return { problem: `${configVariable} is not JSON: ${(e as Error).message}` };
        }
    }
    const problems = smokeTestConfigProblems(given);
    if (problems.length > 0) return { problem: problems.join("; ") };
    return { config: resolveSmokeTest(given as SmokeTestConfig) };
}

function stateOf(details: Record<string, unknown>): SmokeTestState | undefined {
    const state = details[stateKey];
    if (!isRecord(state) || typeof state.firstAttemptAt !== "number" || typeof state.attempts !== "number")
        return undefined;
    return { firstAttemptAt: state.firstAttemptAt, attempts: state.attempts };
}

/** One GET through the test listener, judged by status and body, abandoned after the check's time limit. */
export function probe(
    config: ResolvedSmokeTest,
    check: ResolvedSmokeTest["checks"][number],
    now: () => number,
): Promise<CheckResult> {
    return new Promise((resolve) => {
        const started = now();
        const url = new URL(check.path, config.baseUrl);
        const host = config.hostHeader;
        const headers: Record<string, string> = { ...config.headers, "user-agent": "ecs-smoke-test" };
        if (host) headers.host = host;
        const options = {
            method: "GET",
            headers,
            agent: false as const,
            // For HTTPS, Node takes the TLS server name (and the name the certificate must match) from the Host header.
            ...(url.protocol === "https:" ? { ca: config.caCertificatePem } : {}),
        };
        let settled = false;
        const finish = (outcome: { status?: number; problem?: string }) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            request.destroy();
            resolve({
                path: check.path,
                passed: outcome.problem === undefined,
                milliseconds: now() - started,
                ...outcome,
            });
        };
        const timer = setTimeout(
            () => finish({ problem: `no complete answer within ${check.timeoutSeconds} s` }),
            check.timeoutSeconds * 1000,
        );
        const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, options, (response) => {
            const status = response.statusCode ?? 0;
            const chunks: Buffer[] = [];
            let size = 0;
            const judge = () => {
                if (!check.statuses.includes(status))
                    return finish({ status, problem: `answered ${status}, expected ${check.statuses.join(" or ")}` });
                const body = Buffer.concat(chunks).subarray(0, bodyLimitBytes).toString("utf8");
                if (check.bodyIncludes !== undefined && !body.includes(check.bodyIncludes))
                    return finish({
                        status,
                        problem: `the body does not contain ${JSON.stringify(check.bodyIncludes)}`,
                    });
                finish({ status });
            };
            response.on("data", (chunk: Buffer) => {
                chunks.push(chunk);
                size += chunk.length;
                if (size >= bodyLimitBytes) judge();
            });
            response.on("end", judge);
            response.on("error", (e: Error) => finish({ status, problem: `the answer broke off: ${e.message}` }));
        });
        request.on("error", (e: Error) => finish({ problem: e.message }));
        request.end();
    });
}

/** The hook's decision for one invocation, with the configuration, state and clock passed in. */
export async function runSmokeTest(
    event: unknown,
    env: Readonly<Record<string, string | undefined>>,
    now: () => number,
): Promise<HookResponse> {
    if (!isRecord(event)) {
        log({ outcome: "FAILED", problem: `the event is ${JSON.stringify(event)}, not an ECS lifecycle hook payload` });
        return { hookStatus: "FAILED" };
    }
    const details = hookDetailsOf(event);
    const { config, problem } = configOf(details, env);
    if (!config) {
        // Without a usable configuration nothing can vouch for the new revision: roll it back.
        log({ outcome: "FAILED", lifecycleStage: event.lifecycleStage, problem });
        return { hookStatus: "FAILED" };
    }
    const started = now();
    const state = stateOf(details) ?? { firstAttemptAt: started, attempts: 0 };
    const results = await Promise.all(config.checks.map((check) => probe(config, check, now)));
    const attempt = state.attempts + 1;
    const record = { lifecycleStage: event.lifecycleStage, attempt, results };
    if (results.every((r) => r.passed)) {
        log({ outcome: "SUCCEEDED", ...record });
        return { hookStatus: "SUCCEEDED" };
    }
    const deadline = state.firstAttemptAt + config.deadlineSeconds * 1000;
    if (now() + config.retryDelaySeconds * 1000 > deadline) {
        log({
            outcome: "FAILED",
            ...record,
            problem: `still failing ${config.deadlineSeconds} s after the first attempt`,
        });
        return { hookStatus: "FAILED" };
    }
    log({ outcome: "IN_PROGRESS", ...record });
    return {
        hookStatus: "IN_PROGRESS",
        callBackDelay: config.retryDelaySeconds,
        hookDetails: { ...details, [stateKey]: { firstAttemptAt: state.firstAttemptAt, attempts: attempt } },
    };
}

/** One JSON line per invocation in the function's CloudWatch log. */
function log(entry: Record<string, unknown>): void {
    console.log(JSON.stringify({ smokeTest: entry }));
}

/** The Lambda entry point: configuration from the event or the environment, the real clock. */
export async function handler(event: unknown): Promise<HookResponse> {
    return runSmokeTest(event, process.env, Date.now);
}
