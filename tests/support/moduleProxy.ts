// A private Go module proxy on the loopback for the integration tests: it serves the GOPROXY protocol for modules
// assembled at test time and answers 401 to any request without the right basic-auth credential. The server runs in
// a child process (moduleProxyServer.ts): the tests run builds synchronously, which would stall a server in this one.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { selfSignedCertificate } from "./certificates";
import { repoRoot, tempDir } from "./files";
import { goBinary } from "./goModules";
import { run } from "./tools";

export interface ServedModule {
    /** The module path, e.g. `example.internal/platform/greeting`. */
    path: string;
    version: string;
    /** The module's folder (it holds go.mod). */
    dir: string;
}

export interface ModuleProxy {
    /** `https://127.0.0.1:PORT`, for GOPROXY. */
    url: string;
    /** The proxy's self-signed certificate (PEM): a client trusts the proxy with it as a root. */
    certificate: string;
    /** The netrc text that opens the proxy: `machine 127.0.0.1:PORT login ... password ...`. */
    netrc: string;
    /** Each request so far: its path and whether it carried the credential. */
    requests(): { path: string; authorized: boolean }[];
    close(): Promise<void>;
}

let modzip: string | undefined;

/** Builds tests/support/modzip once, from Debian's golang.org/x/mod sources (golang-golang-x-mod-dev). */
function modzipTool(): string {
    if (modzip) return modzip;
    const out = path.join(tempDir("modzip"), "modzip");
    run(goBinary(), ["build", "-o", out, path.join(repoRoot, "tests/support/modzip/main.go")], {
        env: { ...process.env, GO111MODULE: "off", GOPATH: "/usr/share/gocode", GOFLAGS: "" },
    });
    modzip = out;
    return out;
}

/** Module paths in proxy URLs are case-encoded: an upper-case letter becomes `!` and its lower case. */
function escapePath(modulePath: string): string {
    return modulePath.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Writes the proxy's files for `modules`: `<module>/@v/list`, and `<version>.info`, `.mod` and `.zip`. */
function writeProxyFiles(modules: ServedModule[]): string {
    const root = tempDir("proxy");
    for (const m of modules) {
        const dir = path.join(root, escapePath(m.path), "@v");
        fs.mkdirSync(dir, { recursive: true });
        run(modzipTool(), [m.path, m.version, m.dir, path.join(dir, `${m.version}.zip`)]);
        fs.copyFileSync(path.join(m.dir, "go.mod"), path.join(dir, `${m.version}.mod`));
        fs.writeFileSync(path.join(dir, `${m.version}.info`), JSON.stringify({ Version: m.version }));
        fs.appendFileSync(path.join(dir, "list"), `${m.version}\n`);
    }
    return root;
}

/**
 * Starts the proxy on https://127.0.0.1; it serves `modules` to requests that carry `login` and `password`.
 * Go sends netrc credentials over HTTPS only, as private proxies are served.
 */
export async function startModuleProxy(modules: ServedModule[], login: string, password: string): Promise<ModuleProxy> {
    const root = writeProxyFiles(modules);
    const tls = selfSignedCertificate("IP:127.0.0.1");
    const server = path.join(repoRoot, "tests/support/moduleProxyServer.ts");
    // The log is a file: the tests' synchronous builds would hold back the events of a pipe until they end.
    const log = path.join(tempDir("proxy-log"), "requests.jsonl");
    fs.writeFileSync(log, "");
    const args = ["-r", "ts-node/register/transpile-only", server, root, login, password, tls.cert, tls.key, log];
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<string>((resolve, reject) => {
        child.on("exit", (code) => reject(new Error(`the module proxy exited with ${code}`)));
        child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    });
    return {
        url: `https://127.0.0.1:${port}`,
        certificate: fs.readFileSync(tls.cert, "utf8"),
        // Go matches a netrc machine against the request's host with its port.
        netrc: `machine 127.0.0.1:${port} login ${login} password ${password}\n`,
        requests: () =>
            fs
                .readFileSync(log, "utf8")
                .split("\n")
                .filter(Boolean)
                .map((line) => JSON.parse(line) as { path: string; authorized: boolean }),
        close: () =>
            new Promise<void>((resolve) => {
                child.removeAllListeners("exit");
                child.on("exit", () => resolve());
                child.kill("SIGTERM");
            }),
    };
}
