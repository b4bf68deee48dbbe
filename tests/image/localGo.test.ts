// The daemonless strategy's Go compile: the machine's Go checked against the module, the same executable as a plain
// build with the documented flags, and nothing of the machine's Go settings in it.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    checkLocalGo,
    compareGoVersions,
    compileEnvironment,
    compileWithLocalGo,
    localGoVersion,
    parseGoVersion,
} from "../../components/image/localGo";
import { goBuildEnv, goBuildFlags } from "../../components/image/dockerfile";
import { resolveImageArgs } from "../../components/image/resolve";
import { sampleApp, tempDir, writeModule } from "../support/files";
import { goBinary } from "../support/goModules";

const sha256 = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
const sampleSpec = resolveImageArgs({ context: sampleApp, registry: { server: "localhost:5000" } }, "hello").spec;
/** The flags and environment every strategy builds with. */
const flags = goBuildFlags(sampleSpec, "1.2.3");
const target = goBuildEnv(sampleSpec.source!);
/** The PATH with Go 1.23 first, as scripts/go-env.sh sets it. */
const goPath = `${path.dirname(goBinary())}${path.delimiter}${process.env.PATH}`;

/** Runs `fn` with some environment variables set (undefined: removed), then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const set = (values: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(values)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
    set(vars);
    try {
        return await fn();
    } finally {
        set(saved);
    }
}

describe("Go versions", () => {
    it("orders them as Go does", () => {
        const order = ["1.21", "1.21beta1", "1.21rc1", "1.21rc2", "1.21.0", "1.21.1", "1.21.10", "1.22", "go1.22.0"];
        for (let i = 1; i < order.length; i++)
            assert.ok(compareGoVersions(parseGoVersion(order[i - 1])!, parseGoVersion(order[i])!) < 0, order[i]);
        assert.strictEqual(parseGoVersion("latest"), undefined);
    });

    const cases: [string, { minimum?: string; release?: string }, RegExp | undefined][] = [
        ["go1.23.5", { minimum: "1.23" }, undefined],
        ["go1.23.5", { minimum: "1.22.1" }, undefined],
        ["go1.23.5", { release: "1.23" }, undefined],
        ["go1.23.5", { release: "1.23.5", minimum: "1.21" }, undefined],
        ["go1.24rc1", { minimum: "1.24" }, undefined],
        ["go1.22.9", { minimum: "1.23" }, /needs Go 1.23 or later .*this machine's Go is go1.22.9.*strategy: "cross"/],
        ["go1.23.5", { minimum: "1.23.6" }, /needs Go 1.23.6 or later/],
        ["go1.24.0", { release: "1.23" }, /`goVersion` is "1.23", and this machine's Go is go1.24.0/],
        ["go1.23.4", { release: "1.23.5" }, /`goVersion` is "1.23.5"/],
        ["go1.23rc1", { release: "1.23.0" }, /`goVersion` is "1.23.0"/],
    ];
    for (const [version, requirement, refusal] of cases) {
        it(`${refusal ? "refuses" : "accepts"} ${version} for ${JSON.stringify(requirement)}`, () => {
            if (refusal) assert.throws(() => checkLocalGo(version, requirement), refusal);
            else checkLocalGo(version, requirement);
        });
    }
});

describe("localGoVersion", () => {
    it("reads the Go on PATH, and says what to do when there is none", () => {
        assert.match(localGoVersion({ ...process.env, PATH: goPath }), /^go1\.23\.\d+$/);
        // Debian's default Go, older than this project's modules need.
        if (fs.existsSync("/usr/bin/go"))
            assert.match(localGoVersion({ ...process.env, PATH: "/usr/bin" }), /^go1\.19/);
        assert.throws(
            () => localGoVersion({ ...process.env, PATH: tempDir("no-go") }),
            /no `go` on its PATH\. Install Go .* or use `strategy: "cross"`/,
        );
    });
});

describe("compileEnvironment", () => {
    it("drops the machine's Go and cgo variables, keeps the rest and its module settings, and lets the build win", () => {
        const env = compileEnvironment(
            {
                HOME: "/h",
                PATH: "/p",
                GOFLAGS: "-mod=mod",
                GOAMD64: "v3",
                GOEXPERIMENT: "x",
                CGO_CFLAGS: "-O3",
                GOOS: "linux",
                GOROOT: "/go",
            },
            { GOPROXY: "https://corp", GOCACHE: "/c", GOFLAGS: "-x" } as Record<string, string>,
            [...target, ["GOFLAGS", "-mod=vendor"]],
        );
        assert.deepStrictEqual(env, {
            HOME: "/h",
            PATH: "/p",
            GOROOT: "/go",
            GOPROXY: "https://corp",
            GOCACHE: "/c",
            GOENV: "off",
            CGO_ENABLED: "0",
            GOOS: "windows",
            GOARCH: "amd64",
            GOTOOLCHAIN: "local",
            GOFLAGS: "-mod=vendor",
        });
    });
});

describe("the Go build of every strategy", () => {
    it("is static, has no file system paths and no VCS stamp, is stripped, and sets the version", () => {
        assert.deepStrictEqual(flags, ["-trimpath", "-buildvcs=false", "-ldflags", "-s -w -X main.version=1.2.3"]);
        assert.deepStrictEqual(target, [
            ["CGO_ENABLED", "0"],
            ["GOOS", "windows"],
            ["GOARCH", "amd64"],
            ["GOTOOLCHAIN", "local"],
        ]);
    });
});

describe("compileWithLocalGo", () => {
    const compile = (moduleDir: string) =>
        compileWithLocalGo({ moduleDir, packagePath: ".", binaryName: "hello.exe", flags, env: target });

    it("gives the executable `go build` gives with the documented flags", async () => {
        const dir = tempDir("plain");
        const out = path.join(dir, "hello.exe");
        execFileSync(goBinary(), ["build", ...flags, "-o", out, "."], {
            cwd: sampleApp,
            env: {
                ...process.env,
                GOFLAGS: "",
                CGO_ENABLED: "0",
                GOOS: "windows",
                GOARCH: "amd64",
                GOTOOLCHAIN: "local",
            },
        });
        const built = await withEnv({ PATH: goPath }, () => compile(sampleApp));
        assert.strictEqual(built.subarray(0, 2).toString(), "MZ");
        assert.strictEqual(sha256(built), sha256(fs.readFileSync(out)));
    });

    it("ignores the machine's Go settings that would change the executable, in its environment or go env file", async () => {
        const plain = await withEnv({ PATH: goPath }, () => compile(sampleApp));
        const home = tempDir("goenv");
        const goenv = path.join(home, "go.env");
        fs.writeFileSync(goenv, "GOAMD64=v3\nGOFLAGS=-ldflags=-X=main.version=from-go-env\n");
        const tinkered = await withEnv(
            {
                PATH: goPath,
                GOENV: goenv,
                GOAMD64: "v2",
                GOFLAGS: "-gcflags=-N",
                GOEXPERIMENT: "loopvar",
                GOOS: "linux",
            },
            () => compile(sampleApp),
        );
        assert.strictEqual(sha256(tinkered), sha256(plain));
    });

    it("stamps no VCS information, though the module sits in a git checkout with changes", async () => {
        const repo = writeModule(tempDir("git"), {
            "go.mod": "module example.com/stamped\n\ngo 1.23\n",
            "main.go": "package main\n\nfunc main() {}\n",
        });
        const git = (...args: string[]) =>
            execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo });
        git("init", "-q");
        git("add", ".");
        git("commit", "-q", "-m", "one");
        fs.writeFileSync(path.join(repo, "dirty.txt"), "x");
        const built = await withEnv({ PATH: goPath }, () => compile(repo));
        const file = path.join(tempDir("stamped"), "x.exe");
        fs.writeFileSync(file, built);
        const info = execFileSync(goBinary(), ["version", "-m", file], { encoding: "utf8" });
        assert.match(info, /build\s+GOOS=windows/);
        assert.doesNotMatch(info, /vcs/);
    });

    it("fails with Go's own message when the code does not compile", async () => {
        const broken = writeModule(tempDir("broken"), {
            "go.mod": "module example.com/broken\n\ngo 1.23\n",
            "main.go": "package main\n\nfunc main() { undefinedThing() }\n",
        });
        await assert.rejects(
            withEnv({ PATH: goPath }, () => compile(broken)),
            /`go build .*` failed in .*broken.*\n.*undefined: undefinedThing/s,
        );
    });
});
