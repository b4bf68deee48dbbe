// The daemonless strategy for real, with no Docker at all: GoWindowsImage compiles the sample service and a vendored
// module with this machine's Go in a process that has no `docker` on PATH and no Docker socket, and pushes to the
// local registry; skopeo, Go's archive/tar and Wine read what it pushed. Docker runs only in this (the parent)
// process, to set the registry up and to build what the daemonless images are compared with.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GoWindowsImageArgs } from "../../components";
import { changeOneLineOfGo, repoRoot } from "../support/files";
import { startFaultProxy } from "../support/faultProxy";
import { vendoredModule } from "../support/goModules";
import { goTarHeaders } from "../support/goTar";
import * as h from "../support/tools";

const sha256 = (data: Buffer) => `sha256:${crypto.createHash("sha256").update(data).digest("hex")}`;

/**
 * The manifest digest of a fixed module (`fixedModule`, written by this test, so that no change to the sample service
 * moves it) built on the stand-in ltsc2022 base, recorded once per Go release (the executable is Go's output): every
 * machine with that Go must push exactly this image.
 */
const recordedFixedDigests: Record<string, string> = {
    "go1.23.5": "sha256:6d0798c6849fa286aa6d7fd72965eb82ba3b6c085b7eb0fa84770df22dbccb3c",
};

/** A small module of fixed sources: a clone of it in `project/app`. */
function fixedModule(project: string): void {
    const app = path.join(project, "app");
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, "go.mod"), "module example.com/fixed\n\ngo 1.21\n");
    fs.writeFileSync(
        path.join(app, "main.go"),
        'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("the same image on every machine") }\n',
    );
}

/** A project folder holding a copy of `module` as `app/`: what a clone of the user's repository looks like. */
function cloneProject(module: string): string {
    const project = h.workDir("clone");
    fs.cpSync(module, path.join(project, "app"), { recursive: true });
    return project;
}

function sampleArgs(repository: string, registry = h.env.registry): GoWindowsImageArgs {
    return {
        context: "app",
        registry: { server: registry, repositoryName: repository },
        baseImageRef: h.standInBaseRef("nanoserver", "ltsc2022"),
        ...h.sampleServiceSettings,
    };
}

/** The pushed image's application layer (its last), read back from the registry. */
function appLayerOf(imageRef: string): { inspected: h.Inspected; blob: Buffer } {
    const inspected = h.inspect(imageRef);
    const layer = inspected.manifest.layers[inspected.manifest.layers.length - 1];
    const repository = imageRef.slice(0, imageRef.indexOf("@"));
    const file = path.join(h.workDir("blob"), "layer.tar.gz");
    h.run("sh", ["-c", `"${h.env.crane}" --insecure blob "${repository}@${layer.digest}" > "${file}"`]);
    return { inspected, blob: fs.readFileSync(file) };
}

/** Extracts the executable of a Windows layer (gzip) to a file. */
function executableOf(blob: Buffer, name: string): string {
    const dir = h.workDir("exe");
    fs.writeFileSync(path.join(dir, "layer.tar.gz"), blob);
    h.run("tar", ["-xzf", path.join(dir, "layer.tar.gz"), "-C", dir, `Files/app/${name}`]);
    return path.join(dir, "Files", "app", name);
}

describe("daemonless, with no Docker: the sample service", function () {
    const repository = "daemonless/hello";
    let project: string;
    let first: h.DaemonlessRunResult;
    let pushed: { inspected: h.Inspected; blob: Buffer };
    let base: h.Inspected;

    before(async () => {
        h.prepareRegistry();
        project = cloneProject(path.join(repoRoot, "app"));
        first = await h.runDaemonless("hello", sampleArgs(repository), project);
        pushed = appLayerOf(first.imageRef);
        base = h.inspect(h.standInBaseRef("nanoserver", "ltsc2022"));
    });

    it("ran where no Docker is: no `docker` on PATH, DOCKER_HOST a socket that does not exist", () => {
        assert.deepStrictEqual([first.docker.run, first.docker.socketExists], ["ENOENT", false]);
        assert.match(first.docker.host, /^unix:\/\/.*docker\.sock$/);
        assert.match(first.imageRef, new RegExp(`^${h.env.registry}/${repository}@sha256:[0-9a-f]{64}$`));
    });

    it("pushed a windows/amd64 image with the base's os.version and one more layer than the base", () => {
        const { config, manifest } = pushed.inspected;
        assert.deepStrictEqual(
            [config.os, config.architecture, config["os.version"]],
            ["windows", "amd64", base.config["os.version"]],
        );
        assert.strictEqual(config["os.version"], h.standInOsVersion.ltsc2022);
        assert.strictEqual(manifest.layers.length, base.manifest.layers.length + 1);
        assert.deepStrictEqual(
            manifest.layers.slice(0, -1).map((l) => l.digest),
            base.manifest.layers.map((l) => l.digest),
        );
        assert.deepStrictEqual(config.rootfs.diff_ids.slice(0, -1), base.config.rootfs.diff_ids);
        assert.strictEqual(manifest.mediaType, base.manifest.mediaType, "the base's family of media types");
        assert.strictEqual(first.windowsOsVersion, h.standInOsVersion.ltsc2022);
    });

    it("has a layer in Windows form: Hives/, Files/, the app folder, the executable, as the importer reads them", () => {
        const headers = goTarHeaders(pushed.blob);
        assert.deepStrictEqual(
            headers.map((e) => [e.Name, e.Typeflag]),
            [
                ["Hives/", "5"],
                ["Files/", "5"],
                ["Files/app/", "5"],
                ["Files/app/hello.exe", "0"],
            ],
        );
        const exe = headers[3];
        assert.strictEqual(exe.PAXRecords?.["MSWINDOWS.fileattr"], "32");
        assert.ok(exe.PAXRecords?.["MSWINDOWS.rawsd"]);
        assert.ok(headers.every((e) => e.ModTime === 0));
        assert.strictEqual(sha256(fs.readFileSync(executableOf(pushed.blob, "hello.exe"))), first.outputs.binaryDigest);
        assert.strictEqual(sha256(pushed.blob), first.outputs.layerDigest);
    });

    it("has the configuration BuildKit reads from the same Dockerfile's runtime stage", async () => {
        const buildkit = await h.runtimeConfigFromBuildKit("hello", {
            ...sampleArgs(repository),
            context: path.join(project, "app"),
            builderImageRef: h.builderRef(),
        });
        const c = pushed.inspected.config.config;
        assert.deepStrictEqual(
            { ...buildkit, Cmd: buildkit.Cmd ?? undefined },
            {
                Entrypoint: c.Entrypoint,
                Cmd: c.Cmd,
                Env: c.Env,
                ExposedPorts: c.ExposedPorts,
                User: c.User,
                Labels: c.Labels,
                Healthcheck: c.Healthcheck,
            },
        );
        assert.deepStrictEqual(c.Env, ["PORT=8080", 'GREETING=say "hi" $HOME'], "no PATH");
    });

    it("compiles the executable a cross build compiles, byte for byte", async () => {
        const declared = await h.declareImage("hello", {
            ...sampleArgs(repository),
            context: path.join(project, "app"),
            builderImageRef: h.builderRef(),
        });
        const build = h.buildWindows(declared);
        const crossExe = fs.readFileSync(h.extract(build.filesTar, "app/hello.exe"));
        assert.strictEqual(sha256(crossExe), first.outputs.binaryDigest);
    });

    it("answers under Wine: the executable from the pushed image serves, checks its health and knows its version", async () => {
        const { server } = await h.serveSampleUnderWine(executableOf(pushed.blob, "hello.exe"), "1.2.3");
        server.child.kill("SIGKILL");
    });

    it("gives one digest from two clones in other folders, with other modes and times", async () => {
        const other = cloneProject(path.join(repoRoot, "app"));
        fs.chmodSync(path.join(other, "app", "main.go"), 0o600);
        fs.utimesSync(path.join(other, "app", "main.go"), new Date(2001, 1, 1), new Date(2001, 1, 1));
        const second = await h.runDaemonless("hello", sampleArgs(repository), other);
        assert.strictEqual(second.imageRef, first.imageRef);
    });
});

describe("daemonless, with no Docker: a fixed module's digest, the same on every machine", function () {
    it("is one digest from two clones under other umasks and times, the one recorded for this Go", async () => {
        h.prepareRegistry();
        const args = (): GoWindowsImageArgs => ({
            context: "app",
            registry: { server: h.env.registry, repositoryName: "daemonless/fixed" },
            baseImageRef: h.standInBaseRef("nanoserver", "ltsc2022"),
            goEnv: { GOPROXY: "off" },
        });
        const [one, two] = [h.workDir("fixed-one"), h.workDir("fixed-two")];
        fixedModule(one);
        const umask = process.umask(0o077);
        try {
            fixedModule(two);
        } finally {
            process.umask(umask);
        }
        fs.utimesSync(path.join(two, "app", "main.go"), new Date(2001, 1, 1), new Date(2001, 1, 1));
        const first = await h.runDaemonless("fixed", args(), one);
        const second = await h.runDaemonless("fixed", args(), two);
        assert.strictEqual(second.imageRef, first.imageRef);
        const go = first.dockerfile.match(/FROM --platform=\$BUILDPLATFORM golang:(\S+) AS build/)![1];
        const digest = first.imageRef.slice(first.imageRef.indexOf("@") + 1);
        assert.ok(
            recordedFixedDigests[`go${go}`],
            `no digest recorded for go${go}: record "go${go}": "${digest}" in recordedFixedDigests`,
        );
        assert.strictEqual(digest, recordedFixedDigests[`go${go}`]);
    });
});

describe("daemonless, with no Docker: rebuilds through a proxy that counts what reaches the registry", function () {
    const repository = "daemonless/rebuilt";

    it("pushes one layer, one configuration and one manifest after a one-line change, and nothing for a README", async () => {
        h.prepareRegistry();
        const proxy = await startFaultProxy(h.env.registry);
        try {
            const project = cloneProject(path.join(repoRoot, "app"));
            const args = sampleArgs(repository, proxy.host);
            const before = await h.runDaemonless("hello", args, project, proxy.host);
            changeOneLineOfGo(path.join(project, "app"));
            proxy.forwarded.length = 0;
            const after = await h.runDaemonless("hello", args, project, proxy.host);
            const writes = proxy.writes().map((r) => `${r.method} ${r.path.replace(/\?.*digest=/, "?digest=")}`);
            const pushedAfter = after.outputs.pushed as Record<string, { digest: string; tag: string }>;
            const config = h.inspect(after.imageRef.replace(proxy.host, h.env.registry)).manifest.config.digest;
            const blobs = [after.outputs.layerDigest as string, config].map(encodeURIComponent).sort();
            assert.notStrictEqual(after.imageRef, before.imageRef);
            assert.deepStrictEqual(
                writes
                    .filter((w) => w.startsWith("PUT ") && w.includes("?digest="))
                    .map((w) => w.split("?digest=")[1])
                    .sort(),
                blobs,
                "the closing PUT of exactly two uploads: the layer and the configuration",
            );
            assert.deepStrictEqual(
                writes.filter((w) => w.includes("/manifests/")),
                [`PUT /v2/${repository}/manifests/${pushedAfter.ltsc2022.tag}`],
            );
            assert.strictEqual(
                writes.length,
                5,
                `two uploads (an opening POST, a PUT with the bytes each) and a manifest:\n${writes.join("\n")}`,
            );
            assert.strictEqual(writes.filter((w) => w.startsWith("POST ")).length, 2, writes.join("\n"));
            const sent = proxy.writes().reduce((sum, r) => sum + r.bodyBytes, 0);
            const layerSize = h
                .inspect(after.imageRef.replace(proxy.host, h.env.registry))
                .manifest.layers.at(-1)!.size;
            assert.ok(
                sent < layerSize + 10000,
                `${sent} bytes sent for a layer of ${layerSize}: the base was not sent`,
            );

            fs.writeFileSync(path.join(project, "app", "README.md"), "# hello\n");
            proxy.forwarded.length = 0;
            const again = await h.runDaemonless("hello", args, project, proxy.host);
            assert.strictEqual(again.imageRef, after.imageRef);
            assert.strictEqual(again.tag, after.tag);
            assert.deepStrictEqual(proxy.writes(), [], "the registry holds all of it already");
        } finally {
            await proxy.close();
        }
    });
});

describe("daemonless, with no Docker: a vendored module, on every release", function () {
    let result: h.DaemonlessRunResult;
    let project: string;

    before(async () => {
        h.prepareRegistry();
        project = h.workDir("vendored-project");
        vendoredModule(path.join(project, "app"));
        result = await h.runDaemonless(
            "vendored",
            {
                context: "app",
                registry: { server: h.env.registry, repositoryName: "daemonless/vendored" },
                windowsVersions: ["ltsc2019", "ltsc2022", "ltsc2025"],
                baseImageRefs: {
                    ltsc2019: h.standInBaseRef("nanoserver", "ltsc2019"),
                    ltsc2022: h.standInBaseRef("nanoserver", "ltsc2022"),
                    ltsc2025: h.standInBaseRef("servercore", "ltsc2025"),
                },
                goEnv: { GOPROXY: "off" },
            },
            project,
        );
    });

    it("pushes an image index with one image per release, each on its base's os.version, from one compile", () => {
        const index = h.rawIndex(result.imageRef);
        assert.deepStrictEqual(
            index.manifests.map((m) => m.platform["os.version"]),
            [h.standInOsVersion.ltsc2025, h.standInOsVersion.ltsc2022, h.standInOsVersion.ltsc2019],
        );
        const repository = result.imageRef.slice(0, result.imageRef.indexOf("@"));
        const layers = index.manifests.map((m) => {
            const inspected = h.inspect(`${repository}@${m.digest}`);
            assert.strictEqual(inspected.config["os.version"], m.platform["os.version"]);
            return inspected.manifest.layers[inspected.manifest.layers.length - 1].digest;
        });
        assert.deepStrictEqual(new Set(layers), new Set([result.outputs.layerDigest]), "one layer, one executable");
    });

    it("runs under Wine and prints what it prints on Linux", () => {
        const release = (result.outputs.pushed as Record<string, { digest: string }>).ltsc2022;
        const repository = result.imageRef.slice(0, result.imageRef.indexOf("@"));
        const exe = executableOf(appLayerOf(`${repository}@${release.digest}`).blob, "vendored.exe");
        const out = h.wineRun(exe, []).stdout.replace(/\r\n/g, "\n");
        assert.match(out, /^[0-9a-f-]{36} de-CH vendored: cause\n$/);
    });
});

describe("daemonless's layer and other tools' Windows layers for the same executable", function () {
    let ours: ReturnType<typeof goTarHeaders>;
    let exe: string;
    before(async () => {
        h.prepareRegistry();
        const project = cloneProject(path.join(repoRoot, "app"));
        const result = await h.runDaemonless("hello", sampleArgs("daemonless/compare"), project);
        const blob = appLayerOf(result.imageRef).blob;
        ours = goTarHeaders(blob);
        exe = executableOf(blob, "hello.exe");
    });

    it("has the paths and kinds of entries crane append's Windows layer has (go-containerregistry internal/windows)", () => {
        const dir = h.workDir("crane-layer");
        fs.mkdirSync(path.join(dir, "app"));
        fs.copyFileSync(exe, path.join(dir, "app", "hello.exe"));
        const tar = path.join(dir, "layer.tar");
        h.run("tar", ["-C", dir, "--owner=0", "--group=0", "--mtime=@0", "-cf", tar, "app"]);
        const target = `${h.env.registry}/daemonless/crane:compare`;
        h.run(h.env.crane, [
            "--insecure",
            "append",
            "-b",
            h.standInBaseRef("nanoserver", "ltsc2022"),
            "-f",
            tar,
            "-t",
            target,
        ]);
        const digest = h.run(h.env.crane, ["--insecure", "digest", target]).stdout.trim();
        const theirs = goTarHeaders(appLayerOf(`${h.env.registry}/daemonless/crane@${digest}`).blob);
        const shape = (headers: ReturnType<typeof goTarHeaders>) =>
            headers.map((e) => `${e.Typeflag} ${e.Name.replace(/\/$/, "")}`).sort();
        assert.deepStrictEqual(shape(ours), shape(theirs));
        const exeOf = (headers: ReturnType<typeof goTarHeaders>) =>
            headers.find((e) => e.Name === "Files/app/hello.exe")!;
        assert.strictEqual(exeOf(ours).ContentSHA256, exeOf(theirs).ContentSHA256, "the same executable");
        // Both give the executable a security descriptor (crane's: owner and group BUILTIN\\Users, no DACL).
        assert.ok(exeOf(theirs).PAXRecords?.["MSWINDOWS.rawsd"] && exeOf(ours).PAXRecords?.["MSWINDOWS.rawsd"]);
    });

    it("cannot be compared with BuildKit's own: this engine's BuildKit exports no Windows layer, only files", () => {
        const dir = h.workDir("buildkit-windows");
        fs.copyFileSync(exe, path.join(dir, "hello.exe"));
        fs.writeFileSync(
            path.join(dir, "Dockerfile"),
            `FROM ${h.standInBaseRef("nanoserver", "ltsc2022")}\nCOPY hello.exe /app/hello.exe\n`,
        );
        const attempt = (output: string) =>
            h.run("/usr/bin/docker", ["build", "--platform", "windows/amd64", "--output", output, dir], {
                env: { ...process.env, DOCKER_BUILDKIT: "1" },
                allowFailure: true,
            });
        const image = attempt("type=image");
        assert.notStrictEqual(image.status, 0);
        assert.match(image.stderr, /exporter "image" could not be found|not supported/);
        const oci = attempt(`type=oci,dest=${path.join(dir, "oci.tar")}`);
        assert.notStrictEqual(oci.status, 0, "the docker CLI without buildx has only the local and tar outputs");
        const tar = path.join(dir, "files.tar");
        assert.strictEqual(attempt(`type=tar,dest=${tar}`).status, 0);
        const files = goTarHeaders(fs.readFileSync(tar));
        const app = files.find((e) => e.Name.replace(/^\.?\//, "") === "app/hello.exe");
        assert.ok(app, "the executable at app/hello.exe, not Files/app/hello.exe");
        assert.ok(!files.some((e) => e.PAXRecords?.["MSWINDOWS.rawsd"]), "no Windows security descriptors");
    });
});
