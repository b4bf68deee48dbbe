// A Windows image layer as a tar: `Hives/` and `Files/` (the container's C:\), every folder before what it holds,
// PAX records that give each entry its Windows attributes and security descriptor, and fixed times.
import * as crypto from "crypto";
import { pack as tarPack } from "tar-stream";
import { securityDescriptorFromSddl } from "./securityDescriptor";

/** A file of the layer: its path under C:\ with `/` separators (e.g. `app/hello.exe`) and its bytes. */
export interface WindowsLayerFile {
    readonly path: string;
    readonly content: Buffer;
}

/**
 * The descriptors BuildKit's Windows differ (util/winlayers/differ.go) gives what it copies into an image, so that
 * a file reads and runs the same whichever strategy built it: files grant Administrators and SYSTEM full control
 * and BUILTIN\Users (ContainerUser among them) read and execute; folders carry the inheritable ACL of C:\.
 */
export const fileSddl = "O:BAG:SYD:(A;;FA;;;BA)(A;;FA;;;SY)(A;;0x1200a9;;;BU)";
export const folderSddl =
    "O:BAG:SYD:(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;;FA;;;BA)(A;OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)(A;CI;LC;;;BU)(A;CI;DC;;;BU)";

/** FILE_ATTRIBUTE_DIRECTORY and FILE_ATTRIBUTE_ARCHIVE, as the importer reads `MSWINDOWS.fileattr`. */
const folderAttributes = "16";
const fileAttributes = "32";

/**
 * Every entry's time: the Unix epoch, as `SOURCE_DATE_EPOCH=0` gives `cross` builds. tar-stream replaces a falsy
 * `mtime` with the current time, so it is a Date, never 0.
 */
const fixedTime = () => new Date(0);

/** The folders `files` need below C:\, each once, every parent before its children. */
function foldersOf(files: readonly WindowsLayerFile[]): string[] {
    const folders = new Set<string>();
    for (const file of files) {
        const parts = file.path.split("/");
        for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    }
    return [...folders].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Fails unless `path` is a relative path of plain names separated by `/`. */
function checkPath(path: string): void {
    const parts = path.split("/");
    if (path === "" || parts.some((p) => p === "" || p === "." || p === ".." || /[\\:*?"<>|\0]/.test(p)))
        throw new Error(`${JSON.stringify(path)} is not a file path under C:\\ (names separated by "/")`);
}

/**
 * The layer's tar: `Hives/`, `Files/`, the folders of `files` under `Files/`, then the files, in path order. Each
 * entry has `MSWINDOWS.fileattr` and `LIBARCHIVE.creationtime`; those under `Files/` also `MSWINDOWS.rawsd`. The
 * importer reads no mode, owner or group, so they are fixed (0555, root). The same files give the same bytes.
 */
export async function windowsLayerTar(files: readonly WindowsLayerFile[]): Promise<Buffer> {
    files.forEach((f) => checkPath(f.path));
    const paths = files.map((f) => f.path);
    const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
    if (duplicate) throw new Error(`${JSON.stringify(duplicate)} is given twice`);
    const rawsd = {
        file: securityDescriptorFromSddl(fileSddl).toString("base64"),
        folder: securityDescriptorFromSddl(folderSddl).toString("base64"),
    };
    const pack = tarPack();
    const chunks: Buffer[] = [];
    pack.on("data", (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve, reject) => {
        pack.on("end", resolve);
        pack.on("error", reject);
    });
    const header = (name: string, type: "directory" | "file", pax: Record<string, string>, size = 0) => ({
        name,
        type,
        size,
        mode: 0o555,
        uid: 0,
        gid: 0,
        mtime: fixedTime(),
        pax: { "MSWINDOWS.fileattr": type === "directory" ? folderAttributes : fileAttributes, ...pax },
    });
    const creation = { "LIBARCHIVE.creationtime": "0" };
    for (const top of ["Hives/", "Files/"]) pack.entry(header(top, "directory", creation));
    for (const folder of foldersOf(files))
        pack.entry(header(`Files/${folder}/`, "directory", { ...creation, "MSWINDOWS.rawsd": rawsd.folder }));
    for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
        const pax = { ...creation, "MSWINDOWS.rawsd": rawsd.file };
        pack.entry(header(`Files/${file.path}`, "file", pax, file.content.length), file.content);
    }
    pack.finalize();
    await done;
    return Buffer.concat(chunks);
}

/** The SHA-256 digest of bytes, `sha256:<hex>`. */
export function sha256Digest(bytes: Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(bytes).digest("hex")}`;
}
