// go.mod parsing and main package detection.
import * as assert from "assert";
import * as path from "path";
import { defaultGoVersion, isGoVersion, isMainPackage, packageClause, parseGoMod } from "../../components/image";
import { minimalModule, sampleApp } from "../support/files";

describe("goModule", () => {
    it("parses module, go and toolchain lines, ignoring comments", () => {
        const mod = parseGoMod(
            '// a comment\nmodule "example.com/x"\n\ngo 1.22 // minimum\ntoolchain go1.23.4\n\nrequire example.com/y v1.0.0\n',
        );
        assert.deepStrictEqual(mod, { module: "example.com/x", go: "1.22", toolchain: "1.23.4" });
    });

    it("prefers the toolchain line for the default Go version, then the go line", () => {
        assert.strictEqual(defaultGoVersion({ module: "m", go: "1.22", toolchain: "1.23.4" }), "1.23.4");
        assert.strictEqual(defaultGoVersion({ module: "m", go: "1.22", toolchain: "default" }), "1.22");
        assert.strictEqual(defaultGoVersion({ module: "m", go: "1.23" }), "1.23");
        assert.strictEqual(defaultGoVersion({ module: "m" }), undefined);
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
