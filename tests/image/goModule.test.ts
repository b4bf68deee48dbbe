// go.mod parsing and main package detection.
import * as assert from "assert";
import * as path from "path";
import { defaultGoVersion, isGoVersion, isMainPackage, packageClause, parseGoMod } from "../../components/image";
import { parseGoWorkUses } from "../../components/image/goModule";
import { minimalModule, sampleApp } from "../support/files";

describe("goModule", () => {
    it("parses module, go and toolchain lines, ignoring comments", () => {
        const mod = parseGoMod(
            '// a comment\nmodule "example.com/x"\n\ngo 1.22 // minimum\ntoolchain go1.23.4\n\nrequire example.com/y v1.0.0\n',
        );
        assert.deepStrictEqual(mod, { module: "example.com/x", go: "1.22", toolchain: "1.23.4", replaces: [] });
    });

    it("reads replace directives, single and in blocks, and tells folders from module versions", () => {
        const mod = parseGoMod(
            "module example.com/svc\n\ngo 1.23\n\nreplace example.com/shared => ../shared // local\n" +
                "replace (\n\texample.com/a v1.0.0 => example.com/a v1.0.1\n\texample.com/b => ./third_party/b\n)\n",
        );
        assert.deepStrictEqual(mod.replaces, [
            { path: "example.com/shared", target: "../shared", local: true },
            { path: "example.com/a", target: "example.com/a", local: false },
            { path: "example.com/b", target: "./third_party/b", local: true },
        ]);
    });

    it("reads go.work use directives", () => {
        assert.deepStrictEqual(parseGoWorkUses("go 1.23\n\nuse (\n\t./svc\n\t../shared // lib\n)\nuse ./tools\n"), [
            "./svc",
            "../shared",
            "./tools",
        ]);
    });

    it("prefers the toolchain line for the default Go version, then the go line", () => {
        const mod = (fields: { go?: string; toolchain?: string }) => ({ module: "m", replaces: [], ...fields });
        assert.strictEqual(defaultGoVersion(mod({ go: "1.22", toolchain: "1.23.4" })), "1.23.4");
        assert.strictEqual(defaultGoVersion(mod({ go: "1.22", toolchain: "default" })), "1.22");
        assert.strictEqual(defaultGoVersion(mod({ go: "1.23" })), "1.23");
        assert.strictEqual(defaultGoVersion(mod({})), undefined);
    });

    it("accepts Go release versions only", () => {
        for (const v of ["1.23", "1.23.4", "1.9"]) assert.ok(isGoVersion(v), v);
        for (const v of ["1", "go1.23", "1.23rc1", "latest", "2.0", " 1.23"]) assert.ok(!isGoVersion(v), v);
    });

    it("reads the package clause past comments", () => {
        assert.strictEqual(packageClause("// package foo\n/* package bar */\npackage main\n"), "main");
        assert.strictEqual(packageClause("//go:build windows\n\npackage server\n"), "server");
        assert.strictEqual(packageClause("// nothing\n"), undefined);
    });

    it("finds main packages, ignoring test files", () => {
        assert.ok(isMainPackage(sampleApp));
        const mod = minimalModule({ "lib/lib.go": "package lib\n", "lib/lib_test.go": "package main\n" });
        assert.ok(isMainPackage(mod));
        assert.ok(!isMainPackage(path.join(mod, "lib")));
        assert.ok(!isMainPackage(path.join(mod, "missing")));
    });
});
