// npm run bench: build times, hashing speed, sizes and program evaluation time, written to bench/RESULTS.md.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GoWindowsImage, GoWindowsImageArgs } from "../components";
import { goBuildInputs, hashContents, readGoBuildInputs } from "../components/image";
import * as mocks from "../tests/support/mocks";
import { changeOneLineOfGo } from "../tests/support/files";
import { vendoredModule } from "../tests/support/goModules";
import { beforeAndAfter, perturbations } from "../tests/support/perturbations";
import * as h from "../tests/support/tools";

interface Row {
    figure: string;
    value: string;
    command: string;
}
const rows: Row[] = [];
const runs = Number(process.env.BENCH_RUNS ?? 3);

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timed<T>(fn: () => T): { seconds: number; value: T } {
    const start = process.hrtime.bigint();
    const value = fn();
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
    const start = process.hrtime.bigint();
    const value = await fn();
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const secs = (s: number) => `${s.toFixed(2)} s`;

function machine(): string {
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    const go = h.run("go", ["version"]).stdout.trim();
    const dockerVersion = h.run("/usr/bin/docker", ["version", "--format", "{{.Server.Version}}"]).stdout.trim();
    return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${go}, Docker ${dockerVersion}`;
}

function sampleArgs(context: string): GoWindowsImageArgs {
    return {
        context,
        registry: { server: h.env.registry, repositoryName: "bench/hello" },
        builderImageRef: h.builderRef(),
        baseImageRef: h.standInBaseRef("nanoserver", "ltsc2022"),
        ports: [8080],
        healthCheck: {},
    };
}

/** A one-line change to the vendored module's main.go, distinct per `variant`. */
function changeOneLineOfVendoredGo(dir: string, variant: string): void {
    const main = path.join(dir, "main.go");
    const before = fs.readFileSync(main, "utf8");
    const after = before.replace(/errors\.New\("cause[^"]*"\)/, `errors.New("cause ${variant}")`);
    if (after === before) throw new Error(`${main} has no line to change`);
    fs.writeFileSync(main, after);
}

/**
 * Cold build (empty build cache) and rebuild after a one-line Go change, through the generated Dockerfile, for the
 * sample service and for a module that vendors third-party packages (built with the network off).
 */
async function buildTimes(): Promise<void> {
    const modules = [
        { label: "app/", make: () => h.copyModule(path.resolve("app")), change: changeOneLineOfGo },
        {
            label: "a vendored module (uuid, mux, errors, x/text)",
            make: () => vendoredModule(h.workDir("bench-vendored")),
            change: changeOneLineOfVendoredGo,
        },
    ];
    const command = "docker build --platform windows/amd64 --output type=tar (BuildKit, generated cross Dockerfile)";
    for (const { label, make, change } of modules) {
        const cold: number[] = [];
        const warm: number[] = [];
        for (let i = 0; i < runs; i++) {
            const context = make();
            h.pruneBuildCache();
            cold.push(h.buildWindows(await h.declareImage("hello", sampleArgs(context))).seconds);
            change(context, `run ${i}`);
            warm.push(h.buildWindows(await h.declareImage("hello", sampleArgs(context))).seconds);
        }
        rows.push({
            figure: `cold build of ${label} (median of ${runs}, build cache pruned)`,
            value: secs(median(cold)),
            command,
        });
        rows.push({
            figure: `rebuild of ${label} after a one-line .go change (median of ${runs})`,
            value: secs(median(warm)),
            command,
        });
        const ratios = cold.map((c, i) => warm[i] / c);
        rows.push({
            figure: `rebuild / cold for ${label} (median of per-run ratios; target ≤ 0.15)`,
            value: median(ratios).toFixed(3),
            command: "same runs",
        });
    }
    rows.push({
        figure: "a fresh builder with the registry cache against one without",
        value: "not measurable here",
        command: "Docker 20.10's BuildKit cannot export a cache (no --cache-to, no buildx): see docs/guides/modules.md",
    });
}

/** A module with `packages` × `perPackage` vendored Go files of about 8 KB, all imported by its main package. */
function bigVendoredModule(packages: number, perPackage: number): string {
    const dir = h.workDir("big-vendored");
    const body = Array.from({ length: 60 }, (_, i) => `\tfmt.Println("line ${i} of generated code", ${i})`).join("\n");
    const imports: string[] = [];
    const manifest = ["# example.com/big v1.0.0", "## explicit"];
    for (let p = 0; p < packages; p++) {
        const pkgDir = path.join(dir, "vendor", "example.com", "big", `p${p}`);
        fs.mkdirSync(pkgDir, { recursive: true });
        for (let f = 0; f < perPackage; f++) {
            const funcs = Array.from({ length: 3 }, (_, k) => `func F${f}_${k}() {\n${body}\n}`).join("\n\n");
            fs.writeFileSync(path.join(pkgDir, `f${f}.go`), `package p${p}\n\nimport "fmt"\n\n${funcs}\n`);
        }
        imports.push(`\t_ "example.com/big/p${p}"`);
        manifest.push(`example.com/big/p${p}`);
    }
    fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/app\n\ngo 1.23\n\nrequire example.com/big v1.0.0\n");
    fs.writeFileSync(path.join(dir, "vendor", "modules.txt"), `${manifest.join("\n")}\n`);
    fs.writeFileSync(
        path.join(dir, "main.go"),
        `package main\n\nimport (\n${imports.join("\n")}\n)\n\nfunc main() {}\n`,
    );
    return dir;
}

/** The time to compute the tag (find the Go build's inputs and hash them) against sha256sum of the same files. */
function tagTime(): void {
    const dir = bigVendoredModule(100, 20);
    const target = { goos: "windows", goarch: "amd64", cgo: false, goVersion: "1.23", tags: [] };
    const layout = { contextDir: dir, moduleDir: dir, packageDir: dir, target };
    const inputs = {
        dockerfile: "FROM scratch\n",
        buildArgs: {},
        builderImageRef: "b",
        baseImageRef: "c",
        platform: "windows/amd64",
    };
    const tag = () => hashContents(readGoBuildInputs(layout), inputs);
    const files = goBuildInputs(layout);
    const listFile = path.join(h.workDir("lists"), "files");
    fs.writeFileSync(listFile, files.map((f) => path.join(dir, f)).join("\0"));
    const sha256sum = () => h.run("sh", ["-c", `xargs -0 sha256sum < "${listFile}" > /dev/null`]);
    tag();
    sha256sum();
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < runs; i++) {
        ours.push(timed(tag).seconds);
        theirs.push(timed(sha256sum).seconds);
    }
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
    rows.push({
        figure: `tag of a module with ${files.length} files the build reads (${files.length - 3} vendored, ${mb(bytes)}; median of ${runs})`,
        value: secs(median(ours)),
        command: "hashContents(readGoBuildInputs(layout), inputs), as GoWindowsImage computes it",
    });
    rows.push({
        figure: "sha256sum of the same files",
        value: secs(median(theirs)),
        command: "xargs -0 sha256sum < file list",
    });
    rows.push({
        figure: "tag / sha256sum (median of per-run ratios; target ≤ 1.5)",
        value: median(ours.map((o, i) => o / theirs[i])).toFixed(2),
        command: "same runs",
    });
    const appLayout = {
        ...layout,
        contextDir: path.resolve("app"),
        moduleDir: path.resolve("app"),
        packageDir: path.resolve("app"),
    };
    const app = Array.from(
        { length: 20 },
        () => timed(() => hashContents(readGoBuildInputs(appLayout), inputs)).seconds,
    );
    rows.push({
        figure: "tag of app/ (median of 20)",
        value: `${(median(app) * 1000).toFixed(2)} ms`,
        command: "same, for app/",
    });
}

/** Spurious rebuilds and missed ones over the perturbation suite (tests/support/perturbations.ts). */
async function rebuilds(): Promise<void> {
    let spurious = 0;
    let missed = 0;
    const same = perturbations.filter((p) => p.expect === "same");
    for (const perturbation of perturbations) {
        const { before, after } = await beforeAndAfter(perturbation);
        const changed =
            after.tag !== before.tag ||
            after.inputs !== before.inputs ||
            after.providerContextHash !== before.providerContextHash;
        if (perturbation.expect === "same" && changed) spurious++;
        if (perturbation.expect === "changed" && after.tag === before.tag) missed++;
    }
    rows.push({
        figure: `spurious rebuilds over ${same.length} changes that the Go build does not read (goal 0)`,
        value: String(spurious),
        command: "tests/support/perturbations.ts: tag or any docker-build input changed",
    });
    rows.push({
        figure: `missed rebuilds over ${perturbations.length - same.length} changes that it reads (goal 0)`,
        value: String(missed),
        command: "same suite: tag unchanged",
    });
}

/** Two builds of the same inputs that share no cache: the digest of each one's output. */
async function reproducibility(): Promise<void> {
    const context = h.copyModule(path.resolve("app"));
    const declared = await h.declareImage("hello", sampleArgs(context));
    const digests = [0, 1].map(() => {
        h.pruneBuildCache();
        const build = h.buildWindows(declared);
        return h.run("sha256sum", [build.filesTar]).stdout.split(" ")[0];
    });
    rows.push({
        figure: "two cache-free builds of the same inputs: SHA-256 of the Windows stage's output (goal identical)",
        value: `${digests[0].slice(0, 12)}…, ${digests[1].slice(0, 12)}… (${digests[0] === digests[1] ? "identical" : "different"})`,
        command: "docker builder prune -af; docker build --output type=tar (BuildKit 0.8: no image export here)",
    });
}

/** Binary sizes with and without the flags, and the pushed application layer. */
async function sizes(): Promise<void> {
    const out = h.workDir("sizes");
    const env = { ...process.env, CGO_ENABLED: "0", GOOS: "windows", GOARCH: "amd64" };
    h.run("go", ["build", "-o", path.join(out, "plain.exe"), "."], { cwd: "app", env });
    h.run("go", ["build", "-trimpath", "-ldflags", "-s -w", "-o", path.join(out, "flags.exe"), "."], {
        cwd: "app",
        env,
    });
    const plain = fs.statSync(path.join(out, "plain.exe")).size;
    const flagged = fs.statSync(path.join(out, "flags.exe")).size;
    rows.push({
        figure: 'binary without -trimpath -ldflags "-s -w"',
        value: mb(plain),
        command: "GOOS=windows go build .",
    });
    rows.push({
        figure: 'binary with -trimpath -ldflags "-s -w"',
        value: `${mb(flagged)} (${((1 - flagged / plain) * 100).toFixed(0)} % smaller)`,
        command: 'GOOS=windows go build -trimpath -ldflags "-s -w" .',
    });

    const args = sampleArgs(h.copyModule(path.resolve("app")));
    const declared = await h.declareImage("hello", args);
    const build = h.buildWindows(declared);
    const pushed = h.assembleAndPush(
        args.baseImageRef!,
        h.applicationLayer(build.filesTar),
        await h.runtimeConfigFromBuildKit("hello", args),
        `${declared.repositoryUrl}:${declared.tag}`,
    );
    const layer = h.inspect(pushed.imageRef).manifest.layers[1].size;
    rows.push({
        figure: "application layer, compressed, as pushed",
        value: `${mb(layer)} (${(layer / flagged).toFixed(3)} × the binary)`,
        command: "skopeo inspect --raw (layer size)",
    });

    // Microsoft's published compressed sizes, from shared/reference/windows-containers.md; n/a where none is recorded.
    const published: Record<string, number | undefined> = {
        "nanoserver ltsc2022": 124e6,
        "nanoserver ltsc2025": 197e6,
        "servercore ltsc2022": 2.2e9,
    };
    for (const flavour of ["nanoserver", "servercore"]) {
        for (const version of ["ltsc2019", "ltsc2022", "ltsc2025"]) {
            const base = published[`${flavour} ${version}`];
            rows.push({
                figure: `estimated pull, ${flavour} ${version}`,
                value:
                    base === undefined
                        ? "n/a (no published base size recorded)"
                        : `${mb(base + layer)} (published base ${mb(base)} + measured layer)`,
                command: "published base size + measured layer",
            });
        }
    }
    rows.push({
        figure: "plain single-stage Dockerfile on golang:<v>-windowsservercore-ltsc2022",
        value: "more than 2,200 MB (the servercore base alone; plus Go, MinGit and the sources)",
        command: "published servercore ltsc2022 size",
    });
}

/** Time to evaluate the program with 1 and 25 images under the mocks. */
async function evaluation(): Promise<void> {
    for (const count of [1, 25]) {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
            mocks.setupMocks();
            const { seconds } = await timedAsync(async () => {
                const images = Array.from(
                    { length: count },
                    (_, n) => new GoWindowsImage(`img${n}`, { context: "app", registry: { server: "localhost:5000" } }),
                );
                await Promise.all(images.map((image) => mocks.valueOf(image.imageRef)));
            });
            times.push(seconds);
        }
        rows.push({
            figure: `evaluate ${count} GoWindowsImage under mocks (median of 5)`,
            value: `${(median(times) * 1000).toFixed(0)} ms`,
            command: "new GoWindowsImage × N, await imageRef",
        });
    }
}

/** Three releases from one Go compile: the first release's cold build, then each further release's. */
async function releaseBuilds(): Promise<void> {
    const releases = ["ltsc2019", "ltsc2022", "ltsc2025"];
    const first: number[] = [];
    const further: number[] = [];
    for (let i = 0; i < runs; i++) {
        const context = h.copyModule(path.resolve("app"));
        const baseImageRefs = Object.fromEntries(releases.map((r) => [r, h.standInBaseRef("nanoserver", r)]));
        const args = { ...sampleArgs(context), baseImageRef: undefined, windowsVersions: releases, baseImageRefs };
        const builds = await h.declareReleases("hello", args);
        h.pruneBuildCache();
        const [head, ...rest] = builds.map((build) => h.buildWindows(build).seconds);
        first.push(head);
        further.push(...rest);
    }
    const command = "docker build per release of windowsVersions (BuildKit, generated cross Dockerfiles)";
    rows.push({
        figure: `windowsVersions ltsc2019, ltsc2022, ltsc2025: the first release's build, cache pruned (median of ${runs})`,
        value: secs(median(first)),
        command,
    });
    rows.push({
        figure: `the same: each further release's build, its Go build step cached (median of ${further.length})`,
        value: secs(median(further)),
        command,
    });
}

/** One build and push of a strategy: the component's whole work, the bytes that reached the registry, the digest. */
interface StrategyRun {
    readonly seconds: number;
    readonly bytes: number;
    readonly digest: string;
}

/**
 * `cross` as far as this engine goes: the generated Dockerfile built by BuildKit, then the Windows image assembled and
 * pushed with crane (BuildKit 0.8 cannot export a Windows image), through `proxy`.
 */
async function crossRun(project: string, repository: string, proxy: h.CountingProxy): Promise<StrategyRun> {
    await proxy.reset();
    const args = {
        ...sampleArgs(path.join(project, "app")),
        registry: { server: proxy.host, repositoryName: repository },
    };
    const { seconds, value: imageRef } = await timedAsync(async () => {
        const declared = await h.declareImage("hello", args);
        const build = h.buildWindows(declared);
        const layer = h.applicationLayer(build.filesTar);
        const config = { Entrypoint: ["C:\\app\\hello.exe"], User: "ContainerUser", ExposedPorts: { "8080/tcp": {} } };
        return h.assembleAndPush(
            h.runtimeBaseOf(declared.dockerfile),
            layer,
            config,
            `${declared.repositoryUrl}:${declared.tag}`,
        ).imageRef;
    });
    const bytes = (await proxy.writes()).reduce((sum, r) => sum + r.bodyBytes, 0);
    return { seconds, bytes, digest: imageRef.slice(imageRef.indexOf("@") + 1) };
}

/** `daemonless`: GoWindowsImage in a process with no Docker, Go's build cache at `goCache`, pushing through `proxy`. */
async function daemonlessRun(
    project: string,
    repository: string,
    proxy: h.CountingProxy,
    goCache: string,
): Promise<StrategyRun> {
    await proxy.reset();
    const args = {
        ...sampleArgs("app"),
        builderImageRef: undefined,
        registry: { server: proxy.host, repositoryName: repository },
    };
    const result = await h.runDaemonless("hello", args, project, proxy.host, { GOCACHE: goCache });
    const bytes = (await proxy.writes()).reduce((sum, r) => sum + r.bodyBytes, 0);
    return { seconds: result.seconds, bytes, digest: result.imageRef.slice(result.imageRef.indexOf("@") + 1) };
}

/**
 * `cross` and `daemonless` side by side on the same module: the cold build (BuildKit's cache pruned; an empty Go
 * build cache) and the rebuild after a one-line change, each the component's whole work (build and push to the local
 * registry, through a proxy that counts the bytes that reach it), and the digest from two clones.
 */
async function strategies(): Promise<void> {
    // Out of process: crane and docker run synchronously here.
    const proxy = await h.startCountingProxy();
    try {
        const results: Record<string, { cold: StrategyRun[]; rebuild: StrategyRun[]; clones: string[] }> = {
            cross: { cold: [], rebuild: [], clones: [] },
            daemonless: { cold: [], rebuild: [], clones: [] },
        };
        for (let i = 0; i < runs; i++) {
            for (const strategy of ["cross", "daemonless"] as const) {
                const project = h.workDir(`bench-${strategy}`);
                fs.cpSync(path.resolve("app"), path.join(project, "app"), { recursive: true });
                const repository = `bench/${strategy}-${i}`;
                const goCache = h.workDir("go-cache");
                const once = () =>
                    strategy === "cross"
                        ? crossRun(project, repository, proxy)
                        : daemonlessRun(project, repository, proxy, goCache);
                if (strategy === "cross") h.pruneBuildCache();
                results[strategy].cold.push(await once());
                changeOneLineOfGo(path.join(project, "app"), `bench ${i}`);
                results[strategy].rebuild.push(await once());
            }
        }
        for (const strategy of ["cross", "daemonless"] as const) {
            for (let clone = 0; clone < 2; clone++) {
                const project = h.workDir(`bench-clone-${strategy}`);
                fs.cpSync(path.resolve("app"), path.join(project, "app"), { recursive: true });
                const run =
                    strategy === "cross"
                        ? await crossRun(project, `bench/${strategy}-clones`, proxy)
                        : await daemonlessRun(project, `bench/${strategy}-clones`, proxy, h.workDir("go-cache"));
                results[strategy].clones.push(run.digest);
            }
        }
        const commands = {
            cross: "GoWindowsImage cross: docker build (BuildKit, cache pruned for cold) + crane append/edit config, pushed through a counting proxy",
            daemonless:
                "GoWindowsImage daemonless in a process without docker (empty GOCACHE for cold), pushed through a counting proxy",
        };
        for (const strategy of ["cross", "daemonless"] as const) {
            const r = results[strategy];
            const cold = median(r.cold.map((x) => x.seconds));
            const rebuild = median(r.rebuild.map((x) => x.seconds));
            rows.push({
                figure: `${strategy}: cold build and push of app/ (median of ${runs})`,
                value: secs(cold),
                command: commands[strategy],
            });
            rows.push({
                figure: `${strategy}: rebuild and push after a one-line .go change (median of ${runs})`,
                value: `${secs(rebuild)} (${(rebuild / cold).toFixed(3)} × cold)`,
                command: commands[strategy],
            });
            rows.push({
                figure: `${strategy}: bytes sent to the registry by that rebuild (median of ${runs})`,
                value: mb(median(r.rebuild.map((x) => x.bytes))),
                command: "request bodies of PUT, POST and PATCH that reached the registry",
            });
            const [a, b] = r.clones;
            rows.push({
                figure: `${strategy}: manifest digest from two clones of app/ in other folders`,
                value: `${a.slice(7, 19)}…, ${b.slice(7, 19)}… (${a === b ? "identical" : "different"})`,
                command: commands[strategy],
            });
        }
    } finally {
        proxy.close();
    }
}

/** The benchmark's parts, in the order they run. */
const parts: Record<string, () => void | Promise<void>> = {
    buildTimes,
    strategies,
    reproducibility,
    rebuilds,
    tagTime,
    sizes,
    releaseBuilds,
    evaluation,
};

async function main(): Promise<void> {
    const started = new Date().toISOString();
    // BENCH_ONLY=releaseBuilds,evaluation runs those parts and prints their rows without writing RESULTS.md.
    const only = process.env.BENCH_ONLY?.split(",");
    const unknownParts = (only ?? []).filter((part) => !(part in parts));
    if (unknownParts.length)
        throw new Error(`BENCH_ONLY: no part ${unknownParts.join(", ")}; parts: ${Object.keys(parts).join(", ")}`);
    h.prepareRegistry();
    for (const [part, run] of Object.entries(parts)) if (!only || only.includes(part)) await run();
    const table = [
        "| figure | value | command |",
        "| --- | --- | --- |",
        ...rows.map((r) => `| ${r.figure} | ${r.value} | \`${r.command.replace(/\|/g, "\\|")}\` |`),
    ].join("\n");
    const text = [
        "# Benchmark results",
        "",
        `Written by \`npm run bench\` on ${started}.`,
        `Machine: ${machine()}.`,
        "Figures on shared machines are noisy: medians of several runs, and ratios taken within the same run.",
        "Images are built against stand-in bases and a Go builder made from this machine's Go (no Docker Hub or Microsoft registry here).",
        "",
        table,
        "",
    ].join("\n");
    if (!only) {
        fs.mkdirSync("bench", { recursive: true });
        fs.writeFileSync(path.join("bench", "RESULTS.md"), text);
    }
    console.log(text);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
