// The Windows layer: its tar as Go's archive/tar (the importers' reader) sees it, and its gzip, the same bytes everywhere.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as zlib from "zlib";
import { checkDeflater, deflaterCheck, deterministicGzip } from "../../components/assembly/gzip";
import { securityDescriptorFromSddl } from "../../components/assembly/securityDescriptor";
import { fileSddl, folderSddl, sha256Digest, windowsLayerTar } from "../../components/assembly/windowsLayer";
import { goTarHeaders } from "../support/goTar";

const exe = Buffer.from("MZ a stand-in for a Windows executable\n".repeat(100));
const rawsd = (sddl: string) => securityDescriptorFromSddl(sddl).toString("base64");

describe("windowsLayerTar", () => {
    it("holds Hives/ and Files/, then each folder before what it holds, then the files", async () => {
        const tar = await windowsLayerTar([
            { path: "app/hello.exe", content: exe },
            { path: "app/conf/b.txt", content: Buffer.from("b") },
            { path: "tools/x/a.txt", content: Buffer.from("a") },
        ]);
        const headers = goTarHeaders(tar);
        assert.deepStrictEqual(
            headers.map((h) => [h.Name, h.Typeflag]),
            [
                ["Hives/", "5"],
                ["Files/", "5"],
                ["Files/app/", "5"],
                ["Files/app/conf/", "5"],
                ["Files/tools/", "5"],
                ["Files/tools/x/", "5"],
                ["Files/app/conf/b.txt", "0"],
                ["Files/app/hello.exe", "0"],
                ["Files/tools/x/a.txt", "0"],
            ],
        );
        for (const [i, h] of headers.entries()) {
            const folder = h.Name.slice(0, h.Name.lastIndexOf("/", h.Name.length - 2) + 1);
            if (folder !== "")
                assert.ok(
                    headers.slice(0, i).some((p) => p.Name === folder),
                    `${h.Name} before ${folder}`,
                );
        }
    });

    it("gives each entry the Windows attributes, a fixed time, and ContainerUser read and execute on the binary", async () => {
        const headers = goTarHeaders(await windowsLayerTar([{ path: "app/hello.exe", content: exe }]));
        const byName = Object.fromEntries(headers.map((h) => [h.Name, h]));
        assert.deepStrictEqual(byName["Files/app/hello.exe"].PAXRecords, {
            path: "Files/app/hello.exe",
            "MSWINDOWS.fileattr": "32",
            "MSWINDOWS.rawsd": rawsd(fileSddl),
            "LIBARCHIVE.creationtime": "0",
        });
        assert.strictEqual(byName["Files/app/hello.exe"].ContentSHA256, sha256Digest(exe).slice(7));
        assert.strictEqual(byName["Files/app/hello.exe"].Size, exe.length);
        assert.deepStrictEqual(byName["Files/app/"].PAXRecords?.["MSWINDOWS.rawsd"], rawsd(folderSddl));
        assert.strictEqual(byName["Files/app/"].PAXRecords?.["MSWINDOWS.fileattr"], "16");
        for (const top of ["Hives/", "Files/"]) {
            assert.deepStrictEqual(byName[top].PAXRecords, {
                path: top,
                "MSWINDOWS.fileattr": "16",
                "LIBARCHIVE.creationtime": "0",
            });
        }
        for (const h of headers) {
            assert.strictEqual(h.ModTime, 0, h.Name);
            assert.ok(h.PAXRecords, h.Name);
            assert.deepStrictEqual([h.Uid, h.Gid, h.Mode], [0, 0, 0o555], h.Name);
        }
    });

    it("grants BUILTIN\\Users read and execute (0x1200a9) on the binary in its DACL", () => {
        const sd = securityDescriptorFromSddl(fileSddl);
        const dacl = sd.subarray(sd.readUInt32LE(16));
        const aces: [number, string][] = [];
        for (let at = 8, i = 0; i < dacl.readUInt16LE(4); i++, at += dacl.readUInt16LE(at + 2))
            aces.push([
                dacl.readUInt32LE(at + 4),
                dacl.subarray(at + 8, at + dacl.readUInt16LE(at + 2)).toString("hex"),
            ]);
        assert.deepStrictEqual(aces[2], [0x1200a9, "01020000000000052000000021020000"]);
    });

    it("gives the same bytes for the same files, in any order, at any time and umask", async () => {
        const files = [
            { path: "app/hello.exe", content: exe },
            { path: "app/b.txt", content: Buffer.from("b") },
        ];
        const first = await windowsLayerTar(files);
        const umask = process.umask(0o077);
        try {
            await new Promise((r) => setTimeout(r, 1100));
            assert.deepStrictEqual(await windowsLayerTar([...files].reverse()), first);
        } finally {
            process.umask(umask);
        }
    });

    const refused: [string, string, RegExp][] = [
        ["an absolute path", "/app/x.exe", /not a file path/],
        ["a path that climbs", "app/../x.exe", /not a file path/],
        ["a Windows path", "app\\x.exe", /not a file path/],
        ["a drive letter", "C:/app/x.exe", /not a file path/],
    ];
    for (const [what, path, message] of refused) {
        it(`refuses ${what}`, async () => {
            await assert.rejects(windowsLayerTar([{ path, content: exe }]), message);
        });
    }

    it("refuses a file given twice", async () => {
        const file = { path: "app/x.exe", content: exe };
        await assert.rejects(windowsLayerTar([file, file]), /given twice/);
    });
});

describe("deterministicGzip", () => {
    it("gives the recorded bytes for the fixed input, on every machine", () => {
        assert.strictEqual(sha256Digest(deterministicGzip(deflaterCheck.input())), deflaterCheck.digest);
        assert.strictEqual(
            deflaterCheck.digest,
            "sha256:a40e0b55e241655eb79f8066c95c07758e0d7d165419cb14f53be27e1e18c94e",
            "the recorded constant itself",
        );
        checkDeflater();
    });

    it("writes a header with no name, no time and OS 255", () => {
        const gz = deterministicGzip(Buffer.from("x"));
        assert.strictEqual(gz.subarray(0, 10).toString("hex"), "1f8b08000000000000ff");
    });

    it("deflates exactly as canonical zlib does (Python's, this machine's libz), so anyone can rebuild the bytes", () => {
        const input = deflaterCheck.input();
        const gz = deterministicGzip(input);
        const canonical = execFileSync(
            "python3",
            [
                "-c",
                "import sys,zlib; c=zlib.compressobj(6,zlib.DEFLATED,-15,8); d=sys.stdin.buffer.read(); sys.stdout.buffer.write(c.compress(d)+c.flush())",
            ],
            { input, maxBuffer: 16 * 1024 * 1024 },
        );
        assert.ok(canonical.length > 1000);
        assert.deepStrictEqual(gz.subarray(10, gz.length - 8), canonical);
        assert.deepStrictEqual(zlib.gunzipSync(gz), input, "and any gunzip reads it");
    });

    it("does not use Node's zlib: a layer compresses with every zlib compressor broken", async () => {
        const names = ["gzip", "gzipSync", "deflate", "deflateSync", "deflateRaw", "deflateRawSync"];
        const classes = ["Gzip", "Deflate", "DeflateRaw", "createGzip", "createDeflate", "createDeflateRaw"];
        // The module object itself (an `import * as` binding only reads through it).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const z = require("zlib") as object;
        const saved = [...names, ...classes].map((n) => [n, Object.getOwnPropertyDescriptor(z, n)!] as const);
        const used: string[] = [];
        for (const [n] of saved) {
            Object.defineProperty(z, n, {
                configurable: true,
                value: () => {
                    used.push(n);
                    throw new Error(`Node's zlib.${n} was called`);
                },
            });
        }
        try {
            const gz = deterministicGzip(await windowsLayerTar([{ path: "app/hello.exe", content: exe }]));
            assert.ok(gz.length > 10);
        } finally {
            for (const [n, descriptor] of saved) Object.defineProperty(z, n, descriptor);
        }
        assert.deepStrictEqual(used, []);
    });
});
