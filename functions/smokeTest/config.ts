// The smoke test's configuration: what to request through the test listener, what counts as a pass, how long to wait.
// Shared by the Lambda (which reads it at run time) and the component (which checks it before declaring anything).

/** One request the smoke test sends to the new revision, and what it must answer. */
export interface SmokeCheck {
    /** The URL path (and query) to request with GET, starting with `/`. */
    readonly path: string;
    /**
     * The statuses that pass.
     * @default [200]
     */
    readonly statuses?: number[];
    /**
     * Text the response body must contain (the first 64 KiB of it are read).
     * @default no body check
     */
    readonly bodyIncludes?: string;
    /**
     * Seconds the whole request (connect, headers, body) may take, 1 to 60.
     * @default 5
     */
    readonly timeoutSeconds?: number;
}

/** The smoke test as ECS's hook invokes it: where the test listener is and what to check there. */
export interface SmokeTestConfig {
    /** The test listener's URL, e.g. `http://internal-app-123.us-east-1.elb.amazonaws.com:9000`. */
    readonly baseUrl: string;
    /**
     * The `Host` header (and, for HTTPS, the TLS server name) to send, for a listener rule that matches on host.
     * @default the host of `baseUrl`
     */
    readonly hostHeader?: string;
    /**
     * Extra request headers, e.g. one a test listener rule matches on. Not secret: they live in the service definition.
     * @default {}
     */
    readonly headers?: Record<string, string>;
    /** The requests to send; all must pass. */
    readonly checks: SmokeCheck[];
    /**
     * Seconds from the first attempt after which a failing test fails the deployment (ECS rolls it back), 0 to 3600.
     * Until then ECS asks again every `retryDelaySeconds`, while the new tasks warm up.
     * @default 300
     */
    readonly deadlineSeconds?: number;
    /**
     * Seconds ECS waits before asking again after a failed attempt (the hook's `callBackDelay`), 1 to 900.
     * @default 30
     */
    readonly retryDelaySeconds?: number;
    /**
     * A PEM bundle of certificate authorities to trust for an HTTPS listener with a private CA.
     * @default the runtime's public roots
     */
    readonly caCertificatePem?: string;
}

/** The configuration with its defaults decided. */
export interface ResolvedSmokeTest {
    readonly baseUrl: string;
    readonly hostHeader?: string;
    readonly headers: Record<string, string>;
    readonly checks: { path: string; statuses: number[]; bodyIncludes?: string; timeoutSeconds: number }[];
    readonly deadlineSeconds: number;
    readonly retryDelaySeconds: number;
    readonly caCertificatePem?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

const wholeNumberIn = (value: unknown, min: number, max: number) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/** Header names as HTTP defines tokens; values without line breaks (which would smuggle a second header). */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerValue = /^[^\r\n]*$/;

/** What is wrong with one check, each message naming the field as `checks[i].field`. */
function checkProblems(check: unknown, i: number): string[] {
    const at = `checks[${i}]`;
    if (!isRecord(check)) return [`\`${at}\` must be an object with a \`path\``];
    const problems: string[] = [];
    if (typeof check.path !== "string" || !/^\/[\x21-\x7e]*$/.test(check.path))
        problems.push(`\`${at}.path\` is ${JSON.stringify(check.path)}; it must be a URL path starting with \`/\``);
    if (check.statuses !== undefined) {
        const ok =
            Array.isArray(check.statuses) &&
            check.statuses.length > 0 &&
            check.statuses.every((s) => wholeNumberIn(s, 100, 599));
        if (!ok)
            problems.push(
                `\`${at}.statuses\` is ${JSON.stringify(check.statuses)}; it must be a non-empty list of HTTP statuses (100 to 599)`,
            );
    }
    if (check.bodyIncludes !== undefined && (typeof check.bodyIncludes !== "string" || check.bodyIncludes === ""))
        problems.push(`\`${at}.bodyIncludes\` is ${JSON.stringify(check.bodyIncludes)}; it must be non-empty text`);
    if (check.timeoutSeconds !== undefined && !wholeNumberIn(check.timeoutSeconds, 1, 60))
        problems.push(`\`${at}.timeoutSeconds\` is ${JSON.stringify(check.timeoutSeconds)}; it must be 1 to 60`);
    return problems;
}

/** Everything wrong with a configuration, each message naming the field, what was given and what is allowed. */
export function smokeTestConfigProblems(config: unknown): string[] {
    if (!isRecord(config)) return [`the smoke test configuration is ${JSON.stringify(config)}; it must be an object`];
    const problems: string[] = [];
    let url: URL | undefined;
    try {
        url = typeof config.baseUrl === "string" ? new URL(config.baseUrl) : undefined;
    } catch {
        url = undefined;
    }
    if (!url || !["http:", "https:"].includes(url.protocol) || url.username || url.password)
        problems.push(
            `\`baseUrl\` is ${JSON.stringify(config.baseUrl)}; it must be an http:// or https:// URL without credentials`,
        );
    if (
        config.hostHeader !== undefined &&
        (typeof config.hostHeader !== "string" || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(config.hostHeader))
    )
        problems.push(`\`hostHeader\` is ${JSON.stringify(config.hostHeader)}; it must be a host name`);
    if (config.headers !== undefined) {
        const bad = !isRecord(config.headers)
            ? [String(config.headers)]
            : Object.entries(config.headers)
                  .filter(([k, v]) => !headerName.test(k) || typeof v !== "string" || !headerValue.test(v))
                  .map(([k]) => k);
        if (bad.length > 0)
            problems.push(
                `\`headers\` has ${JSON.stringify(bad)}; each must be a header name with a one-line text value`,
            );
    }
    if (!Array.isArray(config.checks) || config.checks.length === 0)
        problems.push(`\`checks\` is ${JSON.stringify(config.checks)}; it must list at least one check`);
    else config.checks.forEach((check, i) => problems.push(...checkProblems(check, i)));
    if (config.deadlineSeconds !== undefined && !wholeNumberIn(config.deadlineSeconds, 0, 3600))
        problems.push(`\`deadlineSeconds\` is ${JSON.stringify(config.deadlineSeconds)}; it must be 0 to 3600`);
    if (config.retryDelaySeconds !== undefined && !wholeNumberIn(config.retryDelaySeconds, 1, 900))
        problems.push(`\`retryDelaySeconds\` is ${JSON.stringify(config.retryDelaySeconds)}; it must be 1 to 900`);
    if (
        config.caCertificatePem !== undefined &&
        (typeof config.caCertificatePem !== "string" ||
            !config.caCertificatePem.includes("-----BEGIN CERTIFICATE-----"))
    )
        problems.push("`caCertificatePem` must be PEM text with at least one certificate");
    return problems;
}

/** The configuration with defaults filled in; call only when `smokeTestConfigProblems` found nothing. */
export function resolveSmokeTest(config: SmokeTestConfig): ResolvedSmokeTest {
    return {
        baseUrl: config.baseUrl,
        hostHeader: config.hostHeader,
        headers: config.headers ?? {},
        checks: config.checks.map((check) => ({
            path: check.path,
            statuses: check.statuses ?? [200],
            bodyIncludes: check.bodyIncludes,
            timeoutSeconds: check.timeoutSeconds ?? 5,
        })),
        deadlineSeconds: config.deadlineSeconds ?? 300,
        retryDelaySeconds: config.retryDelaySeconds ?? 30,
        caCertificatePem: config.caCertificatePem,
    };
}
