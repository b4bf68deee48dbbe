// Drives the real tools for the integration tests and the benchmark: Docker BuildKit, crane, skopeo and Wine.
import * as assert from "assert";
import { SpawnSyncOptions, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { windowsReleases } from "../../components/core";
import type { DaemonlessRunRequest, DaemonlessRunResult } from "./daemonlessRun";
export type { DaemonlessRunResult } from "./daemonlessRun";
import { realRegistries, registryImages } from "./fakeRegistry";
export { runtimeBaseOf } from "./fakeRegistry";
import * as mocks from "./mocks";
import { writeStandInBase } from "./standInBase";

const docker = "/usr/bin/docker";
const wine = "/usr/lib/wine/wine64";

/** Where scripts/integration.sh put the engine, the registry and the tools. */
export const env = {
    registry: required("IT_REGISTRY"),
    crane: required("IT_CRANE"),
    workDir: required("IT_DIR"),
    winePrefix: required("IT_WINEPREFIX"),
};

function required(name: string): string {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the integration tests with \`npm run test:integration\``);
    return value;
}

export interface RunResult {
    stdout: string;
    stderr: string;
    status: number;
}

/** Runs a command to completion; throws with its output unless it exits 0 (or `allowFailure`). */
export function run(
    command: string,
    args: string[],
    options: SpawnSyncOptions & { allowFailure?: boolean } = {},
): RunResult {
    const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
    const out: RunResult = {
        stdout: String(result.stdout ?? ""),
        stderr: String(result.stderr ?? ""),
        status: result.status ?? -1,
    };
    if (result.error) throw result.error;
    if (out.status !== 0 && !options.allowFailure) {
        throw new Error(`${command} ${args.join(" ")} exited ${out.status}\n${out.stdout}\n${out.stderr}`);
    }
    return out;
}

const crane = (args: string[], options: SpawnSyncOptions = {}) => run(env.crane, ["--insecure", ...args], options);

/** A fresh folder under the run's work directory. */
export function workDir(name: string): string {
    const dir = fs.mkdtempSync(path.join(env.workDir, `${name}-`));
    return dir;
}

/** The os.version of the stand-in base for each release: the build plus a plausible revision. */
export const standInOsVersion: Record<string, string> = {
    ltsc2019: "10.0.17763.5576",
    ltsc2022: "10.0.20348.2340",
    ltsc2025: "10.0.26100.1742",
};

/** The Windows build of a release, e.g. `10.0.20348` for ltsc2022. */
export function buildOf(windowsVersion: string): string {
    return windowsReleases.find((r) => r.name === windowsVersion)!.build;
}

/** Repository of the stand-in for a Microsoft base, e.g. `127.0.0.1:5000/windows/nanoserver:ltsc2022`. */
export function standInBaseRef(flavour: string, windowsVersion: string): string {
    const release = windowsReleases.find((r) => r.name === windowsVersion)!;
    const tag = flavour === "servercore" ? release.servercoreTag : release.nanoserverTag;
    return `${env.registry}/windows/${flavour}:${tag}`;
}

export const builderRef = () => `${env.registry}/golang:1.23`;
const linuxMetadataBaseRef = () => `${env.registry}/stand-in/linux-metadata:1`;

let prepared = false;

/**
 * Pushes what Docker Hub and Microsoft's registry would provide: a Go builder made from this machine's Go 1.23,
 * a stand-in Windows base per release and flavour, and a tiny Linux base used to read BuildKit's image metadata.
 */
export function prepareRegistry(): void {
    if (prepared) return;
    const rootfs = workDir("golang-rootfs");
    const goroot = path.join(rootfs, "usr/local/go");
    fs.mkdirSync(path.join(rootfs, "bin"), { recursive: true });
    for (const dir of ["tmp", "root", "go", "etc", "usr/local"])
        fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
    fs.chmodSync(path.join(rootfs, "tmp"), 0o1777);
    run("cp", ["-rL", "/usr/lib/go-1.23", goroot]);
    fs.rmSync(path.join(goroot, "test"), { recursive: true, force: true });
    fs.copyFileSync("/bin/busybox", path.join(rootfs, "bin/busybox"));
    fs.chmodSync(path.join(rootfs, "bin/busybox"), 0o755);
    for (const applet of ["sh", "ls", "mkdir", "cat", "cp", "mv", "rm", "env", "echo", "true"]) {
        fs.symlinkSync("busybox", path.join(rootfs, "bin", applet));
    }
    fs.writeFileSync(path.join(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    run("sh", [
        "-c",
        `tar -C "${rootfs}" -c . | ${docker} import --change 'ENV PATH=/go/bin:/usr/local/go/bin:/bin' ` +
            `--change 'ENV GOPATH=/go' --change 'WORKDIR /go' - ${builderRef()} && ${docker} push ${builderRef()}`,
    ]);

    for (const release of windowsReleases) {
        for (const flavour of ["nanoserver", "servercore"]) {
            const layout = workDir(`base-${flavour}-${release.name}`);
            writeStandInBase(layout, standInOsVersion[release.name], "base");
            run("skopeo", [
                "copy",
                "--dest-tls-verify=false",
                `oci:${layout}:base`,
                `docker://${standInBaseRef(flavour, release.name)}`,
            ]);
        }
    }
    const empty = workDir("linux-base");
    fs.writeFileSync(path.join(empty, "stand-in"), "linux metadata base\n");
    run("sh", [
        "-c",
        `tar -C "${empty}" -c . | ${docker} import - ${linuxMetadataBaseRef()} && ${docker} push ${linuxMetadataBaseRef()}`,
    ]);
    prepared = true;
}

/**
 * Builds an image FROM the Go builder with the files of `overlay` laid over its root (and `/usr/bin` on PATH, where
 * Debian puts programs), and pushes it as `ref`.
 */
function extendBuilder(ref: string, overlay: string): string {
    const dir = workDir("builder");
    fs.renameSync(overlay, path.join(dir, "root"));
    fs.writeFileSync(
        path.join(dir, "Dockerfile"),
        `FROM ${builderRef()}\nCOPY root/ /\nENV PATH=/go/bin:/usr/local/go/bin:/bin:/usr/bin\n`,
    );
    run(docker, ["build", "--network=none", "-t", ref, dir], { env: { ...process.env, DOCKER_BUILDKIT: "1" } });
    run(docker, ["push", ref]);
    return ref;
}

/** The Go builder trusting a certificate as a root, as a company's builder image trusts its private CA. */
export function builderTrusting(certificatePem: string): string {
    const overlay = workDir("ca");
    fs.mkdirSync(path.join(overlay, "etc/ssl/certs"), { recursive: true });
    fs.writeFileSync(path.join(overlay, "etc/ssl/certs/ca-certificates.crt"), certificatePem);
    return extendBuilder(`${env.registry}/golang-private-ca:1.23`, overlay);
}

let mingwBuilder: string | undefined;

/**
 * The Go builder with this machine's MinGW-w64 (the files of its installed mingw packages and the shared libraries
 * their programs load), as a builder image made for cgo has it: the Dockerfile's install step then has nothing to do.
 */
export function mingwBuilderRef(): string {
    if (mingwBuilder) return mingwBuilder;
    const packages = run("dpkg-query", ["-W", "-f=${Package} ${Status}\n", "*mingw*"])
        .stdout.split("\n")
        .filter((line) => line.endsWith(" installed"))
        .map((line) => line.split(" ")[0]);
    const files = new Set<string>();
    for (const pkg of packages) {
        for (const file of run("dpkg", ["-L", pkg]).stdout.split("\n")) {
            if (!file || /^\/usr\/share\/(doc|man|lintian)\//.test(file)) continue;
            if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) files.add(file);
        }
    }
    // The unsuffixed compiler names are update-alternatives links, made at install time rather than shipped.
    for (const name of fs.readdirSync("/usr/bin")) {
        if (name.startsWith("x86_64-w64-mingw32-")) files.add(path.join("/usr/bin", name));
    }
    for (const file of [...files]) {
        const head = Buffer.alloc(4);
        const fd = fs.openSync(file, "r");
        fs.readSync(fd, head, 0, 4, 0);
        fs.closeSync(fd);
        if (head.toString("latin1") !== "\x7fELF") continue;
        const ldd = run("ldd", [file], { allowFailure: true }).stdout;
        for (const [, lib] of ldd.matchAll(/(?:=> |^\s*)(\/\S+)/gm)) files.add(lib);
    }
    const list = path.join(workDir("mingw-list"), "files");
    fs.writeFileSync(list, [...files].map((f) => f.slice(1)).join("\n"));
    const overlay = workDir("mingw");
    run("sh", ["-c", `tar -C / --dereference -cf - -T "${list}" | tar -C "${overlay}" -xf -`]);
    mingwBuilder = extendBuilder(`${env.registry}/golang-mingw:1.23`, overlay);
    return mingwBuilder;
}

/**
 * Pushes a stand-in Windows base of the given build (e.g. `10.0.20348.2402`) under `ref`, replacing what was there;
 * `osFeatures` as Server Core has them (`["win32k"]`).
 */
export function pushStandInBase(ref: string, osVersion: string, osFeatures?: string[]): void {
    const layout = workDir("base");
    writeStandInBase(layout, osVersion, "base", osFeatures);
    run("skopeo", ["copy", "--dest-tls-verify=false", `oci:${layout}:base`, `docker://${ref}`]);
}

/** The sample service's image settings the integration tests build with: a port, variables, labels, a health check. */
export const sampleServiceSettings = {
    ports: [8080],
    env: { PORT: "8080", GREETING: 'say "hi" $HOME' },
    healthCheck: { args: ["healthcheck"] },
    version: "1.2.3",
    revision: "abc123",
    source: "https://example.com/hello",
} satisfies Partial<GoWindowsImageArgs>;

/** What GoWindowsImage declares for an image: the exact Dockerfile, tag and docker-build inputs. */
export interface DeclaredImage {
    dockerfile: string;
    tag: string;
    repositoryUrl: string;
    context: string;
    buildArgs: Record<string, string>;
    platforms: string[];
    /** The base image's os.version as the component read it from the registry. */
    windowsOsVersion?: string;
    /** Every input of the docker-build image as declared, secrets unwrapped. */
    inputs: Record<string, unknown>;
}

/** The digest a tag on the test registry points to now. */
export function digestOf(ref: string): string {
    return crane(["digest", ref]).stdout.trim();
}

/**
 * Tells the mocks (after `setupMocks`) that the test registry really runs: pushes and index writes go to it, and the
 * registry image data source answers the builder and base references of `args` on it with the digests their tags
 * hold now, as the provider would.
 */
export function useTestRegistry(args: GoWindowsImageArgs): void {
    realRegistries.add(env.registry);
    const refs = [args.builderImageRef, args.baseImageRef, ...Object.values(args.baseImageRefs ?? {})];
    for (const ref of refs) {
        if (ref?.startsWith(`${env.registry}/`) && !ref.includes("@"))
            registryImages.set(ref, { digest: digestOf(ref) });
    }
}

/**
 * Runs GoWindowsImage under the mocks and returns what it would hand to docker-build, the registry image data
 * source answered from the test registry itself (`useTestRegistry`).
 */
export async function declareImage(name: string, args: GoWindowsImageArgs): Promise<DeclaredImage> {
    mocks.setupMocks();
    useTestRegistry(args);
    const image = new GoWindowsImage(name, args);
    const dockerfile = await mocks.valueOf(image.dockerfile);
    const tag = await mocks.valueOf(image.tag);
    const repositoryUrl = await mocks.valueOf(image.repositoryUrl);
    const windowsOsVersion = await mocks.valueOf(image.windowsOsVersion);
    await mocks.settle();
    const build = mocks.ofType("docker-build:index:Image")[0];
    if (!build) throw new Error("GoWindowsImage declared no docker-build image (is the strategy cross?)");
    return { ...declaredBuild(build.inputs), dockerfile, tag, repositoryUrl, windowsOsVersion };
}

/**
 * Runs GoWindowsImage with `windowsVersions` under the mocks, as a preview (which builds and writes nothing), and
 * returns what it hands to docker-build for each release, oldest release first.
 */
export async function declareReleases(name: string, args: GoWindowsImageArgs): Promise<DeclaredImage[]> {
    mocks.setupMocks(true);
    useTestRegistry(args);
    const image = new GoWindowsImage(name, args);
    // Every output settled, so that the component has registered them before the next run replaces the mocks.
    for (const output of [image.imageRef, image.releases, image.windowsOsVersion, image.retainedOnDestroy])
        await mocks.settled(output);
    await mocks.settle();
    return mocks.ofType("docker-build:index:Image").map((build) => declaredBuild(build.inputs));
}

/** A docker-build image's inputs as the build takes them: Dockerfile, tag and repository from its first tag. */
export function declaredBuild(declared: Record<string, unknown>): DeclaredImage {
    const inputs = mocks.unwrapSecrets(declared) as Record<string, unknown>;
    const tagged = (inputs.tags as string[])[0];
    return {
        dockerfile: (inputs.dockerfile as { inline: string }).inline,
        tag: tagged.slice(tagged.lastIndexOf(":") + 1),
        repositoryUrl: tagged.slice(0, tagged.lastIndexOf(":")),
        context: (inputs.context as { location: string }).location,
        buildArgs: inputs.buildArgs as Record<string, string>,
        platforms: inputs.platforms as string[],
        inputs,
    };
}

/** Empties this engine's build cache, cache mounts included, so that the next build shares nothing with earlier ones. */
export function pruneBuildCache(): void {
    run(docker, ["builder", "prune", "-af"]);
}

/** The entries of a tar with their modification times (seconds since the epoch) and their content's SHA-256. */
export function tarEntries(tar: string): { name: string; mtime: number }[] {
    const listing = run("tar", ["--full-time", "--utc", "-tvf", tar]).stdout.split("\n").filter(Boolean);
    return listing.map((line) => {
        const match = /^\S+\s+\S+\s+\d+\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s+(.*)$/.exec(line);
        if (!match) throw new Error(`unreadable tar listing line: ${line}`);
        return { name: match[2], mtime: Date.parse(`${match[1].replace(" ", "T")}Z`) / 1000 };
    });
}

export interface BuildResult {
    /** BuildKit's plain progress log. */
    log: string;
    seconds: number;
    /** The final stage's files as a tar (base files and the application's). */
    filesTar: string;
}

function buildArgsFlags(buildArgs: Record<string, string>): string[] {
    return Object.entries(buildArgs).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]);
}

/** How a test build runs, beyond the Dockerfile and its arguments. */
export interface BuildOptions {
    /** The RUN steps' network: `none` (the default; the test engine has no bridge) or `host`, for the loopback. */
    network?: "none" | "host";
    /** BuildKit secrets, as docker-build hands them over: each id and the file its value is read from. */
    secrets?: Record<string, string>;
    /** Build up to this stage only. */
    target?: string;
}

function buildOptionFlags(options: BuildOptions): string[] {
    return [
        `--network=${options.network ?? "none"}`,
        ...Object.entries(options.secrets ?? {}).flatMap(([id, file]) => ["--secret", `id=${id},src=${file}`]),
        ...(options.target ? ["--target", options.target] : []),
    ];
}

/**
 * Builds the declared Dockerfile with BuildKit for windows/amd64, as docker-build would, writing the files to a tar.
 * RUN steps get no network unless `options.network` says so: the build needs nothing but the registry.
 */
export function buildWindows(image: DeclaredImage, options: BuildOptions = {}): BuildResult {
    const dir = workDir("build");
    const dockerfile = path.join(dir, "Dockerfile");
    fs.writeFileSync(dockerfile, image.dockerfile);
    const filesTar = path.join(dir, "files.tar");
    const start = process.hrtime.bigint();
    const result = run(
        docker,
        [
            "build",
            "--progress=plain",
            ...buildOptionFlags(options),
            "--platform",
            image.platforms.join(","),
            ...buildArgsFlags(image.buildArgs),
            "-f",
            dockerfile,
            "--output",
            `type=tar,dest=${filesTar}`,
            image.context,
        ],
        { env: { ...process.env, DOCKER_BUILDKIT: "1" } },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { log: result.stderr + result.stdout, seconds, filesTar };
}

/** Image configuration fields BuildKit derives from a Dockerfile's runtime stage. */
export interface RuntimeConfig {
    Entrypoint?: string[];
    Cmd?: string[];
    Env?: string[];
    ExposedPorts?: Record<string, object>;
    User?: string;
    Labels?: Record<string, string>;
    Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
}

/**
 * Builds the declared Dockerfile for linux/amd64 with the runtime stage on a tiny Linux base (only the base reference
 * differs), into this engine's image store; returns the local reference. `options.target` stops at a stage.
 */
export async function buildLinuxStandIn(
    name: string,
    args: GoWindowsImageArgs,
    options: BuildOptions = {},
): Promise<string> {
    const image = await declareImage(name, { ...args, baseImageRef: linuxMetadataBaseRef() });
    const dir = workDir("metadata");
    fs.writeFileSync(path.join(dir, "Dockerfile"), image.dockerfile);
    const ref = `metadata/${name}:${options.target ?? "image"}-${image.tag}`;
    run(
        docker,
        [
            "build",
            ...buildOptionFlags(options),
            "--platform",
            "linux/amd64",
            ...buildArgsFlags(image.buildArgs),
            "-f",
            path.join(dir, "Dockerfile"),
            "-t",
            ref,
            image.context,
        ],
        { env: { ...process.env, DOCKER_BUILDKIT: "1" } },
    );
    return ref;
}

/** All an engine records about a local image: its configuration and its history, commands in full. */
export function imageRecords(ref: string): string {
    const inspected = run(docker, ["image", "inspect", ref]).stdout;
    const history = run(docker, ["history", "--no-trunc", "--format", "{{.CreatedBy}} {{.Comment}}", ref]).stdout;
    return `${inspected}\n${history}`;
}

/** Writes the secrets an image's docker-build inputs carry to files, as docker-build hands them to BuildKit. */
export function secretFiles(image: DeclaredImage): Record<string, string> {
    const dir = workDir("secrets");
    const secrets = (image.inputs.secrets ?? {}) as Record<string, string>;
    return Object.fromEntries(
        Object.entries(secrets).map(([id, value]) => {
            const file = path.join(dir, id);
            fs.writeFileSync(file, value, { mode: 0o600 });
            return [id, file];
        }),
    );
}

/**
 * This engine cannot export a Windows image, so BuildKit's reading of the runtime stage's metadata is taken from a
 * Linux build of the same Dockerfile (only the base reference differs) and copied onto the Windows image.
 * BuildKit gives Linux images a default PATH; Windows images keep PATH in the registry, so it is left out.
 */
export async function runtimeConfigFromBuildKit(
    name: string,
    args: GoWindowsImageArgs,
    options: BuildOptions = {},
): Promise<RuntimeConfig> {
    const ref = await buildLinuxStandIn(name, args, options);
    const inspected = JSON.parse(run(docker, ["image", "inspect", ref]).stdout)[0].Config as RuntimeConfig;
    return {
        Entrypoint: inspected.Entrypoint,
        Cmd: inspected.Cmd ?? undefined,
        Env: (inspected.Env ?? []).filter((e) => !e.startsWith("PATH=")),
        ExposedPorts: inspected.ExposedPorts,
        User: inspected.User,
        Labels: inspected.Labels,
        Healthcheck: inspected.Healthcheck,
    };
}

/** The application's files from a build: everything that is not the base's `Files/` and `Hives/`. */
export function applicationLayer(filesTar: string): string {
    const dir = workDir("layer");
    run("tar", ["-xf", filesTar, "-C", dir, "--exclude=Files", "--exclude=Hives"]);
    const layer = path.join(path.dirname(filesTar), "app-layer.tar");
    const top = fs.readdirSync(dir).sort();
    run("tar", [
        "-C",
        dir,
        "--sort=name",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "--mtime=@0",
        "-cf",
        layer,
        ...top,
    ]);
    return layer;
}

export interface PushResult {
    /** `repository@sha256:...` */
    imageRef: string;
    /** crane's log of blobs it uploaded and blobs the registry already had. */
    pushLog: string;
}

/**
 * Assembles and pushes the Windows image: the base, plus the application layer (which crane writes in Windows form),
 * plus BuildKit's metadata. No file content changes here: this is the registry-level step the engine cannot do.
 */
export function assembleAndPush(baseRef: string, layerTar: string, config: RuntimeConfig, target: string): PushResult {
    const append = crane(["append", "-v", "-b", baseRef, "-f", layerTar, "-t", target]);
    const imageConfig = JSON.parse(crane(["config", target]).stdout);
    imageConfig.config = { ...(imageConfig.config ?? {}), ...config };
    crane(["edit", "config", target, "-t", target], { input: JSON.stringify(imageConfig) });
    const digest = crane(["digest", target]).stdout.trim();
    const repository = target.slice(0, target.lastIndexOf(":"));
    return { imageRef: `${repository}@${digest}`, pushLog: append.stderr + append.stdout };
}

export interface Inspected {
    manifest: {
        mediaType?: string;
        config: { digest: string };
        layers: { digest: string; size: number; mediaType: string }[];
    };
    config: {
        os: string;
        "os.version"?: string;
        architecture: string;
        config: RuntimeConfig;
        rootfs: { diff_ids: string[] };
    };
}

/** An image index as the registry holds it. */
export interface RawIndex {
    mediaType: string;
    manifests: {
        mediaType: string;
        digest: string;
        size: number;
        platform: { os: string; architecture: string; "os.version"?: string; "os.features"?: string[] };
    }[];
}

/** The image index under a reference, its raw bytes read with skopeo. */
export function rawIndex(reference: string): RawIndex {
    return JSON.parse(run("skopeo", ["inspect", "--tls-verify=false", "--raw", `docker://${reference}`]).stdout);
}

/** What the registry holds for a reference, read with skopeo (which takes `name@digest`, not `name:tag@digest`). */
export function inspect(reference: string): Inspected {
    const ref = reference.replace(/:[^/@]+@/, "@");
    const manifest = JSON.parse(run("skopeo", ["inspect", "--tls-verify=false", "--raw", `docker://${ref}`]).stdout);
    const config = JSON.parse(
        run("skopeo", ["inspect", "--tls-verify=false", "--config", "--raw", `docker://${ref}`]).stdout,
    );
    return { manifest, config };
}

/** Downloads a layer blob and lists its entries and its regular files; returns the path of the uncompressed tar too. */
export function layerContents(
    repositoryRef: string,
    digest: string,
): { entries: string[]; files: string[]; tar: string } {
    const dir = workDir("blob");
    const gz = path.join(dir, "layer.tar.gz");
    run("sh", ["-c", `"${env.crane}" --insecure blob "${repositoryRef}@${digest}" > "${gz}"`]);
    run("gunzip", [gz]);
    const tar = path.join(dir, "layer.tar");
    const entries = run("tar", ["-tf", tar]).stdout.split("\n").filter(Boolean);
    // `tar -tv` starts each line with the entry's type: `-` for a regular file.
    const verbose = run("tar", ["-tvf", tar]).stdout.split("\n").filter(Boolean);
    const files = entries.filter((_, i) => verbose[i].startsWith("-"));
    return { entries, files, tar };
}

/** Extracts one member of a tar to a file and returns its path. */
export function extract(tar: string, member: string): string {
    const dir = workDir("extract");
    run("tar", ["-xf", tar, "-C", dir, member]);
    return path.join(dir, member);
}

let wineReady = false;

/** Prepares the Wine prefix once: wineboot, and the bcryptprimitives.dll shim Go 1.22+ needs (Wine 8 has none). */
export function prepareWine(): void {
    if (wineReady) return;
    const wineEnv = { ...process.env, WINEPREFIX: env.winePrefix, WINEDEBUG: "-all" };
    const dll = path.join(env.winePrefix, "drive_c/windows/system32/bcryptprimitives.dll");
    if (!fs.existsSync(dll)) {
        run(wine, ["wineboot", "--init"], { env: wineEnv });
        const source = path.join(workDir("shim"), "prim.c");
        fs.writeFileSync(
            source,
            "#include <windows.h>\n#include <bcrypt.h>\n" +
                "BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {\n" +
                "    return BCryptGenRandom(NULL, data, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;\n}\n",
        );
        run("x86_64-w64-mingw32-gcc", ["-shared", "-O2", "-o", dll, source, "-lbcrypt", "-Wl,--kill-at"]);
    }
    wineReady = true;
}

/** Runs a Windows program under Wine to completion. */
export function wineRun(exe: string, args: string[], extraEnv: Record<string, string> = {}): RunResult {
    prepareWine();
    return run(wine, [exe, ...args], {
        env: { ...process.env, WINEPREFIX: env.winePrefix, WINEDEBUG: "-all", ...extraEnv },
        allowFailure: true,
        timeout: 60000,
    });
}

/** Starts a Windows program under Wine in the background. */
export function wineStart(exe: string, args: string[], extraEnv: Record<string, string> = {}) {
    prepareWine();
    const child = spawn(wine, [exe, ...args], {
        env: { ...process.env, WINEPREFIX: env.winePrefix, WINEDEBUG: "-all", ...extraEnv },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, output: () => output };
}

/**
 * Starts the sample service's executable under Wine on a free port and checks it: `/healthz` answers 200, its
 * `healthcheck` command exits 0, its `version` command prints `version`. Kill the returned server when done.
 */
export async function serveSampleUnderWine(exe: string, version: string) {
    const port = String(20000 + Math.floor(Math.random() * 10000));
    const server = wineStart(exe, [], { PORT: port });
    try {
        assert.strictEqual(await waitForHttp(`http://127.0.0.1:${port}/healthz`), 200);
        assert.strictEqual(wineRun(exe, ["healthcheck"], { PORT: port }).status, 0);
        assert.strictEqual(wineRun(exe, ["version"]).stdout.trim(), version);
    } catch (e) {
        server.child.kill("SIGKILL");
        throw e;
    }
    return { server, port };
}

/** A copy of a Go module under the work directory, as a path relative to the working directory (as users pass it). */
export function copyModule(source: string): string {
    const dir = workDir("module");
    fs.cpSync(source, dir, { recursive: true });
    return path.relative(process.cwd(), dir);
}

/** Waits for an HTTP URL to answer; returns the status code. */
export async function waitForHttp(url: string, timeoutMs = 20000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            const response = await fetch(url);
            return response.status;
        } catch (e) {
            if (Date.now() > deadline) throw e;
            await new Promise((r) => setTimeout(r, 200));
        }
    }
}

/**
 * PATH without any folder that holds a `docker` program (Go's folder comes first in the test environment, so `go`
 * stays), and DOCKER_HOST pointing at a socket that does not exist: a machine with no Docker at all.
 */
export function environmentWithoutDocker(): NodeJS.ProcessEnv {
    const folders = (process.env.PATH ?? "").split(path.delimiter);
    const kept = folders.filter((dir) => dir !== "" && !fs.existsSync(path.join(dir, "docker")));
    const noSocket = path.join(workDir("no-docker"), "docker.sock");
    return { ...process.env, PATH: kept.join(path.delimiter), DOCKER_HOST: `unix://${noSocket}` };
}

/**
 * Runs GoWindowsImage with `strategy: "daemonless"` (tests/support/daemonlessRun.ts) in a process with no Docker
 * (`environmentWithoutDocker`, plus `extraEnv`), from `cwd` as `pulumi up` would run, pushing to the test registry
 * or `registry`. Asynchronous, so that a proxy in this process keeps answering while it runs.
 */
export function runDaemonless(
    name: string,
    args: GoWindowsImageArgs,
    cwd: string,
    registry: string = env.registry,
    extraEnv: Record<string, string> = {},
): Promise<DaemonlessRunResult> {
    const script = path.join(__dirname, "daemonlessRun.ts");
    const request: DaemonlessRunRequest = { name, args, cwd, registry };
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", script], {
        env: { ...environmentWithoutDocker(), ...extraEnv },
        cwd: path.join(__dirname, "..", ".."),
    });
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(JSON.stringify(request));
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("exit", (code) => {
            if (code !== 0) return reject(new Error(`the daemonless run exited ${code}\n${stdout}\n${stderr}`));
            resolve(JSON.parse(stdout.trim().split("\n").pop()!) as DaemonlessRunResult);
        });
    });
}

/** A counting proxy in a process of its own (countingProxyServer.ts): its host, and the writes it forwarded. */
export interface CountingProxy {
    /** `127.0.0.1:<port>`: push here instead of to the registry. */
    readonly host: string;
    /** The writes (PUT, POST, PATCH, DELETE) forwarded since the last reset, with their body sizes. */
    writes(): Promise<{ method: string; path: string; bodyBytes: number }[]>;
    reset(): Promise<void>;
    close(): void;
}

/** Starts a counting proxy in front of `target` in another process; close it when done. */
export async function startCountingProxy(target: string = env.registry): Promise<CountingProxy> {
    const script = path.join(__dirname, "countingProxyServer.ts");
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", script, target], {
        cwd: path.join(__dirname, "..", ".."),
        stdio: ["ignore", "pipe", "inherit"],
    });
    const ports = await new Promise<string[]>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
            out += d;
            if (out.includes("\n")) resolve(out.trim().split(" "));
        });
        child.on("exit", (code) => reject(new Error(`the counting proxy exited ${code}`)));
    });
    const control = `http://127.0.0.1:${ports[1]}`;
    return {
        host: `127.0.0.1:${ports[0]}`,
        writes: async () =>
            (await (await fetch(`${control}/writes`)).json()) as Awaited<ReturnType<CountingProxy["writes"]>>,
        reset: async () => void (await fetch(`${control}/reset`, { method: "POST" })),
        close: () => void child.kill("SIGTERM"),
    };
}
