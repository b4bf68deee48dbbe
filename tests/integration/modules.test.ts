// Real-world Go modules built for real through GoWindowsImage's Dockerfile: vendored third-party packages with the
// build's network off, a private module behind a proxy that wants a credential, a monorepo, cgo with MinGW-w64, and
// what this machine's BuildKit can do with a registry cache. Every program then runs under Wine.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { GoWindowsImageArgs } from "../../components";
import { tempDir, writeModule } from "../support/files";
import { cgoModule, goBinary, monorepo, vendoredModule } from "../support/goModules";
import * as mocks from "../support/mocks";
import { ModuleProxy, startModuleProxy } from "../support/moduleProxy";
import * as h from "../support/tools";
import { importedDlls, nanoServerDlls } from "../support/windowsDlls";

function args(context: string, extra: Partial<GoWindowsImageArgs> = {}): GoWindowsImageArgs {
    return {
        context,
        windowsVersion: "ltsc2022",
        registry: { server: h.env.registry, repositoryName: "samples/modules" },
        builderImageRef: h.builderRef(),
        baseImageRef: h.standInBaseRef("nanoserver", "ltsc2022"),
        ...extra,
    };
}

/** The executable from a build's files. */
function executable(build: h.BuildResult, name: string): string {
    return h.extract(build.filesTar, `app/${name}.exe`);
}

/** Runs a Windows program under Wine; returns what it printed (Go's println writes to stderr). */
function runUnderWine(exe: string): string {
    const result = h.wineRun(exe, []);
    assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    return result.stdout + result.stderr;
}

/** Whether a file (a tar, a binary) holds a string anywhere in its bytes. */
function holds(file: string, needle: string): boolean {
    return fs.readFileSync(file).includes(Buffer.from(needle));
}

describe("real-world Go modules, built for real", function () {
    before(() => h.prepareRegistry());

    describe("a module that vendors third-party packages", () => {
        let context: string;
        let declared: h.DeclaredImage;
        let build: h.BuildResult;

        before(async () => {
            context = vendoredModule(h.workDir("vendored"));
            declared = await h.declareImage("vendored", args(context));
            build = h.buildWindows(declared); // the RUN steps have no network at all
        });

        it("would fail at a download step offline, so the Dockerfile has none and builds from vendor/", () => {
            const download = h.run(goBinary(), ["mod", "download"], {
                cwd: context,
                env: { ...process.env, GOPROXY: "off", GOFLAGS: "", GOMODCACHE: h.workDir("modcache") },
                allowFailure: true,
            });
            assert.notStrictEqual(download.status, 0, "go mod download needs the network for a vendored module");
            assert.doesNotMatch(declared.dockerfile, /go mod download/);
            assert.match(declared.dockerfile, /go build -trimpath -buildvcs=false -mod=vendor /);
        });

        it("runs under Wine and prints what the same program prints on Linux", () => {
            const linux = path.join(h.workDir("linux"), "vendored");
            h.run(goBinary(), ["build", "-mod=vendor", "-o", linux, "."], {
                cwd: context,
                env: { ...process.env, GOPROXY: "off", GOFLAGS: "", CGO_ENABLED: "0", GOTOOLCHAIN: "local" },
            });
            const expected = h.run(linux, []).stdout;
            assert.match(expected, /^[0-9a-f-]{36} de-CH vendored: cause\n$/);
            assert.strictEqual(h.wineRun(executable(build, "vendored"), []).stdout.replace(/\r\n/g, "\n"), expected);
        });
    });

    describe("a private module behind a module proxy that wants a credential", () => {
        const password = "s3cret-proxy-token-7f41";
        let proxy: ModuleProxy;
        let privateArgs: GoWindowsImageArgs;
        let declared: h.DeclaredImage;
        let secrets: Record<string, string>;

        before(async () => {
            const greeting = writeModule(tempDir("greeting"), {
                "go.mod": "module example.internal/platform/greeting\n\ngo 1.23\n",
                "greeting.go": 'package greeting\n\nfunc Hello() string { return "hello from a private module" }\n',
            });
            proxy = await startModuleProxy(
                [{ path: "example.internal/platform/greeting", version: "v1.0.0", dir: greeting }],
                "ci",
                password,
            );
            const context = writeModule(h.workDir("billing"), {
                "go.mod":
                    "module example.com/billing\n\ngo 1.23\n\nrequire example.internal/platform/greeting v1.0.0\n",
                "main.go":
                    'package main\n\nimport "example.internal/platform/greeting"\n\nfunc main() { println(greeting.Hello()) }\n',
            });
            // go.sum, as the developer's `go mod tidy` writes it: through the proxy, with the credential.
            const hostNetrc = path.join(h.workDir("netrc"), "netrc");
            const hostCa = path.join(h.workDir("ca"), "ca.pem");
            fs.writeFileSync(hostNetrc, proxy.netrc);
            fs.writeFileSync(hostCa, proxy.certificate);
            h.run(goBinary(), ["mod", "tidy"], {
                cwd: context,
                env: {
                    ...process.env,
                    GOPROXY: proxy.url,
                    GOPRIVATE: "example.internal",
                    GONOPROXY: "none",
                    GOFLAGS: "",
                    NETRC: hostNetrc,
                    SSL_CERT_FILE: hostCa,
                    GOMODCACHE: h.workDir("modcache"),
                    GOTOOLCHAIN: "local",
                },
            });
            assert.match(
                fs.readFileSync(path.join(context, "go.sum"), "utf8"),
                /^example.internal\/platform\/greeting/,
            );
            privateArgs = args(context, {
                // A company's builder image trusts its private CA; this one trusts the proxy's certificate.
                builderImageRef: h.builderTrusting(proxy.certificate),
                // Private modules through the company's proxy (`go help private`): no checksum database for them.
                goEnv: { GOPROXY: proxy.url, GOPRIVATE: "example.internal", GONOPROXY: "none" },
                moduleAuth: { netrc: pulumi.secret(proxy.netrc) },
            });
            declared = await h.declareImage("billing", privateArgs);
            secrets = h.secretFiles(declared);
        });

        after(() => proxy?.close());

        it("builds with the credential as a BuildKit secret, and the program runs under Wine", () => {
            assert.deepStrictEqual(Object.keys(secrets), ["netrc"]);
            const before = proxy.requests().length;
            const build = h.buildWindows(declared, { network: "host", secrets });
            const served = proxy.requests().slice(before);
            assert.ok(
                served.some((r) => r.authorized && r.path.endsWith("/@v/v1.0.0.zip")),
                JSON.stringify(served),
            );
            assert.match(runUnderWine(executable(build, "billing")), /hello from a private module/);
        });

        it("fails without the credential, saying the proxy refused it", () => {
            h.pruneBuildCache();
            assert.throws(
                () => h.buildWindows(declared, { network: "host" }),
                (e: Error) => /401 Unauthorized/.test(e.message) && /go mod download/.test(e.message),
            );
        });

        it("leaves the credential nowhere: not in the image, its configuration, its history or the build stage", async () => {
            const build = h.buildWindows(declared, { network: "host", secrets });
            assert.ok(!holds(build.filesTar, password), "the Windows image's files");
            const stage = h.buildWindows(declared, { network: "host", secrets, target: "build" });
            assert.ok(!holds(stage.filesTar, password), "the build stage's files (what a cache export holds)");
            // BuildKit's history names each step's command (not its mounts): the download for the build stage.
            const steps: [string | undefined, RegExp][] = [
                ["build", /go mod download/],
                [undefined, /ENTRYPOINT/],
            ];
            for (const [target, step] of steps) {
                const ref = await h.buildLinuxStandIn("billing", privateArgs, { network: "host", secrets, target });
                const records = h.imageRecords(ref);
                assert.match(records, step, "the history was read");
                assert.ok(!records.includes(password), `the configuration and history of ${ref}`);
            }
            assert.ok(!declared.dockerfile.includes(password) && !declared.tag.includes(password));
            assert.ok(!JSON.stringify(declared.buildArgs).includes(password), "the build arguments");
        });

        it("leaves the credential nowhere in the recorded resource inputs but inside secrets", async () => {
            await h.declareImage("billing", privateArgs);
            const exposed = mocks.resources.flatMap((r) =>
                mocks
                    .stringsIn(r.wireInputs)
                    .filter((s) => !s.secret && s.value.includes(password))
                    .map((s) => `${r.type} ${r.name}: ${s.value}`),
            );
            assert.deepStrictEqual(exposed, []);
            const inSecrets = mocks.resources.flatMap((r) => mocks.stringsIn(r.wireInputs)).filter((s) => s.secret);
            assert.ok(
                inSecrets.some((s) => s.value.includes(password)),
                "the credential is there, as a secret",
            );
        });
    });

    describe("a monorepo whose service replaces ../shared", () => {
        it("builds from the repository root as context and runs under Wine", async () => {
            const context = monorepo();
            const declared = await h.declareImage("api", args(context, { module: "services/api" }));
            const build = h.buildWindows(declared);
            assert.match(runUnderWine(executable(build, "api")), /hello from shared/);
        });
    });

    describe("a program that calls C, with cgo: true", () => {
        let exe: string;

        before(async () => {
            const declared = await h.declareImage(
                "cgo",
                args(cgoModule(), { cgo: true, builderImageRef: h.mingwBuilderRef() }),
            );
            // No network: the builder has MinGW-w64, so the install step does nothing.
            exe = executable(h.buildWindows(declared), "cgo");
        });

        it("imports only DLLs that Nano Server ships, linking the C parts statically", () => {
            const dump = h.run("x86_64-w64-mingw32-objdump", ["-p", exe]).stdout;
            const dlls = importedDlls(dump);
            assert.ok(dlls.includes("msvcrt.dll"), `the C runtime is MinGW-w64's: ${dlls.join(", ")}`);
            assert.deepStrictEqual(
                dlls.filter((d) => !nanoServerDlls.has(d)),
                [],
                `imports: ${dlls.join(", ")}`,
            );
            // Statically linked: no MinGW runtime DLL (libgcc, winpthread) to ship beside it.
            assert.doesNotMatch(dump, /libgcc|libwinpthread|libstdc/i);
        });

        it("runs under Wine, the C function answering", () => {
            assert.strictEqual(runUnderWine(exe).trim(), "C says 42 is twice 21 (call 1)");
        });
    });

    describe("a registry cache", () => {
        it("cannot be exported by this machine's engine (Docker 20.10's own BuildKit, no buildx)", () => {
            const docker = "/usr/bin/docker";
            const cacheTo = h.run(docker, ["build", "--cache-to", "type=registry,ref=x", "."], { allowFailure: true });
            assert.notStrictEqual(cacheTo.status, 0);
            assert.match(cacheTo.stderr, /unknown flag: --cache-to/);
            const buildx = h.run(docker, ["buildx", "version"], { allowFailure: true });
            assert.notStrictEqual(buildx.status, 0, "no buildx plugin");
        });
    });
});
