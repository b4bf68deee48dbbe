// Whether a Windows container image runs on a host: the version compatibility rules, as a pure function.
import { WindowsRelease, findWindowsRelease, releaseYear, windowsVersionNames } from "./windowsReleases";

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
export const fargateReleases = ["ltsc2019", "ltsc2022"];
/** ECS-optimized Windows AMIs exist for these releases (2025 in newer AWS documentation). */
export const ecsEc2Releases = ["ltsc2019", "ltsc2022", "ltsc2025"];
/**
 * The Windows releases Azure Container Instances documents for container groups, oldest first: "Resource availability
 * & quota limits for ACI" lists Windows Server 2022 LTSC and 2019 LTSC (3B hosts); nothing documents 2025.
 */
export const aciDocumentedReleases = ["ltsc2019", "ltsc2022"];

function processReleases(hostVersion: string): string[] {
    return windowsVersionNames.filter((v) => windowsServerMatrix[hostVersion]?.[v] === "process").reverse();
}

const result = (
    verdict: Compatibility,
    message: string,
    supportedImageVersions: readonly string[],
): CompatibilityResult => ({ verdict, message, supportedImageVersions });

function onFargate(image: WindowsRelease): CompatibilityResult {
    const supported = [...fargateReleases].reverse();
    if (fargateReleases.includes(image.name))
        return result("process", `Fargate runs ${image.name} images on WINDOWS_SERVER_${image.year}_CORE.`, supported);
    return result(
        "no",
        `Fargate runs Windows Server 2019 and 2022 only; an ${image.name} image cannot run there. Build the image with \`windowsVersion: "ltsc2022"\`, or use EC2 capacity.`,
        supported,
    );
}

function onAci(image: WindowsRelease): CompatibilityResult {
    const supported = [...aciDocumentedReleases].reverse();
    if (aciDocumentedReleases.includes(image.name))
        return result(
            "process",
            `Azure Container Instances documents ${image.name} Windows container groups.`,
            supported,
        );
    return result(
        "unknown",
        `Azure Container Instances documents ltsc2019 and ltsc2022 Windows container groups only; ${image.name} is ` +
            'unconfirmed. Build with `windowsVersion: "ltsc2022"` to be on the documented path.',
        supported,
    );
}

/** A Windows Server host, bare or an ECS instance; ECS cannot use Hyper-V isolation. */
function onWindowsServer(image: WindowsRelease, hostVersion: string, isEcs: boolean): CompatibilityResult {
    const row = windowsServerMatrix[hostVersion];
    if (!row)
        return result("unknown", `The host's Windows version "${hostVersion}" is not one this project knows.`, []);
    const supported = processReleases(hostVersion);
    const verdict = row[image.name];
    const hostName = `Windows Server ${releaseYear(hostVersion)}`;
    if (verdict === "process")
        return result(verdict, `${hostName} runs ${image.name} images with process isolation.`, supported);
    if (verdict === "hyperv-only") {
        // ECS starts Windows containers with the default (process) isolation and has no setting for Hyper-V.
        const hyperV = `${hostName} runs ${image.name} images only with Hyper-V isolation`;
        if (!isEcs) return result("hyperv-only", `${hyperV}.`, supported);
        return result(
            "no",
            `${hyperV}, which ECS does not use. Build the image with \`windowsVersion: "${supported[0]}"\`, or run a ${image.year} host.`,
            supported,
        );
    }
    return result(
        "no",
        `${hostName} cannot run ${image.name} images (a host runs images of its own release or older). Build the image with \`windowsVersion: "${supported[0]}"\`.`,
        supported,
    );
}

/** Decides whether an image of `imageVersion` runs on `host`. Pure: no cloud calls. */
export function checkCompatibility(imageVersion: string, host: HostSpec): CompatibilityResult {
    const image = findWindowsRelease(imageVersion);
    if (!image)
        return result("unknown", `The image's Windows version "${imageVersion}" is not one this project knows.`, []);
    switch (host.kind) {
        case "ecs-fargate":
            return onFargate(image);
        case "aci":
            return onAci(image);
        case "ecs-ec2":
        case "windows-server":
            return onWindowsServer(image, host.windowsVersion ?? imageVersion, host.kind === "ecs-ec2");
    }
}
