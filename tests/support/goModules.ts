// Go modules for tests, assembled at test time: a vendored module from the Debian packages' sources, a module with
// build-constrained files, and `go list`, which tells which files the Go toolchain itself reads.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot, tempDir, writeModule } from "./files";

/** Where Debian's golang-*-dev packages install library sources. */
export const gocode = "/usr/share/gocode/src";

/** The Go 1.23 toolchain (bookworm-backports' golang-1.23-go), or `go` on PATH. */
export function goBinary(): string {
    return fs.existsSync("/usr/lib/go-1.23/bin/go") ? "/usr/lib/go-1.23/bin/go" : "go";
}

/** The environment a Windows build of this project uses, offline. */
export function windowsBuildEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
        ...process.env,
        GOOS: "windows",
        GOARCH: "amd64",
        CGO_ENABLED: "0",
        GOPROXY: "off",
        GOTOOLCHAIN: "local",
        GOFLAGS: "",
        GOCACHE: path.join(repoRoot, ".build", "go-cache"),
        ...extra,
    };
}

interface GoListPackage {
    Dir: string;
    Standard?: boolean;
    GoFiles?: string[];
    CgoFiles?: string[];
    CFiles?: string[];
    CXXFiles?: string[];
    HFiles?: string[];
    SFiles?: string[];
    SysoFiles?: string[];
    EmbedFiles?: string[];
}

/**
 * The files of the context that `go list -deps` says a Windows build of `pkg` compiles or embeds, plus the module
 * files that decide the build (go.mod, go.sum, go.work, vendor/modules.txt where present), relative to `contextDir`.
 */
export function goListInputs(contextDir: string, moduleDir: string, pkg: string, env: NodeJS.ProcessEnv): string[] {
    const out = execFileSync(goBinary(), ["list", "-deps", "-json", pkg], { cwd: moduleDir, env, encoding: "utf8" });
    const packages = JSON.parse(`[${out.replace(/}\n{/g, "},\n{")}]`) as GoListPackage[];
    const files = new Set<string>();
    const add = (file: string) => {
        const rel = path.relative(contextDir, file);
        if (!rel.startsWith("..") && fs.existsSync(file)) files.add(rel.split(path.sep).join("/"));
    };
    for (const p of packages.filter((p) => !p.Standard)) {
        const lists = [p.GoFiles, p.CgoFiles, p.CFiles, p.CXXFiles, p.HFiles, p.SFiles, p.SysoFiles, p.EmbedFiles];
        for (const name of lists.flatMap((l) => l ?? [])) add(path.join(p.Dir, name));
    }
    for (const file of ["go.mod", "go.sum", "go.work", "go.work.sum", "vendor/modules.txt"])
        add(path.join(moduleDir, file));
    return [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Third-party packages this project's tests vendor, with the Debian package that installs each module. */
export const vendoredModules = [
    { module: "github.com/google/uuid", version: "v1.3.0", debian: "golang-github-google-uuid-dev", packages: [""] },
    { module: "github.com/gorilla/mux", version: "v1.8.0", debian: "golang-github-gorilla-mux-dev", packages: [""] },
    { module: "github.com/pkg/errors", version: "v0.9.1", debian: "golang-github-pkg-errors-dev", packages: [""] },
    {
        module: "golang.org/x/text",
        version: "v0.7.0",
        debian: "golang-golang-x-text-dev",
        packages: ["/language", "/internal/language", "/internal/language/compact", "/internal/tag"],
    },
] as const;

const vendoredMain = `// Command vendored uses third-party packages that are vendored, so it builds with no network at all.
package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
	pkgerrors "github.com/pkg/errors"
	"golang.org/x/text/language"
)

func main() {
	router := mux.NewRouter()
	router.HandleFunc("/", func(http.ResponseWriter, *http.Request) {})
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("example.com"))
	tag := language.MustParse("de-CH")
	err := pkgerrors.Wrap(errors.New("cause"), "vendored")
	fmt.Println(id.String(), tag.String(), err.Error())
	if len(os.Args) > 1 {
		os.Exit(2)
	}
}
`;

/**
 * A module that vendors real third-party packages, copied at test time from the Debian packages' sources (never
 * committed): vendor/<module> holds the needed packages, vendor/modules.txt lists them, go.mod requires them.
 */
export function vendoredModule(dir = tempDir("vendored")): string {
    const requires: string[] = [];
    const manifest: string[] = [];
    for (const m of vendoredModules) {
        requires.push(`\t${m.module} ${m.version}`);
        manifest.push(`# ${m.module} ${m.version}`, "## explicit");
        for (const pkg of m.packages) {
            const source = path.join(gocode, m.module + pkg);
            if (!fs.existsSync(source)) throw new Error(`${source} is missing: install ${m.debian}`);
            const target = path.join(dir, "vendor", m.module + pkg);
            fs.mkdirSync(target, { recursive: true });
            for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
                if (entry.isFile()) fs.copyFileSync(path.join(source, entry.name), path.join(target, entry.name));
            }
            manifest.push(m.module + pkg);
        }
    }
    return writeModule(dir, {
        "go.mod": `module example.com/vendored\n\ngo 1.23\n\nrequire (\n${requires.join("\n")}\n)\n`,
        "vendor/modules.txt": `${manifest.join("\n")}\n`,
        "main.go": vendoredMain,
    });
}

/**
 * A module whose main package has files a Windows build skips (another OS, `//go:build ignore`, old `+build`
 * lines, cgo) and files it keeps, each importing its own package, so that following a skipped file's imports shows.
 */
export function constrainedModule(): string {
    const pkg = (name: string) => `package ${name}\n\nconst Name = "${name}"\n`;
    return writeModule(tempDir("constrained"), {
        "go.mod": "module example.com/constrained\n\ngo 1.23\n",
        "main.go": 'package main\n\nimport "example.com/constrained/always"\n\nfunc main() { println(always.Name) }\n',
        "main_linux.go": 'package main\n\nimport "example.com/constrained/linux"\n\nvar _ = linux.Name\n',
        "main_windows_amd64.go": 'package main\n\nimport "example.com/constrained/win"\n\nvar _ = win.Name\n',
        "gen.go":
            '//go:build ignore\n\n// Generates nothing.\npackage main\n\nimport "example.com/constrained/generator"\n\nvar _ = generator.Name\n',
        "old.go":
            '// +build windows,!cgo\n\npackage main\n\nimport "example.com/constrained/oldstyle"\n\nvar _ = oldstyle.Name\n',
        "tagged.go":
            '//go:build prod && go1.21\n\npackage main\n\nimport "example.com/constrained/prod"\n\nvar _ = prod.Name\n',
        "cgo.go":
            'package main\n\n// int two(void) { return 2; }\nimport "C"\n\nimport "example.com/constrained/withcgo"\n\nvar _ = withcgo.Name\n',
        "_skipped.go": 'package main\n\nimport "example.com/constrained/underscore"\n',
        "always/always.go": pkg("always"),
        "linux/linux.go": pkg("linux"),
        "win/win.go": pkg("win"),
        "generator/generator.go": pkg("generator"),
        "oldstyle/oldstyle.go": pkg("oldstyle"),
        "prod/prod.go": pkg("prod"),
        "withcgo/withcgo.go": pkg("withcgo"),
        "underscore/underscore.go": pkg("underscore"),
    });
}

/**
 * A monorepo: services/api requires example.com/shared, replaced by ../../shared (no go.work); shared has a package
 * the service does not import, and docs/ holds nothing Go reads.
 */
export function monorepo(): string {
    return writeModule(tempDir("monorepo"), {
        "services/api/go.mod":
            "module example.com/api\n\ngo 1.23\n\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../../shared\n",
        "services/api/main.go":
            'package main\n\nimport "example.com/shared/greeting"\n\nfunc main() { println(greeting.Text()) }\n',
        "shared/go.mod": "module example.com/shared\n\ngo 1.23\n",
        "shared/greeting/greeting.go": 'package greeting\n\nfunc Text() string { return "hello from shared" }\n',
        "shared/unused/unused.go": "package unused\n",
        "docs/README.md": "# the monorepo\n",
    });
}

const cgoMain = `// Command cgo calls C: a function of its own, the C library's snprintf and strlen, and a POSIX threads mutex
// (MinGW-w64's winpthreads, which a build that is not static would load from libwinpthread-1.dll).
package main

/*
#cgo LDFLAGS: -lpthread
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int calls;

static int twice(int x) { return 2 * x; }

static int describe(char *out, int size, int x) {
    pthread_mutex_lock(&lock);
    calls++;
    snprintf(out, size, "C says %d is twice %d (call %d)", twice(x), x, calls);
    pthread_mutex_unlock(&lock);
    return (int)strlen(out);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func main() {
	buf := make([]byte, 64)
	n := C.describe((*C.char)(unsafe.Pointer(&buf[0])), C.int(len(buf)), 21)
	fmt.Println(string(buf[:n]))
}
`;

/** A module whose main package calls C (its own function, the C library and winpthreads), so that it needs cgo. */
export function cgoModule(): string {
    return writeModule(tempDir("cgo"), { "go.mod": "module example.com/cgo\n\ngo 1.23\n", "main.go": cgoMain });
}
