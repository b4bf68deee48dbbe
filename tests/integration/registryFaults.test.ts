// A flaky registry for real: the ImageIndex provider and the release entries' reads through a fault-injecting proxy in
// front of the local registry (503s, 429 with Retry-After, connections dropped before and after the registry acted),
// and runs killed in the middle of a push and of an index write, then run again.
import * as assert from "assert";
import { spawn } from "child_process";
import * as path from "path";
import { ImageIndexEntry, ImageIndexOutputs, imageIndexProvider, readIndexEntry } from "../../components/registries";
import { FaultProxy, FaultScript, every, startFaultProxy } from "../support/faultProxy";
import * as h from "../support/tools";
import { captureWarnings } from "../support/warnings";

const releases = [
    { name: "ltsc2019", osFeatures: undefined },
    { name: "ltsc2022", osFeatures: ["win32k"] },
];
/** Repositories of this run only: a registry kept from an earlier run already holds what that run wrote. */
const run = `run-${Date.now().toString(36)}`;
const manifestRequest = (r: { path: string }) => r.path.includes("/manifests/");
const isPut = (r: { method: string; path: string }) => r.method === "PUT" && manifestRequest(r);

/** Pushes the stand-in images of `releases` to `repository`; returns their digests. */
function pushImages(repository: string): string[] {
    return releases.map((release) => {
        const ref = `${h.env.registry}/${repository}:${release.name}`;
        h.pushStandInBase(ref, h.standInOsVersion[release.name], release.osFeatures);
        return h.digestOf(ref);
    });
}

/** What the registry holds in `repository`: its tags and the digest each points to. */
function contents(repository: string): Record<string, string> {
    const tags = h.run(h.env.crane, ["--insecure", "ls", `${h.env.registry}/${repository}`]).stdout.split("\n");
    return Object.fromEntries(
        tags.filter(Boolean).map((tag) => [tag, h.digestOf(`${h.env.registry}/${repository}:${tag}`)]),
    );
}

const logged = captureWarnings;

describe("the registry client and ImageIndex against a flaky registry", function () {
    let clean: { digest: string; contents: Record<string, string> };
    let proxy: FaultProxy;

    before(async () => {
        const digests = pushImages(`${run}/clean`);
        const entries = await Promise.all(
            digests.map((digest) => readIndexEntry(h.env.registry, `${run}/clean`, digest)),
        );
        const { outs } = await imageIndexProvider.create({
            registry: h.env.registry,
            repository: `${run}/clean`,
            tag: "index",
            entries,
        });
        clean = { digest: outs.digest, contents: contents(`${run}/clean`) };
        proxy = await startFaultProxy(h.env.registry);
    });
    after(() => proxy.close());

    const scripts: [string, FaultScript][] = [
        ["one request in three answered 503", every(3, { status: 503 })],
        [
            "manifest requests answered 429 with Retry-After: 1, every other one",
            every(2, { status: 429, headers: { "Retry-After": "1" } }, manifestRequest),
        ],
        ["one connection in three dropped before the registry sees the request", every(3, { drop: "before" })],
        [
            "every other connection dropped after the registry answered, halfway through its answer",
            every(2, { drop: "after" }),
        ],
    ];
    for (const [i, [fault, script]] of scripts.entries()) {
        it(`reads the entries, creates, refreshes, updates and deletes the index with ${fault}`, async () => {
            const repository = `${run}/script-${i}`;
            const digests = pushImages(repository);
            proxy.received.length = proxy.forwarded.length = proxy.injected.length = 0;
            proxy.script = script;
            const started = Date.now();
            const entries: ImageIndexEntry[] = [];
            for (const digest of digests) entries.push(await readIndexEntry(proxy.host, repository, digest));
            const inputs = { registry: proxy.host, repository, tag: "index", entries };
            const { result: created, lines } = await logged(() => imageIndexProvider.create(inputs));
            assert.strictEqual(created.outs.digest, clean.digest, "the same index as a clean run");
            assert.deepStrictEqual(contents(repository), clean.contents, "the same tags and digests");
            assert.deepStrictEqual(
                proxy.writes().map((r) => r.method),
                ["PUT"],
                "written once",
            );
            assert.match(lines.join("\n"), /attempt 2 of 5/, "each retry is logged");

            assert.deepStrictEqual(await imageIndexProvider.read("id", created.outs), {
                id: "id",
                props: created.outs,
            });
            const news = { ...inputs, entries: entries.slice(1) };
            const { outs: updated } = await logged(() => imageIndexProvider.update("id", created.outs, news)).then(
                (r) => r.result,
            );
            assert.strictEqual(h.digestOf(`${h.env.registry}/${repository}:index`), updated.digest);
            await logged(() => imageIndexProvider.delete("id", updated as ImageIndexOutputs));
            // A DELETE whose answer was lost is sent again and answered 404: a no-op.
            assert.deepStrictEqual(
                proxy.effectiveWrites().map((r) => r.method),
                ["PUT", "PUT", "DELETE"],
                "each write done once",
            );
            assert.deepStrictEqual(
                proxy.writes().filter((r) => r.method === "PUT").length,
                2,
                "no manifest sent twice",
            );
            const gone = h.run(
                h.env.crane,
                ["--insecure", "manifest", `${h.env.registry}/${repository}@${updated.digest}`],
                {
                    allowFailure: true,
                },
            );
            assert.notStrictEqual(gone.status, 0);
            console.log(
                `      ${fault}: ${proxy.received.length} requests, ${proxy.injected.length} faults injected, ` +
                    `${((Date.now() - started) / 1000).toFixed(1)} s`,
            );
        });
    }

    it("measures the index create through a registry failing one request in three", async () => {
        const repository = `${run}/measured`;
        const digests = pushImages(repository);
        const entries = await Promise.all(digests.map((d) => readIndexEntry(h.env.registry, repository, d)));
        proxy.received.length = proxy.forwarded.length = proxy.injected.length = 0;
        proxy.script = every(3, { status: 503 });
        const started = Date.now();
        const { result } = await logged(() =>
            imageIndexProvider.create({ registry: proxy.host, repository, tag: "index", entries }),
        );
        const seconds = (Date.now() - started) / 1000;
        assert.strictEqual(result.outs.digest, clean.digest);
        console.log(
            `      index create, one request in three failing: ${proxy.received.length} requests ` +
                `(${proxy.injected.length} answered 503, ${proxy.forwarded.length} forwarded), ${seconds.toFixed(1)} s`,
        );
    });
});

describe("runs killed in the middle of writing, then run again", function () {
    let proxy: FaultProxy;
    before(async () => (proxy = await startFaultProxy(h.env.registry)));
    after(() => proxy.close());

    /** Starts the provider's create in a child process; resolves once the proxy holds its index PUT, then kills it. */
    async function killedDuringIndexWrite(inputs: object): Promise<void> {
        const script = path.join(__dirname, "../support/indexCreateRun.ts");
        const child = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", script, JSON.stringify(inputs)],
            {
                cwd: path.join(__dirname, "../.."),
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<number | null>((resolve) =>
            child.on("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))),
        );
        for (let i = 0; i < 600 && !proxy.injected.some((f) => isPut(f.request)); i++)
            await new Promise((resolve) => setTimeout(resolve, 100));
        assert.ok(
            proxy.injected.some((f) => isPut(f.request)),
            `the create reached its index write: ${output}`,
        );
        child.kill("SIGKILL");
        assert.strictEqual(await exited, -1, "killed, not finished");
    }

    for (const when of ["before", "after"] as const) {
        it(`converges when the index write was killed ${when} the registry stored it: same digest, no manual step`, async () => {
            const repository = `${run}/index-${when}`;
            const digests = pushImages(repository);
            const entries = await Promise.all(digests.map((d) => readIndexEntry(h.env.registry, repository, d)));
            const inputs = { registry: proxy.host, repository, tag: "index", entries };
            proxy.received.length = proxy.forwarded.length = proxy.injected.length = 0;
            proxy.script = (r) => (isPut(r) ? { stall: when } : undefined);
            await killedDuringIndexWrite(inputs);
            const stored = contents(repository).index;
            assert.strictEqual(
                stored !== undefined,
                when === "after",
                "the registry holds the index only if it got it",
            );
            proxy.script = () => undefined;
            const writesBefore = proxy.writes().length;
            const { outs } = await imageIndexProvider.create(inputs);
            assert.strictEqual(h.digestOf(`${h.env.registry}/${repository}:index`), outs.digest);
            assert.strictEqual(
                proxy.writes().length - writesBefore,
                when === "after" ? 0 : 1,
                "written only if missing",
            );
            if (stored) assert.strictEqual(outs.digest, stored);
        });
    }

    it("converges when a push was killed before its manifest: no tag was left, the rerun pushes the same digest", async () => {
        const layout = h.workDir("push");
        const ref = `${h.env.registry}/${run}/push:ltsc2022`;
        // A build of its own: its configuration is a blob the registry does not hold yet.
        h.pushStandInBase(ref, `10.0.20348.${10000 + Math.floor(Math.random() * 50000)}`, ["win32k"]);
        const expected = h.digestOf(ref);
        h.run("skopeo", ["copy", "--src-tls-verify=false", `docker://${ref}`, `oci:${layout}:image`]);
        const target = `docker://${proxy.host}/${run}/pushed:ltsc2022`;
        proxy.received.length = proxy.forwarded.length = proxy.injected.length = 0;
        proxy.script = (r) => (isPut(r) ? { stall: "before" } : undefined);
        const skopeo = spawn("skopeo", ["copy", "--dest-tls-verify=false", `oci:${layout}:image`, target], {
            stdio: "ignore",
        });
        for (let i = 0; i < 600 && !proxy.injected.some((f) => isPut(f.request)); i++)
            await new Promise((resolve) => setTimeout(resolve, 100));
        skopeo.kill("SIGKILL");
        const uploaded = proxy.effectiveWrites().filter((r) => r.path.includes("/blobs/uploads/")).length;
        assert.ok(uploaded > 0, "blobs were pushed before the manifest");
        const listed = h.run(h.env.crane, ["--insecure", "ls", `${h.env.registry}/${run}/pushed`], {
            allowFailure: true,
        });
        assert.ok(!listed.stdout.includes("ltsc2022"), "no tag before the manifest");
        proxy.script = () => undefined;
        // Asynchronously: the proxy runs in this process.
        const rerun = spawn("skopeo", ["copy", "--dest-tls-verify=false", `oci:${layout}:image`, target], {
            stdio: "ignore",
        });
        assert.strictEqual(await new Promise((resolve) => rerun.on("exit", resolve)), 0);
        assert.strictEqual(h.digestOf(`${h.env.registry}/${run}/pushed:ltsc2022`), expected);
    });
});
