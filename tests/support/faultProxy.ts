// A fault-injecting HTTP proxy for registry tests: it forwards each request to a registry, or answers it with the fault
// its script picks (an error status, a dropped connection before or after the registry acted, a stall), and counts
// what reached the registry.
import * as http from "http";
import { AddressInfo } from "net";

/**
 * What the proxy does instead of a plain forward:
 * - `status`: answers with it (and its headers) without forwarding, as a load balancer in front of a registry does;
 * - `drop: "before"`: closes the connection without forwarding and without an answer;
 * - `drop: "after"`: forwards, then closes the connection halfway through the registry's answer (before it, for an
 *   answer without body): the registry did the work but the client never hears of it;
 * - `stall: "before"`: holds the request unanswered, not forwarded, until the client gives up or the proxy closes;
 * - `stall: "after"`: forwards it, then holds the registry's answer back: the registry acted, the client waits.
 */
export type Fault =
    | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
    | { readonly drop: "before" | "after" }
    | { readonly stall: "before" | "after" };

/** A request the proxy received, numbered from 0 in arrival order. */
export interface ProxiedRequest {
    readonly index: number;
    readonly method: string;
    readonly path: string;
    readonly authorization?: string;
    /** The size of the request's body: what a push sends. */
    readonly bodyBytes: number;
    /** The registry's status, for a request forwarded and answered. */
    status?: number;
}

/** Decides the fault for a request, or undefined to forward it. */
export type FaultScript = (request: ProxiedRequest) => Fault | undefined;

/** The running proxy: its address, what it received, injected and forwarded. */
export interface FaultProxy {
    /** `127.0.0.1:<port>`. */
    readonly host: string;
    readonly received: ProxiedRequest[];
    readonly injected: { request: ProxiedRequest; fault: Fault }[];
    /** The requests that reached the registry. */
    readonly forwarded: ProxiedRequest[];
    /** The script in force; tests may replace it between steps. */
    script: FaultScript;
    /** The writes (PUT, POST, PATCH, DELETE) that reached the registry. */
    writes(): ProxiedRequest[];
    /** The writes that changed something: those the registry answered with success. */
    effectiveWrites(): ProxiedRequest[];
    close(): Promise<void>;
}

/** Faults every `n`th request that `match`es, the first included: `every(3, fault)` fails requests 0, 3, 6, …. */
export function every(n: number, fault: Fault, match: (r: ProxiedRequest) => boolean = () => true): FaultScript {
    let matched = 0;
    return (r) => (match(r) && matched++ % n === 0 ? fault : undefined);
}

/** Faults the first `count` requests that `match` (each counted once), then forwards everything. */
export function firstMatching(count: number, fault: Fault, match: (r: ProxiedRequest) => boolean): FaultScript {
    let left = count;
    return (r) => {
        if (left > 0 && match(r)) {
            left--;
            return fault;
        }
        return undefined;
    };
}

/** Starts a proxy in front of `target` (`host:port`, plain HTTP); close it when done. */
export async function startFaultProxy(target: string, script: FaultScript = () => undefined): Promise<FaultProxy> {
    const [targetHost, targetPort] = [target.replace(/:\d+$/, ""), Number(target.split(":").pop())];
    const received: ProxiedRequest[] = [];
    const injected: { request: ProxiedRequest; fault: Fault }[] = [];
    const forwarded: ProxiedRequest[] = [];
    const stalled = new Set<http.ServerResponse>();
    const proxy: FaultProxy = {
        host: "",
        received,
        injected,
        forwarded,
        script,
        writes: () => forwarded.filter((r) => !["GET", "HEAD"].includes(r.method)),
        effectiveWrites: () => proxy.writes().filter((r) => r.status !== undefined && r.status < 300),
        close: async () => {
            for (const res of stalled) res.socket?.destroy();
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const request: ProxiedRequest = {
                index: received.length,
                method: req.method ?? "GET",
                path: req.url ?? "/",
                authorization: req.headers.authorization,
                bodyBytes: chunks.reduce((sum, chunk) => sum + chunk.length, 0),
            };
            received.push(request);
            const fault = proxy.script(request);
            if (fault) injected.push({ request, fault });
            if (fault && "status" in fault) {
                res.writeHead(fault.status, fault.headers);
                res.end(fault.body);
                return;
            }
            if (fault && "drop" in fault && fault.drop === "before") {
                res.socket?.destroy();
                return;
            }
            if (fault && "stall" in fault) stalled.add(res);
            if (fault && "stall" in fault && fault.stall === "before") return;
            forwarded.push(request);
            const upstream = http.request(
                { host: targetHost, port: targetPort, method: req.method, path: req.url, headers: req.headers },
                (answer) => {
                    request.status = answer.statusCode;
                    const body: Buffer[] = [];
                    answer.on("data", (c: Buffer) => body.push(c));
                    answer.on("end", () => {
                        const bytes = Buffer.concat(body);
                        if (fault && "stall" in fault) return;
                        if (fault && "drop" in fault) {
                            // Headers that promise the whole answer, half of it, then the connection is gone.
                            if (bytes.length === 0) {
                                res.socket?.destroy();
                                return;
                            }
                            res.writeHead(answer.statusCode ?? 502, answer.headers);
                            res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
                            return;
                        }
                        res.writeHead(answer.statusCode ?? 502, answer.headers);
                        res.end(bytes);
                    });
                },
            );
            upstream.on("error", () => res.socket?.destroy());
            upstream.end(Buffer.concat(chunks));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    (proxy as { host: string }).host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return proxy;
}
