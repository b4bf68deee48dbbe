// The files a Go build reads, found without Go, checked against `go list -deps` on real modules.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { GoBuildLayout, evaluateGoBuild, fileNameHolds, goBuildInputs } from "../../components/image";
import { embeddedFiles } from "../../components/image/buildInputs";
import { embedPatterns, scanGoFile } from "../../components/image/goSource";
import { repoRoot, sampleApp, tempDir, writeModule } from "../support/files";
import { constrainedModule, goListInputs, vendoredModule, windowsBuildEnv } from "../support/goModules";

const target = { goos: "windows", goarch: "amd64", cgo: false, goVersion: "1.23", tags: [] as string[] };
const layout = (moduleDir: string, pkg = ".", tags: string[] = []): GoBuildLayout => ({
    contextDir: moduleDir,
    moduleDir,
    packageDir: path.join(moduleDir, pkg),
    target: { ...target, tags },
});

describe("goBuildInputs", function () {
    this.timeout(60000);

    const modules: [string, () => string, string, Record<string, string>?][] = [
        ["the sample service", () => sampleApp, "."],
        ["a main package in a subfolder", () => path.join(repoRoot, "tests/fixtures/subpackage"), "./cmd/greeter"],
        ["a module that embeds files", () => path.join(repoRoot, "tests/fixtures/embedded"), "."],
        ["a module that vendors third-party packages", () => vendoredModule(), ".", { GOFLAGS: "-mod=vendor" }],
        ["a module with files a Windows build skips", () => constrainedModule(), "."],
    ];
    for (const [what, module, pkg, env] of modules) {
        it(`finds exactly the files \`go list -deps\` names, for ${what}`, () => {
            const dir = module();
            const ours = goBuildInputs(layout(dir, pkg));
            assert.deepStrictEqual(ours, goListInputs(dir, dir, pkg, windowsBuildEnv(env)));
        });
    }

    it("follows build tags the way Go does", () => {
        const dir = constrainedModule();
        const tagged = goBuildInputs(layout(dir, ".", ["prod"]));
        assert.ok(tagged.includes("prod/prod.go"), tagged.join(" "));
        assert.deepStrictEqual(tagged, goListInputs(dir, dir, ".", windowsBuildEnv({ GOFLAGS: "-tags=prod" })));
    });

    it("leaves out tests, testdata, documentation, CI files and other main packages", () => {
        const dir = writeModule(tempDir("extras"), {
            "go.mod": "module example.com/extras\n\ngo 1.23\n",
            "cmd/api/main.go": 'package main\n\nimport "example.com/extras/lib"\n\nfunc main() { lib.Run() }\n',
            "cmd/other/main.go": "package main\n\nfunc main() {}\n",
            "lib/lib.go": "package lib\n\nfunc Run() {}\n",
            "lib/lib_test.go": 'package lib\n\nimport "example.com/extras/testonly"\n',
            "lib/testdata/input.json": "{}",
            "testonly/testonly.go": "package testonly\n",
            "README.md": "# extras\n",
            "docs/guide.md": "guide\n",
            ".github/workflows/ci.yml": "on: push\n",
        });
        assert.deepStrictEqual(goBuildInputs(layout(dir, "cmd/api")), ["cmd/api/main.go", "go.mod", "lib/lib.go"]);
    });
});

describe("Go sources", () => {
    it("reads imports, grouped or not, named or blank, past comments and strings", () => {
        const facts = scanGoFile(
            '// Package x "quoted"\npackage x // import "ignored"\n\nimport "fmt"\nimport f "os" /* "no" */\nimport (\n\t_ "embed"\n\t. "strings"\n\traw `net/http`\n)\n\nvar s = "import \\"nope\\""\n',
        );
        assert.deepStrictEqual(facts.imports, ["fmt", "os", "embed", "strings", "net/http"]);
        assert.strictEqual(facts.packageName, "x");
    });

    it("reads //go:embed patterns, quoted ones too, only at the start of a line", () => {
        const facts = scanGoFile(
            'package x\n\nimport _ "embed"\n\n//go:embed static/*.html "with space.txt" `raw.txt`\nvar a string\n\n  //go:embed indented\nvar b string\n',
        );
        assert.deepStrictEqual(facts.embeds, ["static/*.html", "with space.txt", "raw.txt"]);
        assert.deepStrictEqual(
            scanGoFile("package x\n\n//go:embed a.txt\nvar a string\n").embeds,
            [],
            "a file that does not import embed cannot embed",
        );
        assert.deepStrictEqual(embedPatterns("a  b\t"), ["a", "b"]);
    });

    it("reads the header's build constraints", () => {
        const facts = scanGoFile("// Copyright\n\n//go:build windows && !cgo\n// +build windows,!cgo\n\npackage x\n");
        assert.strictEqual(facts.goBuild, "windows && !cgo");
        assert.deepStrictEqual(facts.plusBuild, ["windows,!cgo"]);
        assert.strictEqual(scanGoFile("package x\n\n//go:build linux\n").goBuild, undefined, "not in the header");
    });
});

describe("build constraints", () => {
    const cases: [string, boolean][] = [
        ["windows", true],
        ["linux", false],
        ["windows && amd64", true],
        ["!windows || arm64", false],
        ["unix", false],
        ["!unix && (amd64 || 386)", true],
        ["go1.21", true],
        ["go1.24", false],
        ["cgo", false],
        ["ignore", false],
        ["gc && !gccgo", true],
    ];
    for (const [expression, holds] of cases) {
        it(`evaluates \`${expression}\` for windows/amd64 without cgo as ${holds}`, () => {
            assert.strictEqual(evaluateGoBuild(expression, target), holds);
        });
    }

    it("reads file name suffixes", () => {
        assert.ok(fileNameHolds("x_windows.go", target));
        assert.ok(fileNameHolds("x_windows_amd64.go", target));
        assert.ok(!fileNameHolds("x_linux.go", target));
        assert.ok(!fileNameHolds("x_windows_arm64.go", target));
        assert.ok(!fileNameHolds("x_arm64.s", target));
        assert.ok(fileNameHolds("windows.go", target), "a name alone is not a constraint");
        assert.ok(fileNameHolds("x_unknown.go", target));
    });
});

describe("embedded files", () => {
    it("matches files and folders as Go does, leaving out . and _ names below a folder unless all:", () => {
        const dir = writeModule(tempDir("embed"), {
            "static/index.html": "",
            "static/.hidden": "",
            "static/_draft.html": "",
            "static/css/site.css": "",
            "templates/a.tmpl": "",
            "templates/b.txt": "",
            ".env": "",
        });
        const rel = (pattern: string) =>
            embeddedFiles(dir, pattern)
                .map((f) => path.relative(dir, f).split(path.sep).join("/"))
                .sort();
        assert.deepStrictEqual(rel("static"), ["static/css/site.css", "static/index.html"]);
        assert.deepStrictEqual(rel("all:static"), [
            "static/.hidden",
            "static/_draft.html",
            "static/css/site.css",
            "static/index.html",
        ]);
        assert.deepStrictEqual(rel("templates/*.tmpl"), ["templates/a.tmpl"]);
        assert.deepStrictEqual(rel(".env"), [".env"], "a file named directly is embedded whatever its name");
        assert.deepStrictEqual(rel("*/index.html"), ["static/index.html"]);
    });

    it("are found by goBuildInputs through the directive", () => {
        const dir = path.join(repoRoot, "tests/fixtures/embedded");
        assert.ok(goBuildInputs(layout(dir)).includes("static/message.txt"));
        assert.ok(fs.existsSync(path.join(dir, "static/message.txt")));
    });
});
