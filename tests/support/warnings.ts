// console.warn captured while a function runs: a dynamic provider's log lines (retries, refused deletes).

/** Runs `fn` with console.warn captured; returns its result and the lines it logged. */
export async function captureWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const real = console.warn;
    console.warn = (line: string) => lines.push(line);
    try {
        return { result: await fn(), lines };
    } finally {
        console.warn = real;
    }
}
