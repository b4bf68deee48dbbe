// Runs GoWindowsImage with `strategy: "daemonless"` under the mocks, as `pulumi up` from a folder would, in a process
// of its own: the integration tests and the benchmark start it with no Docker on PATH and DOCKER_HOST pointing at
// nothing. It prints one line of JSON: what the component output, what its resource pushed, what it found of Docker,
// and how long the component's work took.
import { spawnSync } from "child_process";
import * as fs from "fs";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { realRegistries } from "./fakeRegistry";
import * as mocks from "./mocks";

/** What a run asks for: the component's name and arguments, and the folder to run in (as `pulumi up` would). */
export interface DaemonlessRunRequest {
    readonly name: string;
    readonly args: GoWindowsImageArgs;
    readonly cwd: string;
    /** The registry that really runs: its pushes are real. */
    readonly registry: string;
}

/** What a run reports. */
export interface DaemonlessRunResult {
    readonly imageRef: string;
    readonly tag: string;
    readonly dockerfile: string;
    readonly windowsOsVersion?: string;
    /** The DaemonlessWindowsImage's outputs: each release's pushed image, the executable's and layer's digests. */
    readonly outputs: Record<string, unknown>;
    /** Wall time from declaring the component to its image reference, in seconds: Go compile and push included. */
    readonly seconds: number;
    /** What the process found of Docker: `docker` on PATH (the error of running it) and DOCKER_HOST's socket. */
    readonly docker: { readonly run: string; readonly host: string; readonly socketExists: boolean };
}

async function main(): Promise<void> {
    const request = JSON.parse(fs.readFileSync(0, "utf8")) as DaemonlessRunRequest;
    const tried = spawnSync("docker", ["version"], { encoding: "utf8" });
    const host = process.env.DOCKER_HOST ?? "";
    const docker = {
        run: tried.error ? String((tried.error as NodeJS.ErrnoException).code) : `exit ${tried.status}`,
        host,
        socketExists: host.startsWith("unix://") && fs.existsSync(host.slice("unix://".length)),
    };
    process.chdir(request.cwd);
    let outputs: Record<string, unknown> = {};
    mocks.setupMocks(false, "test", ({ type, outputs: state }) => {
        if (type === mocks.daemonlessImageType) outputs = state;
        return undefined;
    });
    realRegistries.add(request.registry);
    const started = process.hrtime.bigint();
    const image = new GoWindowsImage(request.name, { ...request.args, strategy: "daemonless" });
    const imageRef = await mocks.valueOf(image.imageRef);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result: DaemonlessRunResult = {
        imageRef,
        tag: await mocks.valueOf(image.tag),
        dockerfile: await mocks.valueOf(image.dockerfile),
        windowsOsVersion: await mocks.valueOf(image.windowsOsVersion),
        outputs: mocks.unwrapSecrets(outputs) as Record<string, unknown>,
        seconds,
        docker,
    };
    await mocks.settle();
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
});
