// Whether a Windows container image runs on a host: the version compatibility rules, as a pure function.
import { findWindowsRelease, windowsVersionNames } from "./windowsVersions";

/** How an image can run on a host. */
export type Compatibility = "process" | "hyperv-only" | "no" | "unknown";

/** The kinds of host this project knows. */
export const hostKinds = ["windows-server", "ecs-fargate", "ecs-ec2", "aci"] as const;
export type HostKind = (typeof hostKinds)[number];

export interface HostSpec {
    readonly kind: HostKind;
    /** The host's Windows Server release (`ltsc2019`...), for `windows-server` and `ecs-ec2` hosts. */
    readonly windowsVersion?: string;
}

export interface CompatibilityResult {
    readonly verdict: Compatibility;
    /** A sentence for the user: what runs where, and what to change. */
    readonly message: string;
    /** The image releases that this host runs with process isolation, newest first. */
    readonly supportedImageVersions: readonly string[];
}

/**
 * Windows Server host release → image release → isolation, from Microsoft's version compatibility table:
 * process isolation needs the same build, except that Server 2025 also runs ltsc2022 images; Hyper-V isolation
 * lets a newer host run an older image, never the reverse.
 */
const windowsServerMatrix: Record<string, Record<string, Compatibility>> = {
    ltsc2025: { ltsc2025: "process", ltsc2022: "process", ltsc2019: "hyperv-only" },
    ltsc2022: { ltsc2025: "no", ltsc2022: "process", ltsc2019: "hyperv-only" },
    ltsc2019: { ltsc2025: "no", ltsc2022: "no", ltsc2019: "process" },
};

/** Fargate's Windows platforms (WINDOWS_SERVER_2019_* and 2022_*); it offers no 2025 and no Hyper-V isolation. */
const fargateReleases = ["ltsc2019", "ltsc2022"];
/** ECS-optimized Windows AMIs exist for these releases (2025 in newer AWS documentation). */
export const ecsEc2Releases = ["ltsc2019", "ltsc2022", "ltsc2025"];
/** Azure Container Instances documents Windows containers on ltsc2019 (1809) bases only. */
const aciDocumentedReleases = ["ltsc2019"];

function processReleases(hostVersion: string): string[] {
    return windowsVersionNames.filter((v) => windowsServerMatrix[hostVersion]?.[v] === "process").reverse();
}

/** Decides whether an image of `imageVersion` runs on `host`. Pure: no cloud calls. */
export function checkCompatibility(imageVersion: string, host: HostSpec): CompatibilityResult {
    const image = findWindowsRelease(imageVersion);
    if (!image) {
        return {
            verdict: "unknown",
            message: `The image's Windows version "${imageVersion}" is not one this project knows.`,
            supportedImageVersions: [],
        };
    }
    switch (host.kind) {
        case "ecs-fargate": {
            if (fargateReleases.includes(imageVersion)) {
                return {
                    verdict: "process",
                    message: `Fargate runs ${imageVersion} images on WINDOWS_SERVER_${image.name.slice(4)}_CORE.`,
                    supportedImageVersions: [...fargateReleases].reverse(),
                };
            }
            return {
                verdict: "no",
                message: `Fargate runs Windows Server 2019 and 2022 only; an ${imageVersion} image cannot run there. Build the image with \`windowsVersion: "ltsc2022"\`, or use EC2 capacity.`,
                supportedImageVersions: [...fargateReleases].reverse(),
            };
        }
        case "aci": {
            if (aciDocumentedReleases.includes(imageVersion)) {
                return {
                    verdict: "process",
                    message: "Azure Container Instances documents ltsc2019 Windows images.",
                    supportedImageVersions: aciDocumentedReleases,
                };
            }
            return {
                verdict: "unknown",
                message:
                    `Azure Container Instances documents ltsc2019 Windows images only; ${imageVersion} is unconfirmed ` +
                    '(ltsc2022 has been reported rejected with UnsupportedWindowsVersion). Build with `windowsVersion: "ltsc2019"` to be on the documented path.',
                supportedImageVersions: aciDocumentedReleases,
            };
        }
        case "ecs-ec2":
        case "windows-server": {
            const hostVersion = host.windowsVersion ?? imageVersion;
            const row = windowsServerMatrix[hostVersion];
            if (!row) {
                return {
                    verdict: "unknown",
                    message: `The host's Windows version "${hostVersion}" is not one this project knows.`,
                    supportedImageVersions: [],
                };
            }
            const supported = processReleases(hostVersion);
            const verdict = row[imageVersion];
            const hostName = `Windows Server ${hostVersion.slice(4)}`;
            if (verdict === "process") {
                return {
                    verdict,
                    message: `${hostName} runs ${imageVersion} images with process isolation.`,
                    supportedImageVersions: supported,
                };
            }
            if (verdict === "hyperv-only") {
                // ECS starts Windows containers with the default (process) isolation and has no setting for Hyper-V.
                const canHyperV = host.kind === "windows-server";
                return {
                    verdict: canHyperV ? "hyperv-only" : "no",
                    message:
                        `${hostName} runs ${imageVersion} images only with Hyper-V isolation` +
                        (canHyperV
                            ? "."
                            : `, which ECS does not use. Build the image with \`windowsVersion: "${supported[0]}"\`, or run a ${imageVersion.slice(4)} host.`),
                    supportedImageVersions: supported,
                };
            }
            return {
                verdict: "no",
                message: `${hostName} cannot run ${imageVersion} images (a host runs images of its own release or older). Build the image with \`windowsVersion: "${supported[0]}"\`.`,
                supportedImageVersions: supported,
            };
        }
    }
}
