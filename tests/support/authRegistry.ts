// The real registry (Debian's docker-registry, distribution 2.8) behind authentication, for the integration tests:
// `auth: token` with a token server of ours that signs JWTs with a key the registry trusts and grants each user only
// the actions it is allowed, or `auth: htpasswd` (Basic, bcrypt).
import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import * as bcrypt from "bcryptjs";
import { run, workDir } from "./tools";

/** A user of the registry: its password and the actions the token server may grant it on every repository. */
export interface RegistryUser {
    readonly password: string;
    readonly actions: readonly string[];
}

/** A registry running with authentication; close it when done. */
export interface AuthRegistry {
    /** `127.0.0.1:<port>`. */
    readonly host: string;
    /** The token requests answered: user (or anonymous), scopes asked for, access granted. */
    readonly tokenRequests: { user?: string; scopes: string[]; granted: { name: string; actions: string[] }[] }[];
    /**
     * Issues the next `count` tokens so that the registry refuses them after `validSeconds` (0: at once): their `exp`
     * lies that much less than the registry's 60 s leeway in the past, as a token held too long.
     */
    expireNextTokens(count: number, validSeconds?: number): void;
    close(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** Starts docker-registry with `config` (YAML, `{port}` and `{root}` filled in) and waits until it answers. */
async function startRegistry(dir: string, auth: string): Promise<{ host: string; child: ChildProcess }> {
    const port = await freePort();
    const config = path.join(dir, "config.yml");
    fs.writeFileSync(
        config,
        [
            "version: 0.1",
            "log:",
            "  level: info",
            "storage:",
            "  filesystem:",
            `    rootdirectory: ${path.join(dir, "data")}`,
            "  delete:",
            "    enabled: true",
            "http:",
            `  addr: 127.0.0.1:${port}`,
            auth,
        ].join("\n"),
    );
    const log = fs.openSync(path.join(dir, "registry.log"), "a");
    const child = spawn("/usr/bin/docker-registry", ["serve", config], { stdio: ["ignore", log, log] });
    const host = `127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://${host}/v2/`).then(
            () => true,
            () => false,
        );
        if (up) return { host, child };
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill();
    throw new Error(`docker-registry did not start: ${fs.readFileSync(path.join(dir, "registry.log"), "utf8")}`);
}

function stop(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
    });
}

/**
 * The registry with `auth: token`: the realm is a token server on loopback that signs RS256 JWTs whose `x5c` header
 * carries a self-signed certificate, the registry's `rootcertbundle`. Each token grants, of the actions asked for,
 * only those the user may have; a request without credentials gets a token with no access; a wrong password 401.
 */
export async function startTokenAuthRegistry(users: Record<string, RegistryUser>): Promise<AuthRegistry> {
    const dir = workDir("token-registry");
    const [certFile, keyFile] = [path.join(dir, "token.crt"), path.join(dir, "token.key")];
    run("openssl", [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test token issuer",
        "-keyout",
        keyFile,
        "-out",
        certFile,
    ]);
    const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
    const certificate = new crypto.X509Certificate(fs.readFileSync(certFile));
    const x5c = [certificate.raw.toString("base64")];
    const [issuer, service] = ["test-token-issuer", "test-registry"];
    const tokenRequests: AuthRegistry["tokenRequests"] = [];
    let expiredLeft = 0;
    let validSeconds = 0;

    const tokens = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://token");
        const scopes = url.searchParams.getAll("scope");
        let user: string | undefined;
        let allowed: readonly string[] = [];
        if (req.headers.authorization) {
            const [name, password] = Buffer.from(req.headers.authorization.replace(/^Basic /, ""), "base64")
                .toString("utf8")
                .split(":");
            if (users[name]?.password !== password) {
                res.writeHead(401, { "Content-Type": "application/json" });
                res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }));
                return;
            }
            [user, allowed] = [name, users[name].actions];
        }
        const granted = scopes
            .map((scope) => scope.split(":"))
            .filter(([type, name]) => type === "repository" && name)
            .map(([, name, actions]) => ({
                type: "repository",
                name,
                actions: (actions ?? "").split(",").filter((a) => allowed.includes(a)),
            }));
        tokenRequests.push({ user, scopes, granted: granted.map(({ name, actions }) => ({ name, actions })) });
        const now = Math.floor(Date.now() / 1000);
        const expired = expiredLeft > 0;
        if (expired) expiredLeft--;
        const claims = {
            iss: issuer,
            sub: user ?? "",
            aud: service,
            iat: expired ? now - 600 : now,
            nbf: expired ? now - 600 : now - 10,
            exp: expired ? now - 61 + validSeconds : now + 300,
            jti: crypto.randomUUID(),
            access: granted,
        };
        const signed = `${base64url(JSON.stringify({ typ: "JWT", alg: "RS256", x5c }))}.${base64url(JSON.stringify(claims))}`;
        const token = `${signed}.${base64url(crypto.sign("sha256", Buffer.from(signed), key))}`;
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ token, expires_in: 300, issued_at: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => tokens.listen(0, "127.0.0.1", resolve));
    const realm = `http://127.0.0.1:${(tokens.address() as net.AddressInfo).port}/token`;
    const auth = [
        "auth:",
        "  token:",
        `    realm: ${realm}`,
        `    service: ${service}`,
        `    issuer: ${issuer}`,
        `    rootcertbundle: ${certFile}`,
    ].join("\n");
    const { host, child } = await startRegistry(dir, auth);
    return {
        host,
        tokenRequests,
        expireNextTokens: (count, seconds = 0) => {
            [expiredLeft, validSeconds] = [count, seconds];
        },
        close: async () => {
            await stop(child);
            tokens.closeAllConnections();
            await new Promise<void>((resolve) => tokens.close(() => resolve()));
        },
    };
}

/** The registry with `auth: htpasswd` (Basic): bcrypt hashes, as the registry requires. */
export async function startBasicAuthRegistry(users: Record<string, string>): Promise<AuthRegistry> {
    const dir = workDir("basic-registry");
    const file = path.join(dir, "htpasswd");
    fs.writeFileSync(
        file,
        Object.entries(users)
            .map(([name, password]) => `${name}:${bcrypt.hashSync(password, 8)}`)
            .join("\n") + "\n",
    );
    const auth = ["auth:", "  htpasswd:", "    realm: basic-realm", `    path: ${file}`].join("\n");
    const { host, child } = await startRegistry(dir, auth);
    return { host, tokenRequests: [], expireNextTokens: () => undefined, close: () => stop(child) };
}
