// The module proxy's server, run in a process of its own so that the tests' synchronous builds cannot stall it.
// Arguments: the folder that holds the proxy's files (`<module>/@v/...`), the login and the password it wants, the
// PEM files of its certificate and key (Go sends netrc credentials only over HTTPS), and a log file. It prints its
// port on stdout and appends one JSON line per request to the log: `{ path, authorized }`.
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import * as path from "path";

const [root, login, password, cert, key, log] = process.argv.slice(2);
const expected = `Basic ${Buffer.from(`${login}:${password}`).toString("base64")}`;

const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
    const authorized = req.headers.authorization === expected;
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://proxy").pathname);
    fs.appendFileSync(log, `${JSON.stringify({ path: urlPath, authorized })}\n`);
    if (!authorized) {
        res.writeHead(401, { "WWW-Authenticate": 'Basic realm="private modules"' });
        res.end("a credential is required\n");
        return;
    }
    const file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404);
        res.end("not found\n");
        return;
    }
    res.writeHead(200);
    res.end(fs.readFileSync(file));
});
server.listen(0, "127.0.0.1", () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
