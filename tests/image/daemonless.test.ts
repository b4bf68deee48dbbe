// GoWindowsImage with `strategy: "daemonless"` under the mocks: one dynamic resource that compiles Go on this machine
// and writes the images, its exact inputs (the Dockerfile's values), previews, secrets, releases, and the provider's
// diff: replaced or updated exactly when what decides the images changes.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import * as pulumi from "@pulumi/pulumi";
import { DockerfileParser } from "dockerfile-ast";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import type { RuntimeSettings } from "../../components/assembly";
import { DaemonlessWindowsImage } from "../../components/image/daemonlessImage";
import { daemonlessImageProvider } from "../../components/image/daemonlessProvider";
import type { DaemonlessImageOutputs } from "../../components/image/daemonlessProvider";
import { localGoVersion } from "../../components/image/localGo";
import { hashStagedContents, readStagedContext } from "../../components/image/stagedContext";
import { realRegistries, registryImage } from "../support/fakeRegistry";
import { RegistryStub, putWindowsImageWithLayer, startRegistryStub } from "../support/registryStub";
import { sampleApp, tempDir, writeModule } from "../support/files";
import { goListInputs, windowsBuildEnv } from "../support/goModules";
import * as mocks from "../support/mocks";
import { sideEffectsOf } from "../support/sideEffects";

const component = "go-windows-containers:index:GoWindowsImage";
const daemonless = mocks.daemonlessImageType;
const componentUrn = (name: string) => `urn:pulumi:test::go-windows-containers::${component}::${name}`;
const goVersion = localGoVersion();

async function build(name: string, args: Partial<GoWindowsImageArgs>): Promise<GoWindowsImage> {
    const image = new GoWindowsImage(name, { context: "app", strategy: "daemonless", ...args } as GoWindowsImageArgs);
    await mocks.valueOf(image.repositoryUrl);
    await mocks.settled(image.imageRef);
    await mocks.settle();
    return image;
}

const sampleArgs: Partial<GoWindowsImageArgs> = {
    registry: { server: "localhost:5000" },
    ports: [8080],
    env: { PORT: "8080", GREETING: 'say "hi" $HOME' },
    args: ["serve"],
    version: "1.2.3",
    revision: "abc123",
    source: "https://example.com/hello",
};

/**
 * What the runtime stage of a Dockerfile sets, read from the Dockerfile's text as BuildKit reads it: ENV, EXPOSE, USER,
 * HEALTHCHECK, ENTRYPOINT, CMD and LABEL (build arguments substituted), and no RUN or WORKDIR.
 */
function runtimeStageSays(dockerfile: string, buildArgs: Record<string, string>): RuntimeSettings {
    const parsed = DockerfileParser.parse(dockerfile);
    const froms = parsed.getFROMs();
    const stage = parsed
        .getInstructions()
        .filter((i) => i.getRange().start.line > froms[froms.length - 1].getRange().start.line);
    const labels: Record<string, string> = {};
    const settings: { -readonly [K in keyof RuntimeSettings]: RuntimeSettings[K] } = {
        env: [],
        exposedPorts: [],
        user: "",
        entrypoint: [],
        labels,
    };
    const unquote = (value: string) =>
        value.startsWith('"') ? value.slice(1, -1).replace(/\\(["\\$])/g, "$1") : value;
    for (const instruction of stage) {
        const keyword = instruction.getKeyword();
        const text = instruction.getTextContent().replace(/^\S+\s+/, "");
        if (keyword === "ENV") {
            const [, name, value] = /^([^=]+)=(.*)$/.exec(text)!;
            settings.env = [...settings.env, [name, unquote(value)]];
        } else if (keyword === "EXPOSE") settings.exposedPorts = [...settings.exposedPorts, text];
        else if (keyword === "USER") settings.user = text;
        else if (keyword === "ENTRYPOINT") settings.entrypoint = JSON.parse(text);
        else if (keyword === "CMD") settings.cmd = JSON.parse(text);
        else if (keyword === "LABEL") {
            for (const [, name, value] of text.matchAll(/(\S+)="\$\{(\w+)\}"/g)) labels[name] = buildArgs[value];
        } else if (keyword === "HEALTHCHECK") {
            const flag = (name: string) => Number(new RegExp(`--${name}=(\\d+)s?`).exec(text)![1]);
            settings.healthcheck = {
                test: ["CMD", ...JSON.parse(text.slice(text.indexOf("CMD ") + 4))],
                intervalSeconds: flag("interval"),
                timeoutSeconds: flag("timeout"),
                startPeriodSeconds: flag("start-period"),
                retries: flag("retries"),
            };
        } else if (keyword !== "ARG" && keyword !== "COPY") assert.fail(`the runtime stage has ${keyword}`);
    }
    return settings;
}

/** A folder holding a `go` that reports `version` as its GOVERSION, as an older or newer Go release would. */
function goReporting(version: string): string {
    const dir = tempDir("go");
    fs.writeFileSync(path.join(dir, "go"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
    return dir;
}

describe("GoWindowsImage with strategy daemonless", () => {
    describe("with an existing registry", () => {
        let image: GoWindowsImage;
        before(async () => {
            mocks.setupMocks();
            image = await build("api", { ...sampleArgs, healthCheck: {} });
        });

        it("declares one DaemonlessWindowsImage, and neither a Docker build nor a Docker lookup", () => {
            assert.deepStrictEqual(
                mocks.resources.map((r) => [r.type, r.name, r.parent]),
                [
                    [component, "api", ""],
                    [daemonless, "api-image", componentUrn("api")],
                ],
            );
            assert.deepStrictEqual(
                mocks.calls.map((c) => c.token),
                [],
                "no @pulumi/docker data source: it needs a Docker engine",
            );
            assert.strictEqual(mocks.onlyOfType(daemonless).retainOnDelete, true, "its images stay on destroy");
        });

        it("compiles the staged sources with this machine's Go and the flags every strategy uses", () => {
            const inputs = mocks.onlyOfType(daemonless).inputs;
            const source = inputs.source as { context: string; module: string; package: string; contentHash: string };
            assert.match(source.context, /^\.go-windows\/api-[0-9a-f]{8}\/context$/);
            assert.deepStrictEqual([source.module, source.package], [".", "."]);
            assert.strictEqual(source.contentHash, hashStagedContents(readStagedContext(source.context)));
            assert.deepStrictEqual(
                [...readStagedContext(source.context).keys()],
                goListInputs(sampleApp, sampleApp, ".", windowsBuildEnv()),
                "exactly what the Go build reads, as `go list` says",
            );
            assert.strictEqual(inputs.binaryName, "hello.exe");
            assert.strictEqual(inputs.goVersion, goVersion);
            assert.deepStrictEqual(inputs.goFlags, [
                "-trimpath",
                "-buildvcs=false",
                "-ldflags",
                "-s -w -X main.version=1.2.3",
            ]);
            assert.deepStrictEqual(inputs.goEnv, [
                ["CGO_ENABLED", "0"],
                ["GOOS", "windows"],
                ["GOARCH", "amd64"],
                ["GOTOOLCHAIN", "local"],
            ]);
        });

        it("writes to the registry's repository, on the base pinned to the digest its tag holds", async () => {
            const inputs = mocks.onlyOfType(daemonless).inputs;
            const base = "mcr.microsoft.com/windows/nanoserver:ltsc2022";
            assert.deepStrictEqual([inputs.registry, inputs.repository], ["localhost:5000", "api"]);
            assert.deepStrictEqual(inputs.images, [
                {
                    windowsVersion: "ltsc2022",
                    tag: await mocks.valueOf(image.tag),
                    base: `${base}@${registryImage(base).digest}`,
                },
            ]);
            assert.strictEqual(await mocks.valueOf(image.baseImage), `${base}@${registryImage(base).digest}`);
        });

        it("sets on the image exactly what the Dockerfile's runtime stage says", async () => {
            const dockerfile = await mocks.valueOf(image.dockerfile);
            const buildArgs = { VERSION: "1.2.3", REVISION: "abc123", SOURCE: "https://example.com/hello" };
            const said = runtimeStageSays(dockerfile, buildArgs);
            assert.deepStrictEqual(mocks.onlyOfType(daemonless).inputs.runtime, said);
            assert.deepStrictEqual(said.env, [
                ["PORT", "8080"],
                ["GREETING", 'say "hi" $HOME'],
            ]);
            assert.deepStrictEqual(said.cmd, ["serve"]);
            assert.strictEqual(said.healthcheck?.retries, 3);
        });

        it("outputs the pushed image by digest, a content tag, and the Dockerfile a cross build of it would use", async () => {
            const pushed = mocks.onlyOfType(daemonless);
            assert.ok(pushed);
            assert.match(await mocks.valueOf(image.imageRef), /^localhost:5000\/api@sha256:[0-9a-f]{64}$/);
            assert.match(await mocks.valueOf(image.tag), /^ctx-[0-9a-f]+$/);
            const dockerfile = await mocks.valueOf(image.dockerfile);
            assert.match(dockerfile, /^# Generated by go-windows-containers: a daemonless build of \./m);
            assert.match(dockerfile, /^# The component writes this image itself, with no Docker; the `cross`/m);
            assert.match(
                dockerfile,
                new RegExp(`^FROM --platform=\\$BUILDPLATFORM golang:${goVersion.slice(2)} AS build$`, "m"),
            );
            assert.match(dockerfile, /^COPY --from=build \/out\/ \/$/m);
            assert.strictEqual(await mocks.valueOf(image.windowsOsVersion), "10.0.20348.2849");
        });
    });

    describe("with ECR", () => {
        before(async () => {
            mocks.setupMocks();
            await build("api", { ecr: {} });
        });

        it("pushes with a fresh ECR token, kept secret, after the repository and its policy exist", () => {
            const pushed = mocks.onlyOfType(daemonless);
            const url = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
            assert.strictEqual(pushed.inputs.registry, url);
            assert.match(String(pushed.inputs.repository), /^api-repo-[0-9a-f]{7}$/);
            assert.deepStrictEqual(mocks.unwrapSecrets([pushed.inputs.username, pushed.inputs.password]), [
                "AWS",
                mocks.fakeCredentials.ecrPassword,
            ]);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
            assert.deepStrictEqual(pushed.additionalSecretOutputs, ["username", "password", "baseLogins"]);
            assert.ok(!String(pushed.inputs.__provider).includes(mocks.fakeCredentials.ecrPassword));
            const urns = mocks.resources
                .filter((r) => r.type.startsWith("aws:ecr"))
                .map((r) => `urn:pulumi:test::go-windows-containers::${component}$${r.type}::${r.name}`);
            assert.deepStrictEqual([...pushed.dependencies].sort(), urns.sort());
        });
    });

    describe("in a preview", () => {
        it("pushes nothing, shows unknown digests, asks ACR for no token, and only stages and asks Go its version", async () => {
            mocks.setupMocks(true);
            let existing: GoWindowsImage | undefined;
            let acr: GoWindowsImage | undefined;
            const effects = await sideEffectsOf(async () => {
                existing = await build("api", { registry: { server: "localhost:5000" } });
                acr = await build("acr", { acr: { resourceGroupName: "rg" } });
            });
            const staging = path.join(process.cwd(), ".go-windows") + path.sep;
            assert.deepStrictEqual(
                effects.filter((e) => !e.split(" ")[1].startsWith(staging)),
                ["spawnSync go", "spawnSync go"],
            );
            assert.deepStrictEqual(mocks.acrExchanges, []);
            for (const image of [existing!, acr!]) {
                assert.strictEqual((await mocks.settled(image.imageRef)).known, false);
            }
            for (const image of [existing!, acr!])
                assert.strictEqual(
                    (await mocks.settled(image.tag)).known,
                    true,
                    "the tag is known: an unchanged image shows no change",
                );
            assert.strictEqual(mocks.ofType(daemonless).length, 2);
        });
    });

    describe("with windowsVersions", () => {
        let image: GoWindowsImage;
        before(async () => {
            mocks.setupMocks();
            image = await build("api", {
                registry: { server: "localhost:5000" },
                windowsVersions: ["ltsc2025", "ltsc2019", "ltsc2022"],
            });
        });

        it("compiles once: one resource writes every release's image, oldest first, each on its own base", async () => {
            const inputs = mocks.onlyOfType(daemonless).inputs;
            const images = inputs.images as { windowsVersion: string; tag: string; base: string }[];
            assert.deepStrictEqual(
                images.map((i) => i.windowsVersion),
                ["ltsc2019", "ltsc2022", "ltsc2025"],
            );
            assert.deepStrictEqual(
                images.map((i) => i.base.split("@")[0]),
                [
                    "mcr.microsoft.com/windows/nanoserver:1809",
                    "mcr.microsoft.com/windows/nanoserver:ltsc2022",
                    "mcr.microsoft.com/windows/nanoserver:ltsc2025",
                ],
            );
            assert.strictEqual(new Set(images.map((i) => i.tag)).size, 3);
            const releases = await mocks.valueOf(image.releases);
            assert.deepStrictEqual(
                images.map((i) => releases![i.windowsVersion].tag),
                images.map((i) => i.tag),
            );
        });

        it("publishes the same image index as cross builds, its entries what the resource pushed", async () => {
            const index = mocks.onlyOfType(mocks.imageIndexType);
            const entries = mocks.unwrapSecrets(index.inputs.entries) as { digest: string; osVersion: string }[];
            const releases = await mocks.valueOf(image.releases);
            assert.deepStrictEqual(
                entries.map((e) => e.osVersion),
                ["10.0.17763.6893", "10.0.20348.2849", "10.0.26100.2605"],
            );
            assert.deepStrictEqual(
                entries.map((e) => `localhost:5000/api@${e.digest}`),
                ["ltsc2019", "ltsc2022", "ltsc2025"].map((r) => releases![r].imageRef),
            );
            assert.match(await mocks.valueOf(image.imageRef), /^localhost:5000\/api@sha256:[0-9a-f]{64}$/);
            assert.strictEqual(image.windowsVersion, "ltsc2025");
        });
    });

    describe("validation", () => {
        const refusals: [string, Partial<GoWindowsImageArgs>, string | undefined, RegExp][] = [
            ["cgo", { cgo: true }, undefined, /`cgo` is true; only the `cross` strategy supports it/],
            ["runtimeSetup", { runtimeSetup: ["mkdir C:\\data"] }, undefined, /`daemonless` strategy has no Windows/],
            ["no Go on PATH", {}, "", /no `go` on its PATH\. Install Go/],
            ["a Go older than go.mod's line", {}, "go1.19.8", /needs Go 1\.23 or later .* go1\.19\.8/],
            ["a goVersion this machine's Go is not", { goVersion: "1.22" }, undefined, /`goVersion` is "1\.22"/],
        ];
        for (const [what, args, machineGo, message] of refusals) {
            it(`refuses ${what} before any child is created`, async () => {
                mocks.setupMocks();
                const saved = process.env.PATH;
                if (machineGo !== undefined)
                    process.env.PATH = machineGo === "" ? tempDir("no-go") : goReporting(machineGo);
                try {
                    assert.throws(
                        () =>
                            new GoWindowsImage("api", {
                                context: "app",
                                strategy: "daemonless",
                                registry: { server: "localhost:5000" },
                                ...args,
                            } as GoWindowsImageArgs),
                        (e: unknown) => pulumi.ResourceError.isInstance(e) && message.test((e as Error).message),
                    );
                } finally {
                    process.env.PATH = saved;
                }
                await mocks.settle();
                assert.deepStrictEqual(
                    mocks.resources.map((r) => r.type),
                    [component],
                );
            });
        }
    });
});

describe("the DaemonlessWindowsImage provider", () => {
    const runtime: RuntimeSettings = {
        env: [],
        exposedPorts: [],
        user: "ContainerUser",
        entrypoint: ["x"],
        labels: {},
    };
    const inputs = {
        registry: "localhost:5000",
        repository: "samples/api",
        source: { context: ".go-windows/api-0/context", module: ".", package: ".", contentHash: "a".repeat(64) },
        binaryName: "api.exe",
        goVersion: "go1.23.5",
        goFlags: ["-trimpath"],
        goEnv: [["GOOS", "windows"]] as [string, string][],
        runtime,
        images: [{ windowsVersion: "ltsc2022", tag: "ctx-1", base: "mcr.microsoft.com/windows/nanoserver:ltsc2022" }],
        username: "ci",
        password: "old",
    };
    const written: DaemonlessImageOutputs = {
        ...inputs,
        pushed: {
            ltsc2022: { tag: "ctx-1", digest: "sha256:1", mediaType: "m", size: 1, baseManifest: "sha256:2" },
        },
        binaryDigest: "sha256:3",
        layerDigest: "sha256:4",
    };
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    const diffs: [string, object, boolean, string[]][] = [
        ["nothing", {}, false, []],
        ["the password and user only", { username: "AWS", password: "new" }, false, []],
        ["a content tag (a file the Go build reads)", { images: [{ ...inputs.images[0], tag: "ctx-2" }] }, true, []],
        ["the base's digest", { images: [{ ...inputs.images[0], base: "b@sha256:9" }] }, true, []],
        [
            "a release added",
            { images: [...inputs.images, { ...inputs.images[0], windowsVersion: "ltsc2025" }] },
            true,
            [],
        ],
        ["the staged sources' hash", { source: { ...inputs.source, contentHash: "b".repeat(64) } }, true, []],
        ["this machine's Go", { goVersion: "go1.23.6" }, true, []],
        ["the Go flags", { goFlags: ["-trimpath", "-tags=prod"] }, true, []],
        ["the image settings", { runtime: { ...runtime, user: "ContainerAdministrator" } }, true, []],
        ["a tag not known yet", { images: unknown }, true, []],
        ["the registry", { registry: "localhost:5001" }, true, ["registry"]],
        ["the repository", { repository: "samples/other" }, true, ["repository"]],
    ];
    for (const [what, change, changes, replaces] of diffs) {
        it(`${changes ? (replaces.length ? "replaces" : "updates") : "keeps"} the images on a change of ${what}`, async () => {
            const diff = await daemonlessImageProvider.diff("id", written, { ...inputs, ...change } as never);
            assert.deepStrictEqual([diff.changes, diff.replaces], [changes, replaces]);
        });
    }

    it("keeps credentials secret when given to it as plain strings", async () => {
        mocks.setupMocks();
        const secret = mocks.fakeCredentials.registryPassword;
        const image = new DaemonlessWindowsImage("direct", {
            ...inputs,
            password: secret,
            baseLogins: { "mirror.example.com": { username: "reader", password: secret } },
        });
        await mocks.valueOf(image.urn);
        assert.strictEqual(mocks.onlyOfType(daemonless).name, "direct");
        assert.deepStrictEqual(mocks.exposedCredentials(), []);
    });

    it("reports each problem of the known inputs, naming the property, and checks nothing unknown", async () => {
        const { failures } = await daemonlessImageProvider.check({} as never, {
            ...inputs,
            registry: "https://localhost",
            images: [{ ...inputs.images[0], tag: "bad tag" }, inputs.images[0]],
            password: undefined,
        });
        assert.deepStrictEqual(
            failures.map((f) => f.property),
            ["registry", "images[0].tag", "images", "password"],
        );
        const unknowns = await daemonlessImageProvider.check({} as never, {
            ...inputs,
            registry: unknown,
            images: unknown as never,
        });
        assert.deepStrictEqual(unknowns.failures, []);
    });

    it("keeps the images when deleted, and keeps the state when a refresh cannot read the registry", async () => {
        await daemonlessImageProvider.delete();
        const lines: string[] = [];
        const warn = console.warn;
        console.warn = (line: string) => lines.push(line);
        try {
            const unreachable = { ...written, registry: "127.0.0.1:9" };
            assert.deepStrictEqual(await daemonlessImageProvider.read("id", unreachable), {
                id: "id",
                props: unreachable,
            });
        } finally {
            console.warn = warn;
        }
        assert.match(lines.join(), /could not read the pushed images .*state left unchanged/);
    });

    describe("against a registry with token auth", () => {
        let stub: RegistryStub;
        let created: DaemonlessImageOutputs;
        let declared: DaemonlessImageOutputs;
        const login = { username: "ci", password: mocks.fakeCredentials.registryPassword };
        before(async function () {
            this.timeout(300000);
            stub = await startRegistryStub({
                tokenAuth: { users: { ci: { password: login.password, actions: ["pull", "push"] } } },
            });
            const base = putWindowsImageWithLayer(stub, "windows/nanoserver", "10.0.20348.2849");
            mocks.setupMocks();
            await build("api", { registry: { server: "localhost:5000" } });
            declared = mocks.unwrapSecrets(mocks.onlyOfType(daemonless).inputs) as DaemonlessImageOutputs;
            const serialized = String(mocks.onlyOfType(daemonless).inputs.__provider);
            const module = { exports: {} as { handler: () => typeof daemonlessImageProvider } };
            vm.runInThisContext(`(function (exports, require, module) {${serialized}\n})`)(
                module.exports,
                require,
                module,
            );
            const provider = module.exports.handler();
            created = (
                await provider.create({
                    ...declared,
                    registry: stub.host,
                    images: declared.images.map((image) => ({
                        ...image,
                        base: `${stub.host}/windows/nanoserver@${base}`,
                    })),
                    ...login,
                })
            ).outs;
        });
        after(() => stub.close());

        it("compiles and pushes as serialized: the tag names the manifest, which names the executable's layer", () => {
            const pushed = created.pushed.ltsc2022;
            assert.strictEqual(stub.tags.get(`api:${pushed.tag}`), pushed.digest);
            const manifest = JSON.parse(stub.manifests.get(`api@${pushed.digest}`)!.body.toString());
            assert.strictEqual(manifest.layers.at(-1).digest, created.layerDigest);
            assert.strictEqual(pushed.osVersion, "10.0.20348.2849");
            assert.match(created.binaryDigest, /^sha256:[0-9a-f]{64}$/);
        });

        it("compiles nothing and pushes nothing when Go or the staged sources changed since the program ran", async () => {
            const before = stub.requests.length;
            await assert.rejects(
                daemonlessImageProvider.create({ ...declared, registry: stub.host, goVersion: "go1.23.999" }),
                /This machine's Go is go1\.23\.\d+ now, and the program ran with go1\.23\.999: run `pulumi up` again/,
            );
            await assert.rejects(
                daemonlessImageProvider.create({
                    ...declared,
                    registry: stub.host,
                    source: { ...declared.source, contentHash: "0".repeat(64) },
                }),
                /staged sources in \.go-windows\/api-[0-9a-f]{8}\/context are not the ones the program hashed/,
            );
            assert.strictEqual(stub.requests.length, before, "no request reached the registry");
        });

        it("refreshes: unchanged while the images are there, unchanged with an expired token, gone once deleted", async () => {
            assert.deepStrictEqual(await daemonlessImageProvider.read("id", created), { id: "id", props: created });
            stub.expireTokens();
            stub.expireNewTokens = true;
            const lines: string[] = [];
            const warn = console.warn;
            console.warn = (line: string) => lines.push(line);
            try {
                const expired = { ...created, password: "an-expired-token" };
                assert.deepStrictEqual(await daemonlessImageProvider.read("id", expired), { id: "id", props: expired });
            } finally {
                console.warn = warn;
            }
            assert.match(lines.join(), /could not read the pushed images .*state left unchanged/);
            // A registry that answers 401 itself (Basic auth, a password since changed) leaves the state too.
            const basic = await startRegistryStub({ user: login });
            try {
                const refused = { ...created, registry: basic.host, password: "changed" };
                console.warn = (line: string) => lines.push(line);
                assert.deepStrictEqual(await daemonlessImageProvider.read("id", refused), { id: "id", props: refused });
            } finally {
                console.warn = warn;
                await basic.close();
            }
            assert.match(lines.join(), /could not read the pushed images \(HTTP 401\)/);
            stub.expireNewTokens = false;
            stub.manifests.clear();
            assert.deepStrictEqual(await daemonlessImageProvider.read("id", created), {});
        });
    });

    it("reads a private base with the credentials given for its registry, and keeps them secret", async function () {
        this.timeout(300000);
        const baseLogin = { username: "mirror", password: "mirror-password-31337" };
        const [target, mirror] = [await startRegistryStub(), await startRegistryStub({ user: baseLogin })];
        try {
            const digest = putWindowsImageWithLayer(mirror, "windows/nanoserver", "10.0.20348.2849");
            mirror.tags.set("windows/nanoserver:ltsc2022", digest);
            mocks.setupMocks();
            // A registry that really runs: the mocks run the provider's create against it, as the engine would.
            realRegistries.add(target.host);
            const image = await build("api", {
                registry: { server: target.host },
                baseImageRef: `${mirror.host}/windows/nanoserver:ltsc2022`,
                baseImageRegistries: [
                    { address: mirror.host, ...baseLogin, password: pulumi.secret(baseLogin.password) },
                ],
            });
            assert.strictEqual(
                await mocks.valueOf(image.baseImage),
                `${mirror.host}/windows/nanoserver:ltsc2022@${digest}`,
            );
            const recorded = mocks.onlyOfType(daemonless);
            const plainStrings = mocks.stringsIn(recorded.wireInputs).filter((x) => !x.secret);
            assert.ok(!plainStrings.some((x) => x.value.includes(baseLogin.password)), "the base's password is secret");
            const declared = mocks.unwrapSecrets(recorded.inputs) as DaemonlessImageOutputs;
            assert.deepStrictEqual(declared.baseLogins, { [mirror.host]: baseLogin });
            const pushed = (await mocks.valueOf(image.imageRef)).split("@")[1];
            const manifest = JSON.parse(target.manifests.get(`api@${pushed}`)!.body.toString());
            assert.ok(
                target.blobs.has(`api@${manifest.layers[0].digest}`),
                "the base's layer was copied from the mirror",
            );
            const again = { ...declared, baseLogins: undefined, repository: "other" };
            await assert.rejects(daemonlessImageProvider.create(again), /401/, "the mirror refuses an anonymous read");
        } finally {
            await Promise.all([target.close(), mirror.close()]);
        }
    });

    it("is serialized with its code and no credentials, and runs as serialized", async () => {
        mocks.setupMocks();
        await build("api", {
            registry: {
                server: "localhost:5000",
                username: "ci",
                password: pulumi.secret(mocks.fakeCredentials.registryPassword),
            },
        });
        const text = String(mocks.onlyOfType(daemonless).inputs.__provider);
        assert.match(text, /^exports\.handler = /);
        // The pinned deflater and tar writer are loaded by name where the provider runs (the project's node_modules),
        // and the deflater's recorded digest is checked there before each push (checkDeflater).
        assert.match(text, /require\("pako"\)/);
        assert.match(text, /require\("tar-stream(\/index\.js)?"\)/);
        assert.ok(!text.includes(mocks.fakeCredentials.registryPassword));
        const module = { exports: {} as { handler: () => typeof daemonlessImageProvider } };
        vm.runInThisContext(`(function (exports, require, module) {${text}\n})`)(module.exports, require, module);
        const provider = module.exports.handler();
        const { failures } = await provider.check({} as never, { ...inputs, repository: "Bad Repo" });
        assert.match(failures[0].reason, /`repository` is "Bad Repo"; a repository path/);
        const diff = await provider.diff("id", written, { ...inputs, images: [{ ...inputs.images[0], tag: "ctx-2" }] });
        assert.strictEqual(diff.changes, true);
    });
});

describe("a daemonless image's tag", () => {
    it("changes with this machine's Go release, which decides the executable", async () => {
        const tagWith = async (version: string) => {
            const saved = process.env.PATH;
            process.env.PATH = `${goReporting(version)}${path.delimiter}${saved}`;
            try {
                mocks.setupMocks();
                const image = await build("api", { registry: { server: "localhost:5000" } });
                return await mocks.valueOf(image.tag);
            } finally {
                process.env.PATH = saved;
            }
        };
        const [a, b, again] = [await tagWith("go1.23.5"), await tagWith("go1.23.6"), await tagWith("go1.23.5")];
        assert.notStrictEqual(a, b);
        assert.strictEqual(a, again);
    });
});

describe("a daemonless preview with buildOnPreview", () => {
    const broken = () =>
        writeModule(tempDir("broken"), {
            "go.mod": "module example.com/broken\n\ngo 1.23\n",
            "main.go": "package main\n\nfunc main() { undefinedThing() }\n",
        });

    it("compiles, and fails with Go's message where the update would; without it a preview does not compile", async () => {
        const registry = { server: "localhost:5000" };
        mocks.setupMocks(true);
        const quiet = new GoWindowsImage("quiet", { context: broken(), strategy: "daemonless", registry });
        assert.strictEqual((await mocks.settled(quiet.imageRef)).known, false, "nothing compiled, nothing known");
        await mocks.settle();
        // A failed input fails the program as the language host sees it: an unhandled rejection that it reports.
        const saved = process.listeners("unhandledRejection");
        process.removeAllListeners("unhandledRejection");
        const failures: string[] = [];
        process.on("unhandledRejection", (e) => failures.push(String(e)));
        try {
            mocks.setupMocks(true);
            new GoWindowsImage("strict", { context: broken(), strategy: "daemonless", registry, buildOnPreview: true });
            const compileFailure = () => failures.find((f) => f.includes("go build"));
            for (let i = 0; i < 100 && !compileFailure(); i++) await new Promise((r) => setTimeout(r, 100));
        } finally {
            process.removeAllListeners("unhandledRejection");
            saved.forEach((listener) => process.on("unhandledRejection", listener));
        }
        assert.match(
            failures.find((f) => f.includes("go build")) ?? failures.join(),
            /property "images": `go build .*` failed in .*undefined: undefinedThing/s,
        );
        await mocks.settle();
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type),
            [component],
            "nothing registered to push",
        );
    });
});
