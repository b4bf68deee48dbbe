// Which entry of an image index a Windows host pulls: containerd's Windows matcher and Docker Engine's, as pure functions.
import { WindowsRelease, windowsReleases } from "./windowsReleases";

/** The platform of one index entry, as a host matches it; `osVersion` is the full build, e.g. `10.0.20348.2849`. */
export interface WindowsPlatformEntry {
    readonly os: string;
    readonly architecture: string;
    readonly osVersion?: string;
    readonly osFeatures?: readonly string[];
}

/** `major.minor.build` of a Windows version string; undefined when it has fewer than three numeric parts. */
export function windowsBuildOf(version: string): { major: number; minor: number; build: number } | undefined {
    const parts = version.split(".");
    if (parts.length < 3 || !parts.slice(0, 3).every((p) => /^\d+$/.test(p))) return undefined;
    return { major: Number(parts[0]), minor: Number(parts[1]), build: Number(parts[2]) };
}

/**
 * The LTSC builds after which containerd lets a host run older images with process isolation ("stable ABI"):
 * containerd/platforms `compatLTSCReleases` (ltsc2022, ltsc2025).
 */
const stableAbiBuilds = [20348, 26100];

/**
 * Whether a host of `hostBuild` runs an image of `imageVersion` by containerd's rule (containerd/platforms
 * `checkWindowsHostAndContainerCompat`): hosts before Server 2022 need the exact build; later hosts run builds from
 * the latest stable-ABI LTSC before them up to their own (Server 2022: 20348 only; Server 2025: 20348 to 26100).
 */
export function hostRunsWindowsBuild(hostBuild: string, imageVersion: string): boolean {
    const host = windowsBuildOf(hostBuild);
    const image = windowsBuildOf(imageVersion);
    if (!host || !image || host.major !== image.major || host.minor !== image.minor) return false;
    if (host.build < stableAbiBuilds[0]) return host.build === image.build;
    const oldest = [...stableAbiBuilds].reverse().find((b) => host.build > b) ?? stableAbiBuilds[0];
    return oldest <= image.build && image.build <= host.build;
}

/** containerd's subset rule for `os.features`, with `win32k` stripped as containerd does since platforms v1.0. */
function featuresMatch(entry: WindowsPlatformEntry): boolean {
    return (entry.osFeatures ?? []).every((feature) => feature === "win32k");
}

/** windows/<architecture> only: the os and architecture part of every engine's matcher. */
const sameArchitecture = (entry: WindowsPlatformEntry, architecture: string) =>
    entry.os === "windows" && entry.architecture === architecture;

/**
 * The entry containerd pulls on a Windows host of `hostBuild` (e.g. `10.0.20348`): entries the host runs (an entry
 * without `os.version` matches every host), then the highest `os.version` as containerd compares them (as strings,
 * which orders the five-digit builds of every LTSC release numerically); undefined when none matches.
 */
export function selectWindowsEntry<T extends WindowsPlatformEntry>(
    entries: readonly T[],
    hostBuild: string,
    architecture = "amd64",
): T | undefined {
    const matching = entries.filter(
        (e) =>
            sameArchitecture(e, architecture) &&
            featuresMatch(e) &&
            (!e.osVersion || hostRunsWindowsBuild(hostBuild, e.osVersion)),
    );
    // containerd's windowsMatchComparer.Less: p1.OSVersion > p2.OSVersion; a stable sort keeps index order on ties.
    const descending = (a: T, b: T) => {
        const [x, y] = [a.osVersion ?? "", b.osVersion ?? ""];
        return x > y ? -1 : x < y ? 1 : 0;
    };
    return [...matching].sort(descending)[0];
}

/**
 * The entry Docker Engine pulls on a Windows host with its own image store (moby `distribution/pull_v2_windows.go`,
 * which ECS's Windows AMIs run): it drops entries of a newer build than the host's, moves entries of the host's own
 * build first and otherwise keeps index order. So an index must list its entries newest first: a Server 2025 host
 * given an index without ltsc2025 takes the first remaining entry.
 */
export function selectWindowsEntryAsDocker<T extends WindowsPlatformEntry>(
    entries: readonly T[],
    hostBuild: string,
    architecture = "amd64",
): T | undefined {
    const host = windowsBuildOf(hostBuild);
    const candidates = entries.filter((e) => {
        const image = e.osVersion ? windowsBuildOf(e.osVersion) : undefined;
        return sameArchitecture(e, architecture) && !(host && image && image.build > host.build);
    });
    const prefix = host ? `${host.major}.${host.minor}.${host.build}.` : undefined;
    const exact = candidates.find((e) => prefix !== undefined && (e.osVersion ?? "").startsWith(prefix));
    return exact ?? candidates[0];
}

/** The LTSC releases whose images a host of `hostRelease` pulls from an index, newest first (containerd's rule). */
export function releasesHostPulls(hostRelease: WindowsRelease): WindowsRelease[] {
    return windowsReleases.filter((image) => hostRunsWindowsBuild(hostRelease.build, image.build)).reverse();
}

/** The release a host of `hostRelease` pulls from an index holding `releases`; undefined when it holds none it runs. */
export function releaseHostPulls(releases: readonly WindowsRelease[], hostRelease: WindowsRelease) {
    const entries = releases.map((release) => ({
        release,
        os: "windows",
        architecture: "amd64",
        osVersion: release.build,
    }));
    return selectWindowsEntry(entries, hostRelease.build)?.release;
}
