// Writes a stand-in Windows base image as an OCI layout: a real Windows config and one small layer in Windows form.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { deterministicGzip } from "../../components/assembly/gzip";

/** A minimal ustar archive writer: enough for folders and small files, with fixed owners and times. */
function tarEntry(name: string, content: Buffer | undefined): Buffer {
    const header = Buffer.alloc(512, 0);
    const isDir = content === undefined;
    header.write(name, 0, 100, "utf8");
    header.write(isDir ? "0000755\0" : "0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${(content?.length ?? 0).toString(8).padStart(11, "0")}\0`, 124);
    header.write("00000000000\0", 136);
    header.write("        ", 148);
    header.write(isDir ? "5" : "0", 156);
    header.write("ustar\u000000", 257);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    if (isDir) return header;
    const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512, 0);
    content.copy(padded);
    return Buffer.concat([header, padded]);
}

export function tarArchive(entries: [string, Buffer | undefined][]): Buffer {
    return Buffer.concat([...entries.map(([n, c]) => tarEntry(n, c)), Buffer.alloc(1024, 0)]);
}

function sha256(data: Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(data).digest("hex")}`;
}

/**
 * Writes an OCI image layout at `dir` for a Windows base of the given build (e.g. `10.0.20348.2340`), tagged `tag`.
 * The layer holds `Files/` and `Hives/` as Windows layers do; the config has no Env, like Microsoft's bases.
 * `osFeatures` (Server Core's `["win32k"]`) go into the config and the layout's platform.
 */
export function writeStandInBase(dir: string, osVersion: string, tag: string, osFeatures?: string[]): void {
    const features = osFeatures ? { "os.features": osFeatures } : {};
    const layerTar = tarArchive([
        ["Files/", undefined],
        ["Files/Windows/", undefined],
        ["Files/Windows/System32/", undefined],
        ["Files/Windows/System32/stand-in.txt", Buffer.from(`stand-in Windows base ${osVersion}\n`)],
        ["Hives/", undefined],
        ["Hives/Software_Delta", Buffer.from("stand-in hive\n")],
    ]);
    // The same bytes on every machine (Node's zlib differs between releases and CPUs), so that images built on the
    // stand-in have recordable digests.
    const layer = deterministicGzip(layerTar);
    const config = Buffer.from(
        JSON.stringify({
            architecture: "amd64",
            os: "windows",
            "os.version": osVersion,
            ...features,
            config: {},
            rootfs: { type: "layers", diff_ids: [sha256(layerTar)] },
            history: [{ created_by: `stand-in Windows base ${osVersion}` }],
        }),
    );
    const manifest = Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            config: {
                mediaType: "application/vnd.oci.image.config.v1+json",
                digest: sha256(config),
                size: config.length,
            },
            layers: [
                { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha256(layer), size: layer.length },
            ],
        }),
    );
    const blobs = path.join(dir, "blobs", "sha256");
    fs.mkdirSync(blobs, { recursive: true });
    for (const blob of [layer, config, manifest]) fs.writeFileSync(path.join(blobs, sha256(blob).slice(7)), blob);
    fs.writeFileSync(path.join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    fs.writeFileSync(
        path.join(dir, "index.json"),
        JSON.stringify({
            schemaVersion: 2,
            manifests: [
                {
                    mediaType: "application/vnd.oci.image.manifest.v1+json",
                    digest: sha256(manifest),
                    size: manifest.length,
                    platform: { architecture: "amd64", os: "windows", "os.version": osVersion, ...features },
                    annotations: { "org.opencontainers.image.ref.name": tag },
                },
            ],
        }),
    );
}
