// Which index entry a Windows host pulls: containerd's matcher, one table per host release, and Docker Engine's.
import * as assert from "assert";
import {
    WindowsPlatformEntry,
    findWindowsRelease,
    hostRunsWindowsBuild,
    releasesHostPulls,
    selectWindowsEntry,
    selectWindowsEntryAsDocker,
    windowsBuildOf,
} from "../../components/core";

interface Entry extends WindowsPlatformEntry {
    readonly name: string;
}

const entry = (name: string, osVersion?: string, extra: Partial<Entry> = {}): Entry => ({
    name,
    os: "windows",
    architecture: "amd64",
    osVersion,
    ...extra,
});

const ltsc2019 = entry("ltsc2019", "10.0.17763.6893");
const ltsc2022 = entry("ltsc2022", "10.0.20348.2849");
const ltsc2025 = entry("ltsc2025", "10.0.26100.2605");
const unversioned = entry("no os.version");

/** [what, entries, the entry containerd pulls (undefined: none)] */
type Row = [string, Entry[], string | undefined];

const tables: Record<string, [string, Row[]]> = {
    "Windows Server 2019 (10.0.17763): the exact build only": [
        "10.0.17763",
        [
            ["all three releases", [ltsc2025, ltsc2022, ltsc2019], "ltsc2019"],
            ["ltsc2022 and ltsc2025 only", [ltsc2025, ltsc2022], undefined],
            ["its build at another revision", [entry("17763.1", "10.0.17763.1")], "17763.1"],
            ["1803, an older build", [entry("1803", "10.0.17134.1")], undefined],
            ["an entry without os.version", [ltsc2022, unversioned], "no os.version"],
        ],
    ],
    "Windows Server 2022 (10.0.20348): 20348 only": [
        "10.0.20348",
        [
            ["all three releases", [ltsc2019, ltsc2022, ltsc2025], "ltsc2022"],
            ["ltsc2019 and ltsc2025 only", [ltsc2019, ltsc2025], undefined],
            ["ltsc2019 only (Hyper-V would run it; the matcher does not pick it)", [ltsc2019], undefined],
            ["an entry without os.version beside ltsc2019", [ltsc2019, unversioned], "no os.version"],
            ["a linux/amd64 entry", [entry("linux", undefined, { os: "linux" })], undefined],
            ["an arm64 entry of its build", [entry("arm64", "10.0.20348.1", { architecture: "arm64" })], undefined],
        ],
    ],
    "Windows Server 2025 (10.0.26100): 20348 to 26100, the highest os.version": [
        "10.0.26100",
        [
            ["all three releases", [ltsc2019, ltsc2022, ltsc2025], "ltsc2025"],
            ["ltsc2019 and ltsc2022", [ltsc2019, ltsc2022], "ltsc2022"],
            ["ltsc2019 only", [ltsc2019], undefined],
            [
                "two revisions of 26100",
                [ltsc2022, entry("26100.2894", "10.0.26100.2894"), entry("26100.3000", "10.0.26100.3000")],
                "26100.3000",
            ],
            ["23H2 (25398), between the two", [ltsc2019, entry("23H2", "10.0.25398.1")], "23H2"],
            ["a versioned entry beats one without os.version", [unversioned, ltsc2022], "ltsc2022"],
            [
                "servercore's win32k feature does not stop a match",
                [entry("servercore", "10.0.26100.2605", { osFeatures: ["win32k"] })],
                "servercore",
            ],
            ["another os.feature does", [entry("other", "10.0.26100.2605", { osFeatures: ["other"] })], undefined],
        ],
    ],
};

describe("selectWindowsEntry (containerd's Windows matcher)", () => {
    for (const [host, [build, rows]] of Object.entries(tables)) {
        describe(host, () => {
            for (const [what, entries, expected] of rows) {
                it(`${what}: ${expected ?? "nothing"}`, () => {
                    assert.strictEqual(selectWindowsEntry(entries, build)?.name, expected);
                });
            }
        });
    }

    it("takes a host's full version with its revision as well as its build", () => {
        assert.strictEqual(selectWindowsEntry([ltsc2019, ltsc2022], "10.0.20348.2849")?.name, "ltsc2022");
    });

    it("never matches a malformed os.version", () => {
        assert.strictEqual(windowsBuildOf("10.0"), undefined);
        assert.deepStrictEqual(windowsBuildOf("10.0.20348.2849"), { major: 10, minor: 0, build: 20348 });
        assert.strictEqual(hostRunsWindowsBuild("10.0.20348", "20348"), false);
        assert.strictEqual(hostRunsWindowsBuild("10.0.20348", "6.3.20348.1"), false);
    });
});

describe("selectWindowsEntryAsDocker (Docker Engine's Windows pull)", () => {
    const rows: [string, string, Entry[], string | undefined][] = [
        ["Server 2019", "10.0.17763", [ltsc2025, ltsc2022, ltsc2019], "ltsc2019"],
        ["Server 2022", "10.0.20348", [ltsc2025, ltsc2022, ltsc2019], "ltsc2022"],
        ["Server 2025", "10.0.26100", [ltsc2025, ltsc2022, ltsc2019], "ltsc2025"],
        ["Server 2025, newest first, no ltsc2025", "10.0.26100", [ltsc2022, ltsc2019], "ltsc2022"],
        ["Server 2025, oldest first, no ltsc2025", "10.0.26100", [ltsc2019, ltsc2022], "ltsc2019"],
        ["Server 2022, oldest first", "10.0.20348", [ltsc2019, ltsc2022], "ltsc2022"],
        ["Server 2022, only newer entries", "10.0.20348", [ltsc2025], undefined],
    ];
    for (const [host, build, entries, expected] of rows) {
        it(`${host}, ${entries.map((e) => e.name).join(", ")}: ${expected ?? "nothing"}`, () => {
            assert.strictEqual(selectWindowsEntryAsDocker(entries, build)?.name, expected);
        });
    }

    it("agrees with containerd on every host for an index listed newest first", () => {
        const indexes = [[ltsc2025, ltsc2022, ltsc2019], [ltsc2022, ltsc2019], [ltsc2025, ltsc2022], [ltsc2022]];
        for (const entries of indexes) {
            for (const build of ["10.0.17763", "10.0.20348", "10.0.26100"]) {
                const containerd = selectWindowsEntry(entries, build);
                // Docker may take an entry containerd refuses (then the container fails to start), never another one.
                if (containerd) assert.strictEqual(selectWindowsEntryAsDocker(entries, build), containerd, build);
            }
        }
    });
});

describe("releasesHostPulls", () => {
    it("names the releases each host takes from an index, newest first", () => {
        const names = (year: string) => releasesHostPulls(findWindowsRelease(`ltsc${year}`)!).map((r) => r.name);
        assert.deepStrictEqual(names("2019"), ["ltsc2019"]);
        assert.deepStrictEqual(names("2022"), ["ltsc2022"]);
        assert.deepStrictEqual(names("2025"), ["ltsc2025", "ltsc2022"]);
    });
});
