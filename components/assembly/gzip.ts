// Gzip whose bytes depend on the input alone: pako's deflate (a port of zlib 1.2, byte for byte) and fixed header fields.
//
// Not Node's zlib: Node builds Chromium's zlib, which picks a hash function from CPU features at run time and
// differs from canonical zlib, and its output has changed between Node releases. A layer's compressed digest is
// what its manifest names, so a deflater that differs by machine would give every machine another image.
import * as crypto from "crypto";
import { Deflate } from "pako";

/** zlib's default level: canonical zlib (and so anyone's `gzip -6` of the same bytes with zlib 1.2) gives these bytes. */
export const gzipLevel = 6;
/** The header's OS byte: 255, unknown, as Go's compress/gzip writes it; never the machine's. */
const unknownOs = 255;

/** Gzip of `data`: header with no name, no time and OS 255, deflate at level 6, CRC-32 and length. */
export function deterministicGzip(data: Buffer): Buffer {
    const deflate = new Deflate({ level: gzipLevel, gzip: true, header: { os: unknownOs, time: 0, text: false } });
    deflate.push(data, true);
    if (deflate.err) throw new Error(`gzip failed: ${deflate.msg}`);
    const out = deflate.result;
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * A fixed input and the digest of its gzip, recorded once. Every machine and Node release must give it: checked by
 * the tests and before each push, so that a deflater that resolves to other code (another pako at the top of a
 * user's node_modules) fails instead of pushing other bytes.
 */
export const deflaterCheck = {
    input: () => {
        const bytes = Buffer.alloc(256 * 1024);
        // A xorshift sequence with runs of text: both literal and match coding take part.
        let x = 2463534242;
        for (let i = 0; i < bytes.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            bytes[i] = i % 4096 < 2048 ? "Files/app/hello.exe ".charCodeAt(i % 20) : x & 0xff;
        }
        return bytes;
    },
    digest: "sha256:a40e0b55e241655eb79f8066c95c07758e0d7d165419cb14f53be27e1e18c94e",
};

/** Throws unless the deflater gives the recorded bytes for the fixed input. */
export function checkDeflater(): void {
    const gz = deterministicGzip(deflaterCheck.input());
    const digest = `sha256:${crypto.createHash("sha256").update(gz).digest("hex")}`;
    if (digest !== deflaterCheck.digest)
        throw new Error(
            `The gzip deflater gives ${digest} for the fixed input, not the recorded ${deflaterCheck.digest}: ` +
                "another pako than the pinned 2.1.0 is loaded, and images would get other digests.",
        );
}
