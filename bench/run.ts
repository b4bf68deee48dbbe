// npm run bench: build times, hashing speed, sizes and program evaluation time, written to bench/RESULTS.md.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GoWindowsImage, GoWindowsImageArgs } from "../components";
import { hashContext } from "../components/image";
import * as mocks from "../tests/support/mocks";
import { changeOneLineOfGo } from "../tests/support/files";
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

/** Cold build (empty build cache) and rebuild after a one-line Go change, through the generated Dockerfile. */
async function buildTimes(): Promise<void> {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
        const context = h.copyModule(path.resolve("app"));
        h.run("/usr/bin/docker", ["builder", "prune", "-af"]);
        cold.push(h.buildWindows(await h.declareImage("hello", sampleArgs(context))).seconds);
        changeOneLineOfGo(context, `run ${i}`);
        warm.push(h.buildWindows(await h.declareImage("hello", sampleArgs(context))).seconds);
    }
    const command = "docker build --platform windows/amd64 --output type=tar (BuildKit, generated cross Dockerfile)";
    rows.push({
        figure: `cold build of app/ (median of ${runs}, build cache pruned)`,
        value: secs(median(cold)),
        command,
    });
    rows.push({
        figure: `rebuild after a one-line .go change (median of ${runs})`,
        value: secs(median(warm)),
        command,
    });
    const ratios = cold.map((c, i) => warm[i] / c);
    rows.push({
        figure: "rebuild / cold (median of per-run ratios; target ≤ 0.15)",
        value: median(ratios).toFixed(3),
        command: "same runs",
    });
}

/** Hashing a synthetic Go tree of 20,000 files and 200 MB, against sha256sum over the same files. */
function hashing(): void {
    const tree = h.workDir("hash-tree");
    fs.writeFileSync(path.join(tree, "go.mod"), "module example.com/big\n\ngo 1.23\n");
    const files = 20000;
    const size = 10000;
    for (let i = 0; i < files; i++) {
        const dir = path.join(tree, `pkg${Math.floor(i / 100)}`);
        if (i % 100 === 0) fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, `f${i}.go`), crypto.randomBytes(size));
    }
    const inputs = {
        dockerfile: "FROM scratch\n",
        buildArgs: {},
        builderImageRef: "b",
        baseImageRef: "c",
        platform: "windows/amd64",
    };
    const sha256sum = () =>
        h.run("sh", ["-c", `cd "${tree}" && find . -type f -print0 | sort -z | xargs -0 sha256sum > /dev/null`]);
    hashContext(tree, inputs);
    sha256sum();
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < runs; i++) {
        ours.push(timed(() => hashContext(tree, inputs)).seconds);
        theirs.push(timed(sha256sum).seconds);
    }
    const ratios = ours.map((o, i) => o / theirs[i]);
    rows.push({
        figure: `hashContext, 20,000 files / ${mb(files * size)} (median of ${runs}, warm cache)`,
        value: secs(median(ours)),
        command: "hashContext(tree) in bench/run.ts",
    });
    rows.push({
        figure: "sha256sum over the same files",
        value: secs(median(theirs)),
        command: "find . -type f -print0 | sort -z | xargs -0 sha256sum",
    });
    rows.push({
        figure: "hashContext / sha256sum (median of per-run ratios; target ≤ 1.5)",
        value: median(ratios).toFixed(2),
        command: "same runs",
    });
    const app = Array.from({ length: 20 }, () => timed(() => hashContext(path.resolve("app"), inputs)).seconds);
    rows.push({
        figure: "hashContext of app/ (median of 20)",
        value: `${(median(app) * 1000).toFixed(2)} ms`,
        command: "hashContext(app)",
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

async function main(): Promise<void> {
    const started = new Date().toISOString();
    h.prepareRegistry();
    await buildTimes();
    hashing();
    await sizes();
    await evaluation();
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
    fs.mkdirSync("bench", { recursive: true });
    fs.writeFileSync(path.join("bench", "RESULTS.md"), text);
    console.log(text);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
