// GoWindowsImage with windowsVersions for real: the component runs under the mocks, but every docker-build image it
// declares is built by BuildKit from the Dockerfile it hands over and pushed to the local registry (as the build
// provider would), and the component then reads those images and writes its image index to that registry itself.
import * as assert from "assert";
import * as path from "path";
import { GoWindowsImage, GoWindowsImageArgs, GoWindowsImageRelease } from "../../components";
import { selectWindowsEntry, selectWindowsEntryAsDocker } from "../../components";
import { repoRoot } from "../support/files";
import * as mocks from "../support/mocks";
import * as h from "../support/tools";

const releases = ["ltsc2019", "ltsc2022", "ltsc2025"];
const hosts = [
    { name: "Windows Server 2019", build: "10.0.17763", pulls: "ltsc2019" },
    { name: "Windows Server 2022", build: "10.0.20348", pulls: "ltsc2022" },
    { name: "Windows Server 2025", build: "10.0.26100", pulls: "ltsc2025" },
];
/** Server Core bases carry `os.features: ["win32k"]`; the ltsc2019 stand-in has none, to show an entry without. */
const osFeatures: Record<string, string[] | undefined> = { ltsc2022: ["win32k"], ltsc2025: ["win32k"] };
const baseRef = (release: string) => `${h.env.registry}/releases/servercore:${release}`;
/** The Go build step of the generated Dockerfile, in BuildKit's plain progress log. */
const goBuildStep = /^#(\d+) \[build \d+\/\d+\] RUN .*mkdir -p \/out\/app/m;

const skopeo = (args: string[]) => h.run("skopeo", ["inspect", "--tls-verify=false", ...args]).stdout;
const rawOf = (ref: string) => skopeo(["--raw", `docker://${ref}`]);

/** What the build provider did for one release: the build's log, and what it pushed. */
interface Built {
    release: string;
    log: string;
    pushed: h.PushResult;
}

describe("GoWindowsImage for three Windows releases, built and indexed for real", function () {
    const built: Built[] = [];
    let image: GoWindowsImage;
    let imageRef: string;
    let tag: string;
    let outputs: Record<string, GoWindowsImageRelease>;
    let index: h.RawIndex;

    before(async () => {
        h.prepareRegistry();
        for (const release of releases)
            h.pushStandInBase(baseRef(release), h.standInOsVersion[release], osFeatures[release]);
        const context = h.copyModule(path.join(repoRoot, "app"));
        const args: GoWindowsImageArgs = {
            context,
            windowsVersions: releases,
            baseImage: "servercore",
            baseImageRefs: Object.fromEntries(releases.map((r) => [r, baseRef(r)])),
            registry: { server: h.env.registry, repositoryName: "samples/releases" },
            builderImageRef: h.builderRef(),
            ports: [8080],
            healthCheck: { args: ["healthcheck"] },
        };
        // BuildKit's metadata of the runtime stage (the same for every release), read as the single-image suite does.
        const one = { ...args, windowsVersions: undefined, baseImageRefs: undefined, windowsVersion: "ltsc2022" };
        const config = await h.runtimeConfigFromBuildKit("releases", one);
        // Nothing cached from other builds: the first release's build compiles.
        h.pruneBuildCache();

        // The build provider: builds what the component declares and pushes it under the tag the component gives.
        let failed: (e: unknown) => void = () => undefined;
        const failure = new Promise<never>((_, reject) => (failed = reject));
        mocks.setupMocks(false, "test", (request) => {
            if (request.type !== "docker-build:index:Image") return undefined;
            try {
                return buildAndPush(request);
            } catch (e) {
                failed(e);
                throw e;
            }
        });
        h.useTestRegistry(args);
        image = new GoWindowsImage("api", args);
        imageRef = await Promise.race([mocks.valueOf(image.imageRef), failure]);
        tag = await mocks.valueOf(image.tag);
        outputs = (await mocks.valueOf(image.releases))!;
        await mocks.settle();
        index = h.rawIndex(imageRef);

        function buildAndPush(request: mocks.ProviderRequest): Record<string, unknown> {
            const declared = h.declaredBuild(request.inputs);
            const build = h.buildWindows(declared);
            const layer = h.applicationLayer(build.filesTar);
            const target = `${declared.repositoryUrl}:${declared.tag}`;
            const pushed = h.assembleAndPush(h.runtimeBaseOf(declared.dockerfile), layer, config, target);
            const release = /^api-(ltsc\d+)-image$/.exec(request.name)?.[1] ?? request.name;
            built.push({ release, log: build.log, pushed });
            return { ...request.outputs, digest: pushed.imageRef.split("@")[1] };
        }
    });

    it("builds one image per release, and Go compiles once: every later build finds the Go build step cached", () => {
        assert.deepStrictEqual(built.map((b) => b.release).sort(), releases);
        const [first, ...later] = built;
        const firstStep = goBuildStep.exec(first.log);
        assert.ok(firstStep, first.log);
        assert.doesNotMatch(first.log, new RegExp(`^#${firstStep[1]} CACHED$`, "m"), "the first build compiles");
        for (const b of later) {
            const step = goBuildStep.exec(b.log);
            assert.ok(step, b.log);
            assert.match(b.log, new RegExp(`^#${step[1]} CACHED$`, "m"), `${b.release} compiles again`);
        }
    });

    it("puts the same application layer, the same executable, on every release's base", () => {
        const appLayers = built.map(({ pushed }) => {
            const { manifest } = h.inspect(pushed.imageRef);
            return manifest.layers[manifest.layers.length - 1].digest;
        });
        assert.strictEqual(new Set(appLayers).size, 1, appLayers.join(" "));
    });

    it("outputs imageRef as an OCI image index in the image's repository, pinned by digest, also under its tag", () => {
        assert.match(
            imageRef,
            new RegExp(`^${h.env.registry.replace(/\./g, "\\.")}/samples/releases@sha256:[a-f0-9]{64}$`),
        );
        assert.strictEqual(index.mediaType, "application/vnd.oci.image.index.v1+json");
        assert.strictEqual(h.digestOf(`${h.env.registry}/samples/releases:${tag}`), imageRef.split("@")[1]);
    });

    it("lists one entry per release, newest first, with each base's os.version and os.features", () => {
        assert.deepStrictEqual(
            index.manifests.map((m) => m.platform),
            [...releases].reverse().map((release) => ({
                os: "windows",
                architecture: "amd64",
                "os.version": h.standInOsVersion[release],
                ...(osFeatures[release] ? { "os.features": osFeatures[release] } : {}),
            })),
        );
    });

    it("lists the images the build provider pushed, each resolving to its release's image, as the outputs say", () => {
        for (const release of releases) {
            const pushed = built.find((b) => b.release === release)!.pushed;
            const digest = pushed.imageRef.split("@")[1];
            const entry = index.manifests.find((m) => m.digest === digest);
            assert.ok(entry, `${release}: ${digest} is in the index`);
            const raw = rawOf(pushed.imageRef);
            assert.strictEqual(entry.size, Buffer.byteLength(raw), `${release}: size`);
            assert.strictEqual(entry.mediaType, JSON.parse(raw).mediaType, `${release}: media type`);
            const config = h.inspect(pushed.imageRef).config;
            assert.strictEqual(config["os.version"], entry.platform["os.version"], `${release}: os.version`);
            assert.strictEqual(outputs[release].imageRef, pushed.imageRef, `${release}: releases output`);
            assert.strictEqual(outputs[release].windowsOsVersion, h.standInOsVersion[release], `${release}: read`);
        }
    });

    it("sends each host release to its own image (containerd's rule and Docker Engine's agree)", () => {
        const byDigest = new Map(built.map((b) => [b.pushed.imageRef.split("@")[1], b.release]));
        const entries = index.manifests.map((m) => ({
            name: byDigest.get(m.digest),
            os: m.platform.os,
            architecture: m.platform.architecture,
            osVersion: m.platform["os.version"],
            osFeatures: m.platform["os.features"],
        }));
        for (const host of hosts) {
            const containerd = selectWindowsEntry(entries, host.build)?.name;
            const docker = selectWindowsEntryAsDocker(entries, host.build)?.name;
            console.log(`      ${host.name} (${host.build}) pulls the ${containerd ?? "no"} image`);
            assert.deepStrictEqual([containerd, docker], [host.pulls, host.pulls], host.name);
        }
    });
});
