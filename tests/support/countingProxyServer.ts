// A proxy in front of a registry that counts what reaches it, run in a process of its own so that synchronous tools
// (crane, docker) the benchmark runs cannot stall it. Argument: the registry (`host:port`). It prints two ports on
// stdout: the proxy's and its control server's, which answers `GET /writes` with the writes (method, path, body
// bytes) forwarded since the last `POST /reset`.
import * as http from "http";
import { AddressInfo } from "net";
import { startFaultProxy } from "./faultProxy";

async function main(): Promise<void> {
    const proxy = await startFaultProxy(process.argv[2]);
    const control = http.createServer((req, res) => {
        if (req.method === "POST" && req.url === "/reset") proxy.forwarded.length = 0;
        // No keep-alive: the benchmark asks again minutes later, after the server would have closed the socket.
        res.writeHead(200, { "Content-Type": "application/json", Connection: "close" });
        res.end(JSON.stringify(req.url === "/writes" ? proxy.writes() : {}));
    });
    await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
    process.stdout.write(`${proxy.host.split(":")[1]} ${(control.address() as AddressInfo).port}\n`);
    process.on("SIGTERM", () => void proxy.close().then(() => control.close(() => process.exit(0))));
}

main().catch((e) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
});
