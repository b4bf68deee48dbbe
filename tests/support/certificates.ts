// Self-signed certificates made with openssl for one test run (a TLS stand-in needs one; none is committed).
import { execFileSync } from "child_process";
import * as path from "path";
import { tempDir } from "./files";

/** A certificate for `name` (`DNS:api.example.com` or `IP:127.0.0.1`) and its key, as PEM file paths. */
export function selfSignedCertificate(name: string): { cert: string; key: string } {
    const dir = tempDir("tls");
    const [cert, key] = [path.join(dir, "cert.pem"), path.join(dir, "key.pem")];
    const subject = name.slice(name.indexOf(":") + 1);
    execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${subject}`].concat([
            "-addext",
            `subjectAltName=${name}`,
            "-keyout",
            key,
            "-out",
            cert,
        ]),
        { stdio: "ignore" },
    );
    return { cert, key };
}
