// The Windows Server LTSC releases this project builds for: build numbers, base image tags and Go builder tags.

/** One Windows Server LTSC release that container images can target. */
export interface WindowsRelease {
    /** The name users pass as `windowsVersion`, e.g. `ltsc2022`. */
    readonly name: string;
    /** The release year, e.g. `2022`: ECS platform families and AMI names use it. */
    readonly year: string;
    /** The Windows build, `10.0.<build>`, that images and hosts must agree on. */
    readonly build: string;
    /** Tag of `mcr.microsoft.com/windows/servercore` for this release. */
    readonly servercoreTag: string;
    /** Tag of `mcr.microsoft.com/windows/nanoserver` for this release (2019 only has `1809`). */
    readonly nanoserverTag: string;
    /** Suffix of the official `golang` Windows Server Core images, e.g. `windowsservercore-ltsc2022`. */
    readonly golangServercoreSuffix: string;
}

export const windowsReleases: readonly WindowsRelease[] = [
    {
        name: "ltsc2019",
        year: "2019",
        build: "10.0.17763",
        servercoreTag: "ltsc2019",
        nanoserverTag: "1809",
        golangServercoreSuffix: "windowsservercore-ltsc2019",
    },
    {
        name: "ltsc2022",
        year: "2022",
        build: "10.0.20348",
        servercoreTag: "ltsc2022",
        nanoserverTag: "ltsc2022",
        golangServercoreSuffix: "windowsservercore-ltsc2022",
    },
    {
        name: "ltsc2025",
        year: "2025",
        build: "10.0.26100",
        servercoreTag: "ltsc2025",
        nanoserverTag: "ltsc2025",
        golangServercoreSuffix: "windowsservercore-ltsc2025",
    },
];

export const windowsVersionNames: readonly string[] = windowsReleases.map((r) => r.name);

/** The runtime base image flavours. */
export const baseImageFlavours: readonly string[] = ["nanoserver", "servercore"];

export const defaultWindowsVersion = "ltsc2022";
export const defaultBaseImage = "nanoserver";

/** Finds a release by name; `undefined` for names this project does not know. */
export function findWindowsRelease(name: string): WindowsRelease | undefined {
    return windowsReleases.find((r) => r.name === name);
}

/** The release year of a known release name, e.g. `2022` for `ltsc2022`. */
export function releaseYear(name: string): string {
    const release = findWindowsRelease(name);
    if (!release) throw new Error(`unknown Windows version ${name}`);
    return release.year;
}

/** The Microsoft runtime base image reference for a release and flavour. */
export function runtimeBaseImageRef(release: WindowsRelease, flavour: string): string {
    const tag = flavour === "servercore" ? release.servercoreTag : release.nanoserverTag;
    return `mcr.microsoft.com/windows/${flavour}:${tag}`;
}

/** The user the image runs as: nanoserver and servercore both ship the non-administrator `ContainerUser`. */
export const nonAdminUser = "ContainerUser";
