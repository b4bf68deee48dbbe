// The smoke-test Lambda against real HTTP servers on this machine: answers, wrong statuses, bodies, time limits,
// retries with callBackDelay fed back as ECS does, the deadline, HTTPS with a private CA, and malformed events.
import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import {
    HookResponse,
    bodyLimitBytes,
    configVariable,
    handler,
    runSmokeTest,
    smokeTestConfigProblems,
    stateKey,
} from "../../functions/smokeTest";
import type { SmokeTestConfig } from "../../functions/smokeTest";
import { selfSignedCertificate } from "../support/certificates";

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface TestServer {
    url: string;
    port: number;
    /** Requests received, in order: path, Host header and all headers. */
    requests: { path: string; host?: string; headers: http.IncomingHttpHeaders }[];
    close: () => Promise<void>;
}

/** Starts a server on 127.0.0.1 answering each path with its route (404 for others). */
async function serve(routes: Record<string, Route>, tls?: { key: string; cert: string }): Promise<TestServer> {
    const requests: TestServer["requests"] = [];
    const sockets = new Set<import("net").Socket>();
    const listener: http.RequestListener = (req, res) => {
        requests.push({ path: req.url ?? "", host: req.headers.host, headers: req.headers });
        const route = routes[req.url ?? ""];
        if (route) route(req, res);
        else res.writeHead(404).end("not found");
    };
    const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
        port,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}

const ok: Route = (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
const status =
    (code: number, body = ""): Route =>
    (_req, res) =>
        res.writeHead(code).end(body);
/** Accepts the request and never answers. */
const silent: Route = () => undefined;

/** Runs `fn` with console.log captured; returns what it logged, parsed, and its result. */
async function logged<T>(fn: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
    const original = console.log;
    const lines: Record<string, unknown>[] = [];
    console.log = (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>);
    try {
        return { result: await fn(), lines };
    } finally {
        console.log = original;
    }
}

/** An ECS lifecycle hook payload carrying the configuration in hookDetails, as the service's hook declares it. */
function hookEvent(config: SmokeTestConfig | Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return {
        executionDetails: {
            serviceArn: "arn:aws:ecs:us-east-1:123456789012:service/prod/api",
            targetServiceRevisionArn: "arn:aws:ecs:us-east-1:123456789012:service-revision/prod/api/2",
            testTrafficWeights: { "arn:aws:ecs:us-east-1:123456789012:service-revision/prod/api/2": 100 },
        },
        lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
        hookDetails: { smokeTest: config, ...extra },
    };
}

const noEnv = {};

describe("smoke-test Lambda", function () {
    this.timeout(20000);
    let server: TestServer;
    afterEach(async () => server?.close());

    describe("answers", () => {
        it("SUCCEEDED when every path answers an expected status and body", async () => {
            server = await serve({ "/healthz": ok, "/": status(200, "hello from a Go service") });
            const config = {
                baseUrl: server.url,
                checks: [{ path: "/healthz" }, { path: "/", bodyIncludes: "hello" }],
            };
            const { result, lines } = await logged(() => runSmokeTest(hookEvent(config), noEnv, Date.now));
            assert.deepStrictEqual(result, { hookStatus: "SUCCEEDED" });
            assert.deepStrictEqual(server.requests.map((r) => r.path).sort(), ["/", "/healthz"]);
            const entry = lines[0].smokeTest as { outcome: string; lifecycleStage: string; results: unknown[] };
            assert.strictEqual(entry.outcome, "SUCCEEDED");
            assert.strictEqual(entry.lifecycleStage, "POST_TEST_TRAFFIC_SHIFT");
            assert.strictEqual(entry.results.length, 2);
        });

        it("asks again (IN_PROGRESS with callBackDelay) on a wrong status before the deadline", async () => {
            server = await serve({ "/healthz": status(503, "warming up") });
            const config = { baseUrl: server.url, checks: [{ path: "/healthz" }], retryDelaySeconds: 15 };
            const { result, lines } = await logged(() => runSmokeTest(hookEvent(config), noEnv, () => 1_000_000));
            assert.strictEqual(result.hookStatus, "IN_PROGRESS");
            assert.strictEqual(result.callBackDelay, 15);
            assert.deepStrictEqual(result.hookDetails, {
                smokeTest: config,
                [stateKey]: { firstAttemptAt: 1_000_000, attempts: 1 },
            });
            const entry = lines[0].smokeTest as { results: { problem: string; status: number }[] };
            assert.strictEqual(entry.results[0].status, 503);
            assert.strictEqual(entry.results[0].problem, "answered 503, expected 200");
        });

        it("accepts the statuses listed, and does not follow redirects", async () => {
            server = await serve({
                "/old": (_req, res) => res.writeHead(302, { location: "/healthz" }).end(),
                "/healthz": ok,
            });
            const strict = { baseUrl: server.url, checks: [{ path: "/old" }], deadlineSeconds: 0 };
            assert.strictEqual(
                (await logged(() => runSmokeTest(hookEvent(strict), noEnv, Date.now))).result.hookStatus,
                "FAILED",
            );
            assert.deepStrictEqual(
                server.requests.map((r) => r.path),
                ["/old"],
            );
            const lenient = { ...strict, checks: [{ path: "/old", statuses: [301, 302] }] };
            assert.strictEqual(
                (await logged(() => runSmokeTest(hookEvent(lenient), noEnv, Date.now))).result.hookStatus,
                "SUCCEEDED",
            );
        });

        it("fails a body that lacks the expected text, reading at most 64 KiB of it", async () => {
            const big = "x".repeat(bodyLimitBytes) + "MARKER";
            server = await serve({
                "/small": status(200, "version 1.2.3"),
                "/big": status(200, big),
                "/endless": (_req, res) => {
                    res.writeHead(200);
                    const timer = setInterval(() => res.write("y".repeat(8192)), 1);
                    res.on("close", () => clearInterval(timer));
                },
            });
            const check = (p: string, text: string) => ({
                baseUrl: server.url,
                checks: [{ path: p, bodyIncludes: text, timeoutSeconds: 5 }],
                deadlineSeconds: 0,
            });
            const outcome = async (config: SmokeTestConfig) =>
                (await logged(() => runSmokeTest(hookEvent(config), noEnv, Date.now))).result.hookStatus;
            assert.strictEqual(await outcome(check("/small", "1.2.3")), "SUCCEEDED");
            assert.strictEqual(await outcome(check("/small", "2.0.0")), "FAILED");
            assert.strictEqual(await outcome(check("/big", "xxxx")), "SUCCEEDED");
            assert.strictEqual(await outcome(check("/big", "MARKER")), "FAILED");
            const started = Date.now();
            assert.strictEqual(await outcome(check("/endless", "yyyy")), "SUCCEEDED");
            assert.ok(Date.now() - started < 4000, "an endless body is judged at the limit, not at the timeout");
        });

        it("sends the Host header and the extra headers a test listener rule matches on", async () => {
            server = await serve({ "/healthz": ok });
            const config = {
                baseUrl: server.url,
                hostHeader: "api.example.com",
                headers: { "x-release-test": "canary" },
                checks: [{ path: "/healthz" }],
            };
            await logged(() => runSmokeTest(hookEvent(config), noEnv, Date.now));
            assert.strictEqual(server.requests[0].host, "api.example.com");
            assert.strictEqual(server.requests[0].headers["x-release-test"], "canary");
        });

        it("reaches an HTTPS listener by its host name with a private CA, and refuses it without the CA", async () => {
            const files = selfSignedCertificate("DNS:api.example.com");
            const cert = fs.readFileSync(files.cert, "utf8");
            server = await serve({ "/healthz": ok }, { key: fs.readFileSync(files.key, "utf8"), cert });
            const base = {
                baseUrl: server.url,
                hostHeader: "api.example.com",
                checks: [{ path: "/healthz" }],
                deadlineSeconds: 0,
            };
            const trusted = await logged(() =>
                runSmokeTest(hookEvent({ ...base, caCertificatePem: cert }), noEnv, Date.now),
            );
            assert.strictEqual(trusted.result.hookStatus, "SUCCEEDED");
            const untrusted = await logged(() => runSmokeTest(hookEvent(base), noEnv, Date.now));
            assert.strictEqual(untrusted.result.hookStatus, "FAILED");
            const problem = (untrusted.lines[0].smokeTest as { results: { problem: string }[] }).results[0].problem;
            assert.match(problem, /self.signed|certificate/i);
            const wrongName = await logged(() =>
                runSmokeTest(
                    hookEvent({ ...base, hostHeader: "other.example.com", caCertificatePem: cert }),
                    noEnv,
                    Date.now,
                ),
            );
            assert.strictEqual(wrongName.result.hookStatus, "FAILED", "the certificate must match the host name");
        });
    });

    describe("time limits", () => {
        it("gives up on a server that never answers after the check's time limit", async () => {
            server = await serve({ "/hang": silent });
            const config = { baseUrl: server.url, checks: [{ path: "/hang", timeoutSeconds: 1 }], deadlineSeconds: 0 };
            const started = Date.now();
            const { result, lines } = await logged(() => runSmokeTest(hookEvent(config), noEnv, Date.now));
            const took = Date.now() - started;
            assert.strictEqual(result.hookStatus, "FAILED");
            assert.ok(took >= 950 && took < 2500, `took ${took} ms`);
            const entry = lines[0].smokeTest as { results: { problem: string }[] };
            assert.strictEqual(entry.results[0].problem, "no complete answer within 1 s");
        });

        it("gives up on an answer whose body never ends", async () => {
            server = await serve({ "/drip": (_req, res) => res.writeHead(200).write("o") });
            const config = {
                baseUrl: server.url,
                checks: [{ path: "/drip", bodyIncludes: "ok", timeoutSeconds: 1 }],
                deadlineSeconds: 0,
            };
            const { result, lines } = await logged(() => runSmokeTest(hookEvent(config), noEnv, Date.now));
            assert.strictEqual(result.hookStatus, "FAILED");
            assert.match((lines[0].smokeTest as { results: { problem: string }[] }).results[0].problem, /within 1 s/);
        });

        it("runs the checks side by side, so one invocation lasts as long as the slowest check", async () => {
            server = await serve({ "/a": silent, "/b": silent, "/c": silent });
            const config = {
                baseUrl: server.url,
                checks: ["/a", "/b", "/c"].map((p) => ({ path: p, timeoutSeconds: 1 })),
                deadlineSeconds: 0,
            };
            const started = Date.now();
            await logged(() => runSmokeTest(hookEvent(config), noEnv, Date.now));
            assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
        });

        it("reports a refused connection", async () => {
            server = await serve({});
            const url = server.url;
            await server.close();
            const config = { baseUrl: url, checks: [{ path: "/healthz" }], deadlineSeconds: 0 };
            const { result, lines } = await logged(() => runSmokeTest(hookEvent(config), noEnv, Date.now));
            assert.strictEqual(result.hookStatus, "FAILED");
            assert.match((lines[0].smokeTest as { results: { problem: string }[] }).results[0].problem, /ECONNREFUSED/);
        });
    });

    describe("retries and the deadline, as ECS calls the hook", () => {
        /** Calls the hook as ECS does: each IN_PROGRESS answer's hookDetails go into the next call, after callBackDelay. */
        async function runLikeEcs(config: SmokeTestConfig, clock: { now: number }, limit = 20) {
            const answers: HookResponse[] = [];
            let details: Record<string, unknown> = { smokeTest: config };
            for (let i = 0; i < limit; i++) {
                const event = { ...hookEvent(config), hookDetails: details };
                const { result } = await logged(() => runSmokeTest(event, noEnv, () => clock.now));
                answers.push(result);
                if (result.hookStatus !== "IN_PROGRESS") break;
                clock.now += (result.callBackDelay ?? 30) * 1000;
                details = result.hookDetails ?? {};
            }
            return answers;
        }

        it("succeeds once the new tasks answer, keeping the first attempt's time and counting attempts", async () => {
            let calls = 0;
            server = await serve({ "/healthz": (req, res) => (++calls < 3 ? status(502)(req, res) : ok(req, res)) });
            const clock = { now: 5_000_000 };
            const answers = await runLikeEcs(
                { baseUrl: server.url, checks: [{ path: "/healthz" }], retryDelaySeconds: 20 },
                clock,
            );
            assert.deepStrictEqual(
                answers.map((a) => a.hookStatus),
                ["IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED"],
            );
            assert.deepStrictEqual(answers[1].hookDetails?.[stateKey], { firstAttemptAt: 5_000_000, attempts: 2 });
            assert.ok(answers.slice(0, 2).every((a) => a.callBackDelay === 20));
        });

        it("fails the deployment when the test still fails at the deadline", async () => {
            server = await serve({ "/healthz": status(500) });
            const clock = { now: 0 };
            const config = {
                baseUrl: server.url,
                checks: [{ path: "/healthz" }],
                deadlineSeconds: 100,
                retryDelaySeconds: 30,
            };
            const answers = await runLikeEcs(config, clock);
            // Attempts at 0, 30 and 60 s ask again; at 90 s the next one (120 s) would be past the 100 s deadline.
            assert.deepStrictEqual(
                answers.map((a) => a.hookStatus),
                ["IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "FAILED"],
            );
            assert.strictEqual(server.requests.length, 4);
        });

        it("with a deadline of 0 fails on the first failing attempt", async () => {
            server = await serve({ "/healthz": status(500) });
            const answers = await runLikeEcs(
                { baseUrl: server.url, checks: [{ path: "/healthz" }], deadlineSeconds: 0 },
                { now: 0 },
            );
            assert.deepStrictEqual(
                answers.map((a) => a.hookStatus),
                ["FAILED"],
            );
        });

        it("reads hookDetails given as JSON text, as ECS's API stores them", async () => {
            server = await serve({ "/healthz": ok });
            const event = {
                lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
                hookDetails: JSON.stringify({ smokeTest: { baseUrl: server.url, checks: [{ path: "/healthz" }] } }),
            };
            assert.strictEqual(
                (await logged(() => runSmokeTest(event, noEnv, Date.now))).result.hookStatus,
                "SUCCEEDED",
            );
        });
    });

    describe("configuration and malformed events", () => {
        it("takes the configuration from SMOKE_TEST_CONFIG when hookDetails carry none", async () => {
            server = await serve({ "/healthz": ok });
            const env = { [configVariable]: JSON.stringify({ baseUrl: server.url, checks: [{ path: "/healthz" }] }) };
            const event = { lifecycleStage: "POST_TEST_TRAFFIC_SHIFT" };
            assert.strictEqual((await logged(() => runSmokeTest(event, env, Date.now))).result.hookStatus, "SUCCEEDED");
            const broken = { [configVariable]: "{not json" };
            const { result, lines } = await logged(() => runSmokeTest(event, broken, Date.now));
            assert.strictEqual(result.hookStatus, "FAILED");
            assert.match(String((lines[0].smokeTest as { problem: string }).problem), /SMOKE_TEST_CONFIG is not JSON/);
        });

        for (const [what, event] of [
            ["null", null],
            ["a string", "POST_TEST_TRAFFIC_SHIFT"],
            ["a list", [1, 2]],
            ["an object without configuration", { lifecycleStage: "POST_TEST_TRAFFIC_SHIFT" }],
            ["hookDetails that are not JSON", { hookDetails: "{" }],
        ] as [string, unknown][]) {
            it(`fails (rolls back) on ${what}, saying why`, async () => {
                const { result, lines } = await logged(() => runSmokeTest(event, noEnv, Date.now));
                assert.deepStrictEqual(result, { hookStatus: "FAILED" });
                assert.match(String((lines[0].smokeTest as { problem: string }).problem), /event is|no configuration/);
            });
        }

        it("fails on a configuration it cannot use, naming the field", async () => {
            const { result, lines } = await logged(() =>
                runSmokeTest(hookEvent({ baseUrl: "ftp://x", checks: [] }), noEnv, Date.now),
            );
            assert.deepStrictEqual(result, { hookStatus: "FAILED" });
            const problem = String((lines[0].smokeTest as { problem: string }).problem);
            assert.match(problem, /`baseUrl` is "ftp:\/\/x"/);
            assert.match(problem, /`checks` is \[\]/);
        });

        it("lists every problem of a configuration with the field, the value and what is allowed", () => {
            assert.deepStrictEqual(
                smokeTestConfigProblems({ baseUrl: "http://alb:9000", checks: [{ path: "/healthz" }] }),
                [],
            );
            assert.deepStrictEqual(
                smokeTestConfigProblems({
                    baseUrl: "http://user:pw@alb",
                    hostHeader: "bad host",
                    headers: { "bad name": "x", "x-ok": "line\r\nInjected: 1" },
                    checks: [{ path: "healthz", statuses: [], bodyIncludes: "", timeoutSeconds: 61 }, "x"],
                    deadlineSeconds: -1,
                    retryDelaySeconds: 0,
                    caCertificatePem: "nope",
                }),
                [
                    '`baseUrl` is "http://user:pw@alb"; it must be an http:// or https:// URL without credentials',
                    '`hostHeader` is "bad host"; it must be a host name',
                    '`headers` has ["bad name","x-ok"]; each must be a header name with a one-line text value',
                    '`checks[0].path` is "healthz"; it must be a URL path starting with `/`',
                    "`checks[0].statuses` is []; it must be a non-empty list of HTTP statuses (100 to 599)",
                    '`checks[0].bodyIncludes` is ""; it must be non-empty text',
                    "`checks[0].timeoutSeconds` is 61; it must be 1 to 60",
                    "`checks[1]` must be an object with a `path`",
                    "`deadlineSeconds` is -1; it must be 0 to 3600",
                    "`retryDelaySeconds` is 0; it must be 1 to 900",
                    "`caCertificatePem` must be PEM text with at least one certificate",
                ],
            );
            assert.deepStrictEqual(smokeTestConfigProblems("x"), [
                'the smoke test configuration is "x"; it must be an object',
            ]);
        });

        it("the entry point reads the process environment and the real clock", async () => {
            server = await serve({ "/healthz": ok });
            const saved = process.env[configVariable];
            process.env[configVariable] = JSON.stringify({ baseUrl: server.url, checks: [{ path: "/healthz" }] });
            try {
                assert.deepStrictEqual((await logged(() => handler({}))).result, { hookStatus: "SUCCEEDED" });
            } finally {
                if (saved === undefined) delete process.env[configVariable];
                else process.env[configVariable] = saved;
            }
        });
    });
});
