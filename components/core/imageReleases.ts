// The Windows releases an image holds (one image, or an image index's entries) and the one a host pulls from them.
import { ArgumentError, fail } from "./arguments";
import { CompatibilityResult, HostKind, aciDocumentedReleases, checkCompatibility } from "./compatibility";
import { checkImageOnHost, checkWindowsVersion } from "./hostChecks";
import { releaseHostPulls, releasesHostPulls } from "./windowsSelection";
import { WindowsRelease, findWindowsRelease, windowsVersionNames } from "./windowsReleases";

/** What a host runs: one image's release, or the releases of an image index. */
export interface ImageReleases {
    /** The releases, newest first; one unless `index`. */
    readonly releases: readonly WindowsRelease[];
    /** Whether the image is an index (`windowsVersions` was given). */
    readonly index: boolean;
    /** The release names as given, for messages. */
    readonly given: readonly string[];
}

const release = (name: string) => findWindowsRelease(name) as WindowsRelease;
const byNewest = (a: WindowsRelease, b: WindowsRelease) => Number(b.year) - Number(a.year);

/** Fails unless `value` is a non-empty list of distinct known releases; returns it. */
export function checkWindowsVersionList(argument: string, value: unknown): string[] {
    const allowed = `it must be a non-empty list of ${windowsVersionNames.join(", ")}`;
    if (!Array.isArray(value) || value.length === 0) fail(argument, value, allowed);
    for (const item of value as unknown[]) {
        if (typeof item !== "string" || !windowsVersionNames.includes(item))
            fail(argument, value, `${JSON.stringify(item)} is not a release; ${allowed}`);
    }
    const names = value as string[];
    if (new Set(names).size !== names.length) fail(argument, value, "each release may be listed once");
    return names;
}

/**
 * The image's releases: `windowsVersion` for one image, or `windowsVersions` for an image index; exactly one of
 * them is given (an index of one release is still an index: its digest is not the image's).
 */
export function checkImageReleases(windowsVersion: unknown, windowsVersions: unknown): ImageReleases {
    if (windowsVersion !== undefined && windowsVersions !== undefined) {
        fail(
            "windowsVersions",
            windowsVersions,
            "it is for an image index and replaces `windowsVersion`; give exactly one of them",
            "Drop `windowsVersion`.",
        );
    }
    if (windowsVersions !== undefined) {
        const names = checkWindowsVersionList("windowsVersions", windowsVersions);
        return { releases: names.map(release).sort(byNewest), index: true, given: names };
    }
    if (windowsVersion === undefined) {
        fail(
            "windowsVersion",
            windowsVersion,
            "give `windowsVersion` (one image's release) or `windowsVersions` (the releases of an image index)",
        );
    }
    const name = checkWindowsVersion("windowsVersion", windowsVersion);
    return { releases: [release(name)], index: false, given: [name] };
}

/** "ltsc2025 or ltsc2022": the releases a host would take, newest first. */
const either = (releases: readonly WindowsRelease[]) => releases.map((r) => r.name).join(" or ");

/**
 * The newest release of the index that a host kind offers (`offered`), for a host whose release the user left out;
 * fails naming `windowsVersions` when the index holds none of them. `needs` completes "which …", e.g. "Fargate needs".
 */
export function newestOffered(image: ImageReleases, offered: readonly string[], needs: string): string {
    const found = image.releases.find((r) => offered.includes(r.name));
    if (!found) {
        const wanted = windowsVersionNames.filter((n) => offered.includes(n)).reverse();
        fail(
            "windowsVersions",
            image.given,
            `the index has no ${wanted.join(" or ")} image, which ${needs}`,
            `Add "${wanted[0]}" to \`windowsVersions\`.`,
        );
    }
    return found.name;
}

/**
 * Azure Container Instances documents ltsc2019 and ltsc2022 groups and not which release its hosts run: the group
 * counts as running the newest documented release the index has; an index with neither gets a warning.
 */
function indexOnAci(image: ImageReleases): { windowsVersion: string; compatibility: CompatibilityResult } {
    const documented = image.releases.find((r) => aciDocumentedReleases.includes(r.name));
    if (documented)
        return { windowsVersion: documented.name, compatibility: checkCompatibility(documented.name, { kind: "aci" }) };
    const message =
        "The index has no ltsc2019 or ltsc2022 image, the releases Azure Container Instances documents (it does not " +
        'document its hosts\' release). Add "ltsc2022" to `windowsVersions` to be on the documented path.';
    return {
        windowsVersion: image.releases[0].name,
        compatibility: { verdict: "unknown", message, supportedImageVersions: [...aciDocumentedReleases].reverse() },
    };
}

/**
 * The release a host pulls from the image (containerd's rule for an index), and whether it runs there. A host of
 * a known release that finds no entry it runs is an error naming `windowsVersions` and the release it needs.
 */
export function checkImageReleasesOnHost(
    image: ImageReleases,
    host: { kind: HostKind; windowsVersion?: string },
): { windowsVersion: string; compatibility: CompatibilityResult } {
    if (!image.index) return checkImageOnHost(image.releases[0].name, host);
    if (host.kind === "aci") return indexOnAci(image);
    const hostRelease = release(host.windowsVersion ?? image.releases[0].name);
    const hostName = `a Windows Server ${hostRelease.year} host${host.kind === "ecs-fargate" ? " on Fargate" : ""}`;
    const pulled = releaseHostPulls(image.releases, hostRelease);
    if (!pulled) {
        const needed = releasesHostPulls(hostRelease);
        throw new ArgumentError(
            "windowsVersions",
            `\`windowsVersions\` is ${JSON.stringify(image.given)}; the index has no ` +
                `${either(needed)} image, which ${hostName} needs. Add "${needed[0].name}" to \`windowsVersions\`.`,
        );
    }
    const compatibility = checkCompatibility(pulled.name, host);
    return {
        windowsVersion: pulled.name,
        compatibility: {
            ...compatibility,
            message: `${hostName} pulls the index's ${pulled.name} image. ${compatibility.message}`,
        },
    };
}
