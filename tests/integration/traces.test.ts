// The sample service's traces from the Windows binary: compiled for windows/amd64, run under Wine with the OTEL
// variables an ECS task gives it, answering a request that carries a traceparent, and sending that request's span
// to a local OTLP/HTTP receiver when it is stopped (the flush at shutdown).
import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { sampleApp } from "../support/files";
import * as h from "../support/tools";

interface ReceivedSpan {
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    attributes: { key: string; value: { stringValue?: string; intValue?: string } }[];
}

describe("traces from the Windows binary under Wine", function () {
    this.timeout(300000);
    const bodies: {
        resourceSpans: {
            resource: { attributes: ReceivedSpan["attributes"] };
            scopeSpans: { spans: ReceivedSpan[] }[];
        }[];
    }[] = [];
    let receiver: http.Server;
    let receiverUrl: string;
    let exe: string;

    before(async () => {
        receiver = http.createServer((req, res) => {
            let body = "";
            req.on("data", (d) => (body += d));
            req.on("end", () => {
                if (req.url === "/v1/traces" && req.headers["content-type"] === "application/json")
                    bodies.push(JSON.parse(body));
                res.writeHead(200, { "content-type": "application/json" }).end("{}");
            });
        });
        await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
        receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
        exe = path.join(h.workDir("hello-windows"), "hello.exe");
        h.run("go", ["build", "-trimpath", "-ldflags", "-s -w -X main.version=3.2.1", "-o", exe, "."], {
            cwd: sampleApp,
            env: { ...process.env, GOOS: "windows", GOARCH: "amd64", CGO_ENABLED: "0" },
        });
    });
    after(() => receiver.close());

    it("starts, continues the caller's trace, and sends the span when stopped", async () => {
        const port = String(20000 + Math.floor(Math.random() * 10000));
        const server = h.wineStart(exe, [], {
            PORT: port,
            OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
            OTEL_SERVICE_NAME: "hello-wine",
            // Ten minutes: only the flush at shutdown delivers the span.
            OTEL_BSP_SCHEDULE_DELAY: "600000",
        });
        try {
            assert.strictEqual(await h.waitForHttp(`http://127.0.0.1:${port}/healthz`), 200);
            const response = await fetch(`http://127.0.0.1:${port}/time/Asia/Tokyo`, {
                headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
            });
            assert.strictEqual(response.status, 200);
            assert.match(
                response.headers.get("traceresponse") ?? "",
                /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/,
            );
            assert.strictEqual(bodies.length, 0, "nothing is sent before shutdown");
            // Wine turns SIGINT into CTRL_C_EVENT, which Go delivers as os.Interrupt: the same graceful path.
            server.child.kill("SIGINT");
            assert.strictEqual(await server.exited, 0, server.output());
        } finally {
            server.child.kill("SIGKILL");
        }
        assert.match(server.output(), /traces: sending spans to http:\/\/127\.0\.0\.1:\d+\/v1\/traces/);
        const resource = bodies[0].resourceSpans[0].resource.attributes;
        assert.deepStrictEqual(
            resource.filter((a) => a.key.startsWith("service.")),
            [
                { key: "service.name", value: { stringValue: "hello-wine" } },
                { key: "service.version", value: { stringValue: "3.2.1" } },
            ],
        );
        const spans = bodies.flatMap((b) => b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
        const tokyo = spans.find((s) => s.name === "GET /time/{zone...}");
        assert.ok(tokyo, JSON.stringify(spans));
        assert.strictEqual(tokyo.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
        assert.strictEqual(tokyo.parentSpanId, "00f067aa0ba902b7");
        const status = tokyo.attributes.find((a) => a.key === "http.response.status_code");
        assert.deepStrictEqual(status?.value, { intValue: "200" });
    });
});
