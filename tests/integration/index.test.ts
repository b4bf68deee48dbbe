// An image index for real: three stand-in Windows images pushed to the local registry, the ImageIndex provider's
// create, update and delete against it, skopeo's raw view of the result, and which entry each host release pulls.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ImageIndexEntry, imageIndexProvider, selectWindowsEntry, selectWindowsEntryAsDocker } from "../../components";
import * as h from "../support/tools";

const repository = "samples/multi";
/** One image per release; Server Core stand-ins carry `os.features: ["win32k"]` as Microsoft's do. */
const releases = [
    { name: "ltsc2019", flavour: "nanoserver", osFeatures: undefined },
    { name: "ltsc2022", flavour: "servercore", osFeatures: ["win32k"] },
    { name: "ltsc2025", flavour: "servercore", osFeatures: ["win32k"] },
];
const hosts = [
    { name: "Windows Server 2019", build: "10.0.17763", pulls: "ltsc2019" },
    { name: "Windows Server 2022", build: "10.0.20348", pulls: "ltsc2022" },
    { name: "Windows Server 2025", build: "10.0.26100", pulls: "ltsc2025" },
];

const crane = (args: string[]) => h.run(h.env.crane, ["--insecure", ...args]).stdout;
const skopeo = (args: string[], allowFailure = false) =>
    h.run("skopeo", ["inspect", "--tls-verify=false", ...args], { allowFailure });

/** Pushes a stand-in base and appends a one-file application layer; returns the image's index entry. */
function pushImage(release: (typeof releases)[number]): ImageIndexEntry {
    const osVersion = h.standInOsVersion[release.name];
    const base = `${h.env.registry}/stand-in/index-${release.flavour}:${release.name}`;
    h.pushStandInBase(base, osVersion, release.osFeatures);
    const dir = h.workDir(`index-${release.name}`);
    fs.mkdirSync(path.join(dir, "app"));
    fs.writeFileSync(path.join(dir, "app", "release.txt"), `${release.name}\n`);
    const layer = path.join(dir, "..", `${path.basename(dir)}.tar`);
    h.run("tar", ["-C", dir, "--owner=0", "--group=0", "--mtime=@0", "-cf", layer, "app"]);
    const target = `${h.env.registry}/${repository}:${release.name}`;
    crane(["append", "-b", base, "-f", layer, "-t", target]);
    const manifest = Buffer.from(crane(["manifest", target]), "utf8");
    const digest = crane(["digest", target]).trim();
    assert.strictEqual(`sha256:${crypto.createHash("sha256").update(manifest).digest("hex")}`, digest);
    const config = JSON.parse(
        skopeo(["--config", "--raw", `docker://${h.env.registry}/${repository}@${digest}`]).stdout,
    );
    return {
        digest,
        mediaType: JSON.parse(manifest.toString("utf8")).mediaType,
        size: manifest.length,
        os: config.os,
        architecture: config.architecture,
        osVersion: config["os.version"],
        osFeatures: config["os.features"],
    };
}

/** The entry of the index each host pulls, by containerd's rule and Docker Engine's, logged as a table. */
function pulledBy(index: h.RawIndex, names: Map<string, string>) {
    const entries = index.manifests.map((m) => ({
        name: names.get(m.digest) ?? m.digest,
        digest: m.digest,
        os: m.platform.os,
        architecture: m.platform.architecture,
        osVersion: m.platform["os.version"],
        osFeatures: m.platform["os.features"],
    }));
    return hosts.map((host) => {
        const containerd = selectWindowsEntry(entries, host.build);
        const docker = selectWindowsEntryAsDocker(entries, host.build);
        console.log(
            `      ${host.name} (${host.build}) pulls ${containerd?.name ?? "nothing"} ${containerd?.digest ?? ""}`,
        );
        return { host: host.name, containerd: containerd?.name, docker: docker?.name };
    });
}

describe("an image index of three Windows releases, written to the registry", function () {
    const registry = h.env.registry;
    const entries: Record<string, ImageIndexEntry> = {};
    const names = new Map<string, string>();
    let created: Awaited<ReturnType<typeof imageIndexProvider.create>>["outs"];
    let index: h.RawIndex;

    before(async () => {
        for (const release of releases) {
            entries[release.name] = pushImage(release);
            names.set(entries[release.name].digest, release.name);
        }
        const all = releases.map((r) => entries[r.name]);
        created = (await imageIndexProvider.create({ registry, repository, tag: "multi", entries: all })).outs;
        index = h.rawIndex(`${registry}/${repository}:multi`);
    });

    it("is an OCI image index under its tag, pinned by the digest the provider reports", () => {
        assert.strictEqual(index.mediaType, "application/vnd.oci.image.index.v1+json");
        assert.strictEqual(crane(["digest", `${registry}/${repository}:multi`]).trim(), created.digest);
        assert.strictEqual(created.ref, `${registry}/${repository}@${created.digest}`);
        assert.deepStrictEqual(h.rawIndex(created.ref), index);
    });

    it("lists one entry per release, newest first, each with its base's os.version and os.features", () => {
        const listed = index.manifests.map((m) => [names.get(m.digest), m.platform]);
        assert.deepStrictEqual(listed, [
            [
                "ltsc2025",
                { architecture: "amd64", os: "windows", "os.version": "10.0.26100.1742", "os.features": ["win32k"] },
            ],
            [
                "ltsc2022",
                { architecture: "amd64", os: "windows", "os.version": "10.0.20348.2340", "os.features": ["win32k"] },
            ],
            ["ltsc2019", { architecture: "amd64", os: "windows", "os.version": "10.0.17763.5576" }],
        ]);
    });

    it("has digests that resolve to images of the release each entry names", () => {
        for (const m of index.manifests) {
            const image = JSON.parse(skopeo(["--raw", `docker://${registry}/${repository}@${m.digest}`]).stdout);
            assert.strictEqual(image.mediaType, m.mediaType);
            const config = JSON.parse(
                skopeo(["--config", "--raw", `docker://${registry}/${repository}@${m.digest}`]).stdout,
            );
            assert.strictEqual(config["os.version"], m.platform["os.version"]);
            // crane resolves the index for a platform with os.version to the same entry.
            const platform = `windows/amd64:${m.platform["os.version"]}`;
            assert.strictEqual(crane(["digest", "--platform", platform, created.ref]).trim(), m.digest);
        }
    });

    it("gives each host release its own image (containerd's rule and Docker Engine's agree)", () => {
        const pulled = pulledBy(index, names);
        for (const [i, host] of hosts.entries()) {
            assert.deepStrictEqual(pulled[i], { host: host.name, containerd: host.pulls, docker: host.pulls });
        }
    });

    it("refuses images of another repository, naming the entry", async () => {
        await assert.rejects(
            imageIndexProvider.create({
                registry,
                repository: "samples/other",
                tag: "multi",
                entries: [entries.ltsc2022],
            }),
            /`entries\[0\]` \(sha256:[0-9a-f]{64}, os.version 10.0.20348.2340\) is not in .*samples\/other/,
        );
    });

    describe("updated to ltsc2019 and ltsc2022, then deleted", () => {
        let updated: typeof created;
        before(async () => {
            const news = { registry, repository, tag: "multi", entries: [entries.ltsc2019, entries.ltsc2022] };
            updated = (await imageIndexProvider.update("multi", created, news)).outs;
        });

        it("moves the tag to the new index and keeps the old one for hosts that pinned it", () => {
            assert.notStrictEqual(updated.digest, created.digest);
            assert.strictEqual(crane(["digest", `${registry}/${repository}:multi`]).trim(), updated.digest);
            assert.strictEqual(h.rawIndex(created.ref).manifests.length, 3);
        });

        it("sends a Server 2025 host to the ltsc2022 image once the index has no ltsc2025", () => {
            const pulled = pulledBy(h.rawIndex(updated.ref), names);
            assert.deepStrictEqual(
                pulled.map((p) => [p.containerd, p.docker]),
                [
                    ["ltsc2019", "ltsc2019"],
                    ["ltsc2022", "ltsc2022"],
                    ["ltsc2022", "ltsc2022"],
                ],
            );
        });

        it("deletes only the index manifest by digest: the images stay", async () => {
            await imageIndexProvider.delete("multi", updated);
            const gone = skopeo(["--raw", `docker://${updated.ref}`], true);
            assert.notStrictEqual(gone.status, 0);
            assert.match(gone.stderr, /manifest unknown|not found/i);
            for (const entry of Object.values(entries))
                assert.strictEqual(crane(["digest", `${registry}/${repository}@${entry.digest}`]).trim(), entry.digest);
        });
    });
});
