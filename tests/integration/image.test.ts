// The image for real: GoWindowsImage's Dockerfile built by BuildKit, pushed to a registry, inspected, and run under Wine.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { GoWindowsImageArgs } from "../../components";
import { changeOneLineOfGo, repoRoot } from "../support/files";
import * as h from "../support/tools";
import { importedDlls, nanoServerDlls } from "../support/windowsDlls";

const versions = ["ltsc2019", "ltsc2022", "ltsc2025"];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function sampleArgs(context: string, windowsVersion: string): GoWindowsImageArgs {
    return {
        context,
        windowsVersion,
        registry: { server: h.env.registry, repositoryName: "samples/hello" },
        builderImageRef: h.builderRef(),
        baseImageRef: h.standInBaseRef("nanoserver", windowsVersion),
        ...h.sampleServiceSettings,
    };
}

interface Built {
    declared: h.DeclaredImage;
    build: h.BuildResult;
    pushed: h.PushResult;
    inspected: h.Inspected;
    layerEntries: string[];
    layerFiles: string[];
    layerTar: string;
}

/** Declares, builds, assembles and pushes one image; returns everything the checks look at. */
async function buildAndPush(name: string, args: GoWindowsImageArgs): Promise<Built> {
    const declared = await h.declareImage(name, args);
    const build = h.buildWindows(declared);
    const config = await h.runtimeConfigFromBuildKit(name, args);
    const layer = h.applicationLayer(build.filesTar);
    // The base is the one the Dockerfile names, as BuildKit would build on it.
    const base = h.runtimeBaseOf(declared.dockerfile);
    const pushed = h.assembleAndPush(base, layer, config, `${declared.repositoryUrl}:${declared.tag}`);
    const inspected = h.inspect(pushed.imageRef);
    const appLayer = inspected.manifest.layers[inspected.manifest.layers.length - 1];
    const contents = h.layerContents(declared.repositoryUrl, appLayer.digest);
    return {
        declared,
        build,
        pushed,
        inspected,
        layerEntries: contents.entries,
        layerFiles: contents.files,
        layerTar: contents.tar,
    };
}

describe("the sample service, built and pushed for real", function () {
    const context = h.copyModule(path.join(repoRoot, "app"));
    const built: Record<string, Built> = {};

    before(() => h.prepareRegistry());

    for (const windowsVersion of versions) {
        describe(`on ${windowsVersion}`, () => {
            before(async () => {
                built[windowsVersion] = await buildAndPush("hello", sampleArgs(context, windowsVersion));
            });

            it("is built from the Dockerfile GoWindowsImage declares, with the overrides as its only change", () => {
                const { declared } = built[windowsVersion];
                assert.deepStrictEqual(declared.platforms, ["windows/amd64"]);
                // The overrides, pinned to the digests their tags hold in the registry.
                const builder = `${h.builderRef()}@${h.digestOf(h.builderRef())}`;
                const base = h.standInBaseRef("nanoserver", windowsVersion);
                assert.match(
                    declared.dockerfile,
                    new RegExp(`^FROM --platform=\\$BUILDPLATFORM ${escape(builder)} AS build$`, "m"),
                );
                assert.match(declared.dockerfile, new RegExp(`^FROM ${escape(base)}@${h.digestOf(base)}$`, "m"));
                assert.strictEqual(
                    declared.windowsOsVersion,
                    h.standInOsVersion[windowsVersion],
                    "read from the registry",
                );
            });

            it("is built on the base its Dockerfile names, and carries that base's os.version", () => {
                const { declared, build, inspected } = built[windowsVersion];
                const base = h.runtimeBaseOf(declared.dockerfile);
                // BuildKit's output holds the files of the base it resolved from the FROM line.
                const marker = fs.readFileSync(
                    h.extract(build.filesTar, "Files/Windows/System32/stand-in.txt"),
                    "utf8",
                );
                const baseConfig = h.inspect(base).config;
                assert.strictEqual(marker, `stand-in Windows base ${baseConfig["os.version"]}\n`);
                assert.strictEqual(inspected.config.os, "windows");
                assert.strictEqual(inspected.config.architecture, "amd64");
                assert.strictEqual(inspected.config["os.version"], baseConfig["os.version"]);
                assert.ok(
                    baseConfig["os.version"]?.startsWith(`${h.buildOf(windowsVersion)}.`),
                    baseConfig["os.version"],
                );
            });

            it("runs the binary by absolute path as ContainerUser, with its ports, env, labels and health check", () => {
                const c = built[windowsVersion].inspected.config.config;
                assert.deepStrictEqual(c.Entrypoint, ["C:\\app\\hello.exe"]);
                assert.strictEqual(c.User, "ContainerUser");
                assert.deepStrictEqual(c.ExposedPorts, { "8080/tcp": {} });
                assert.deepStrictEqual(c.Env, ["PORT=8080", 'GREETING=say "hi" $HOME']);
                assert.deepStrictEqual(c.Labels, {
                    "org.opencontainers.image.source": "https://example.com/hello",
                    "org.opencontainers.image.revision": "abc123",
                    "org.opencontainers.image.version": "1.2.3",
                });
                assert.deepStrictEqual(c.Healthcheck, {
                    Test: ["CMD", "C:\\app\\hello.exe", "healthcheck"],
                    Interval: 30e9,
                    Timeout: 5e9,
                    StartPeriod: 10e9,
                    Retries: 3,
                });
            });

            it("adds one application layer, in Windows form, holding the binary and nothing else", () => {
                const { inspected, layerEntries, layerFiles } = built[windowsVersion];
                assert.strictEqual(inspected.manifest.layers.length, 2, "the base layer and the application layer");
                assert.deepStrictEqual(layerFiles, ["Files/app/hello.exe"]);
                assert.ok(
                    layerEntries.every((e) => /^(Files|Hives)(\/|$)/.test(e)),
                    layerEntries.join(", "),
                );
            });

            it("keeps the application layer within 1.05 times the binary's size", () => {
                const { inspected, layerTar } = built[windowsVersion];
                const binary = fs.statSync(h.extract(layerTar, "Files/app/hello.exe")).size;
                const compressed = inspected.manifest.layers[1].size;
                assert.ok(compressed <= 1.05 * binary, `layer ${compressed} B against binary ${binary} B`);
            });
        });
    }

    describe("the binary", () => {
        let exe: string;
        before(() => {
            exe = h.extract(built.ltsc2022.layerTar, "Files/app/hello.exe");
        });

        it("is the same file for every Windows version (one build stage)", () => {
            const digests = versions.map(
                (v) => h.run("sha256sum", [h.extract(built[v].layerTar, "Files/app/hello.exe")]).stdout.split(" ")[0],
            );
            assert.strictEqual(new Set(digests).size, 1, digests.join(" "));
        });

        it("is a PE32+ console program for AMD64 that imports only Windows system libraries", () => {
            assert.match(h.run("file", ["-b", exe]).stdout, /^PE32\+ executable \(console\) x86-64/);
            const dump = h.run("x86_64-w64-mingw32-objdump", ["-p", exe]).stdout;
            const dlls = importedDlls(dump);
            assert.ok(dlls.length > 0, "the import table was read");
            assert.deepStrictEqual(
                dlls.filter((d) => !nanoServerDlls.has(d)),
                [],
                `imports: ${dlls.join(", ")}`,
            );
            assert.ok(!/GUI/.test(dump.match(/Subsystem\s+\S+\s+\(([^)]*)\)/)?.[1] ?? ""), "not a GUI program");
        });

        it("serves /healthz under Wine, passes its healthcheck, stops cleanly, then fails its healthcheck", async () => {
            const { server, port } = await h.serveSampleUnderWine(exe, "1.2.3");
            try {
                // Wine turns SIGINT into CTRL_C_EVENT, which Go delivers as os.Interrupt; it has no way to send
                // CTRL_SHUTDOWN_EVENT, so the SIGTERM path is proven by the Go tests in app/.
                server.child.kill("SIGINT");
                assert.strictEqual(await server.exited, 0, server.output());
                assert.match(server.output(), /stopped/);
                assert.notStrictEqual(h.wineRun(exe, ["healthcheck"], { PORT: port }).status, 0);
            } finally {
                server.child.kill("SIGKILL");
            }
        });
    });

    describe("after a one-line change to a .go file", () => {
        let original: Built;
        let after: Built;
        let cacheBefore: { id: string; usage: number } | undefined;
        let cacheAfter: { id: string; usage: number } | undefined;
        before(async () => {
            original = built.ltsc2022;
            cacheBefore = goBuildCache();
            changeOneLineOfGo(context);
            after = await buildAndPush("hello", sampleArgs(context, "ltsc2022"));
            cacheAfter = goBuildCache();
        });

        it("gets a new tag", () => {
            assert.notStrictEqual(after.declared.tag, original.declared.tag);
        });

        it("reuses the module download layer", () => {
            const step = /^#(\d+) \[build \d+\/\d+\] RUN .*go mod download$/m.exec(after.build.log);
            assert.ok(step, after.build.log);
            assert.match(after.build.log, new RegExp(`^#${step[1]} CACHED$`, "m"));
        });

        it("reuses the Go build cache", () => {
            assert.ok(cacheBefore && cacheAfter, "a go-build cache mount exists");
            assert.strictEqual(cacheAfter.id, cacheBefore.id, "the same cache mount");
            assert.ok(cacheAfter.usage > cacheBefore.usage, `usage ${cacheBefore.usage} -> ${cacheAfter.usage}`);
        });

        it("changes only the application layer, and does not push the base layer again", () => {
            const [baseBefore, appBefore] = original.inspected.manifest.layers;
            const [baseAfter, appAfter] = after.inspected.manifest.layers;
            assert.strictEqual(baseAfter.digest, baseBefore.digest);
            assert.notStrictEqual(appAfter.digest, appBefore.digest);
            assert.ok(!after.pushed.pushLog.includes(`pushed blob: ${baseAfter.digest}`), after.pushed.pushLog);
            assert.match(after.pushed.pushLog, new RegExp(`existing blob: ${baseAfter.digest}`));
        });
    });
});

/** The BuildKit cache mount that holds Go's build cache, from the engine's build cache listing. */
function goBuildCache(): { id: string; usage: number } | undefined {
    const entries = JSON.parse(
        h.run("/usr/bin/docker", ["system", "df", "-v", "--format", "{{json .BuildCache}}"]).stdout,
    ) as {
        ID: string;
        CacheType: string;
        Description: string;
        UsageCount: string;
    }[];
    const mounts = entries.filter(
        (e) => e.CacheType === "exec.cachemount" && e.Description.includes("/root/.cache/go-build"),
    );
    if (mounts.length !== 1) return undefined;
    return { id: mounts[0].ID, usage: Number(mounts[0].UsageCount) };
}

describe("two builds of the same inputs that share no cache", function () {
    let first: h.BuildResult;
    let second: h.BuildResult;
    before(async () => {
        h.prepareRegistry();
        const context = h.copyModule(path.join(repoRoot, "app"));
        const declared = await h.declareImage("hello", sampleArgs(context, "ltsc2022"));
        h.pruneBuildCache();
        first = h.buildWindows(declared);
        h.pruneBuildCache();
        second = h.buildWindows(declared);
    });

    it("built from scratch both times", () => {
        for (const build of [first, second]) assert.doesNotMatch(build.log, /^#\d+ CACHED$/m, build.log);
    });

    it("give byte-identical files, the executable included", () => {
        const sha = (file: string) => h.run("sha256sum", [file]).stdout.split(" ")[0];
        assert.strictEqual(sha(second.filesTar), sha(first.filesTar), "the whole output of the Windows stage");
        assert.strictEqual(
            sha(h.extract(second.filesTar, "app/hello.exe")),
            sha(h.extract(first.filesTar, "app/hello.exe")),
        );
    });

    it("give every entry the build adds a fixed time (SOURCE_DATE_EPOCH)", () => {
        const added = h.tarEntries(first.filesTar).filter((e) => !/^(Files|Hives)(\/|$)/.test(e.name));
        assert.deepStrictEqual(
            added.map((e) => [e.name, e.mtime]),
            [
                ["app/", 0],
                ["app/hello.exe", 0],
            ],
        );
    });
});

describe("a base patched under the same tag", function () {
    const base = () => `${h.env.registry}/windows/patched-nanoserver:ltsc2022`;
    const march = "10.0.20348.2340";
    const april = "10.0.20348.2402";
    let onMarch: Built;
    let onApril: Built;
    before(async () => {
        h.prepareRegistry();
        const context = h.copyModule(path.join(repoRoot, "app"));
        const args = { ...sampleArgs(context, "ltsc2022"), baseImageRef: base() };
        h.pushStandInBase(base(), march);
        onMarch = await buildAndPush("hello", args);
        h.pushStandInBase(base(), april);
        onApril = await buildAndPush("hello", args);
    });

    it("is pinned to the new digest on the next render, with a new tag", () => {
        assert.match(onMarch.declared.dockerfile, new RegExp(`^FROM ${escape(base())}@sha256:[a-f0-9]{64}$`, "m"));
        assert.match(onApril.declared.dockerfile, new RegExp(`^FROM ${escape(base())}@${h.digestOf(base())}$`, "m"));
        assert.notStrictEqual(onApril.declared.dockerfile, onMarch.declared.dockerfile);
        assert.notStrictEqual(onApril.declared.tag, onMarch.declared.tag);
        assert.deepStrictEqual([onMarch.declared.windowsOsVersion, onApril.declared.windowsOsVersion], [march, april]);
    });

    it("gives the built image the patched base's os.version", () => {
        assert.strictEqual(onMarch.inspected.config["os.version"], march);
        assert.strictEqual(onApril.inspected.config["os.version"], april);
    });

    it("reuses the Go build step from the cache", () => {
        const step = /^#(\d+) \[build \d+\/\d+\] RUN .*mkdir -p \/out\/app/m.exec(onApril.build.log);
        assert.ok(step, onApril.build.log);
        assert.match(onApril.build.log, new RegExp(`^#${step[1]} CACHED$`, "m"));
    });
});

describe("other module shapes, built for real", function () {
    before(() => h.prepareRegistry());

    const shapes: [string, string, Partial<GoWindowsImageArgs>, string, RegExp][] = [
        [
            "a main package in a subfolder",
            "subpackage",
            { package: "./cmd/greeter" },
            "Files/app/greeter.exe",
            /^hello from cmd\/greeter$/m,
        ],
        ["a module that embeds files", "embedded", {}, "Files/app/embedded.exe", /^embedded message v1$/m],
    ];
    for (const [what, fixture, extra, binary, output] of shapes) {
        it(`builds ${what}, and the binary runs under Wine`, async () => {
            const context = h.copyModule(path.join(repoRoot, "tests", "fixtures", fixture));
            const result = await buildAndPush(fixture, {
                context,
                registry: { server: h.env.registry, repositoryName: `samples/${fixture}` },
                builderImageRef: h.builderRef(),
                baseImageRef: h.standInBaseRef("nanoserver", "ltsc2022"),
                ...extra,
            });
            assert.deepStrictEqual(result.layerFiles, [binary]);
            const run = h.wineRun(h.extract(result.layerTar, binary), []);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stdout, output);
        });
    }
});
