// When and how long the registry client waits before trying a request again: bounded exponential backoff with jitter,
// the registry's own Retry-After, and which failures are transient.

/**
 * How the registry client retries transient failures (5xx but 501 and 505, 408, 429, connection resets, timeouts).
 * The defaults bound one request to 5 attempts and at most 7.5 s of backoff (plus any Retry-After a registry asks
 * for, at most 60 s each), each attempt to 60 s.
 */
export interface RetryPolicy {
    /**
     * Attempts per request or operation, the first included.
     * @default 5
     */
    readonly attempts: number;
    /**
     * The backoff before the second attempt, in milliseconds; it doubles for each further attempt.
     * @default 500
     */
    readonly initialDelayMs: number;
    /**
     * The longest backoff between two attempts, in milliseconds.
     * @default 8000
     */
    readonly maxDelayMs: number;
    /**
     * The longest `Retry-After` honoured, in milliseconds: a registry asking for a longer wait fails the request at
     * once, with the wait it asked for in the message.
     * @default 60000
     */
    readonly maxRetryAfterMs: number;
    /**
     * How long one attempt may take, from sending to the last byte of the answer, in milliseconds.
     * @default 60000
     */
    readonly timeoutMs: number;
    /** Waits `ms` milliseconds; tests give one that records the wait and returns at once. */
    readonly sleep: (ms: number) => Promise<void>;
    /** A number in [0, 1) for the jitter; tests may fix it. */
    readonly random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
    attempts: 5,
    initialDelayMs: 500,
    maxDelayMs: 8000,
    maxRetryAfterMs: 60000,
    timeoutMs: 60000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
};

/**
 * The backoff before attempt `attempt + 1` (the first retry follows attempt 1): half of the exponential delay fixed,
 * half random ("equal jitter"), so clients that failed together spread out but every wait has a floor.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
    const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
    return Math.round(exponential / 2 + policy.random() * (exponential / 2));
}

/** A `Retry-After` header as milliseconds to wait: delta-seconds or an HTTP date; undefined if absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
    if (header === null || header === undefined) return undefined;
    const value = header.trim();
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether an HTTP status is worth another attempt: 408, 429 and 5xx other than 501 and 505 (never other 4xx). */
export function isTransientStatus(status: number): boolean {
    return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** Network error codes that say the connection broke or stalled, not that the address is wrong. */
const transientCodes = new Set([
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "ECONNABORTED",
    "EAI_AGAIN",
    "UND_ERR_SOCKET",
    "UND_ERR_CLOSED",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Whether an error thrown by `fetch` (or by reading its body) is a transient network failure: a reset or dropped
 * connection, a timeout. A refused connection or an unknown host is not: it means the address is wrong.
 */
export function isTransientNetworkError(error: unknown): boolean {
    const seen = new Set<unknown>();
    for (let e: unknown = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
        seen.add(e);
        const { name, code, message } = e as { name?: string; code?: string; message?: string };
        if (name === "TimeoutError" || (code && transientCodes.has(code))) return true;
        // undici reports a body cut short as `TypeError: terminated` caused by the socket error.
        if (name === "TypeError" && message === "terminated") return true;
    }
    return false;
}
