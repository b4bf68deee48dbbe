// Reads a tar (or gzip of one) with Go's archive/tar, the reader go-winio's backuptar and so Docker's and
// containerd's Windows layer importers use: every header as Go sees it, PAX records included.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./files";
import { goBinary } from "./goModules";

/** One tar header as Go's archive/tar reads it. */
export interface GoTarHeader {
    readonly Name: string;
    /** `0` file, `5` folder, as characters. */
    readonly Typeflag: string;
    readonly Size: number;
    readonly Mode: number;
    readonly Uid: number;
    readonly Gid: number;
    /** Unix seconds. */
    readonly ModTime: number;
    readonly Format: string;
    readonly PAXRecords: Record<string, string> | null;
    /** SHA-256 of the entry's content, hex. */
    readonly ContentSHA256: string;
}

const reader = `package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
)

type entry struct {
	Name, Typeflag, Format, ContentSHA256 string
	Size, Mode                            int64
	Uid, Gid                              int
	ModTime                               int64
	PAXRecords                            map[string]string
}

func main() {
	in := bufio.NewReader(os.Stdin)
	var r io.Reader = in
	if head, _ := in.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		z, err := gzip.NewReader(in)
		if err != nil {
			panic(err)
		}
		r = z
	}
	t := tar.NewReader(r)
	var out []entry
	for {
		h, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		sum := sha256.New()
		if _, err := io.Copy(sum, t); err != nil {
			panic(err)
		}
		out = append(out, entry{h.Name, string(rune(h.Typeflag)), h.Format.String(), hex.EncodeToString(sum.Sum(nil)),
			h.Size, h.Mode, h.Uid, h.Gid, h.ModTime.Unix(), h.PAXRecords})
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`;

let built: string | undefined;

/** The reader, compiled once per run into .build/. */
function readerBinary(): string {
    if (built) return built;
    const dir = path.join(repoRoot, ".build", "go-tar-reader");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/tarreader\n\ngo 1.21\n");
    fs.writeFileSync(path.join(dir, "main.go"), reader);
    const binary = path.join(dir, "tarreader");
    execFileSync(goBinary(), ["build", "-o", binary, "."], {
        cwd: dir,
        env: { ...process.env, GOFLAGS: "", GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOOS: "", GOARCH: "" },
    });
    built = binary;
    return binary;
}

/** Every header of `archive` (a tar, or a gzip of one) as Go's archive/tar reads it. */
export function goTarHeaders(archive: Buffer): GoTarHeader[] {
    const out = execFileSync(readerBinary(), [], { input: archive, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" });
    return (JSON.parse(out) as GoTarHeader[] | null) ?? [];
}
