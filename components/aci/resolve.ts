// Checks WindowsContainerGroup arguments before anything is created, including the image's Windows release.
import {
    ArgumentError,
    CompatibilityResult,
    checkEnvironmentPair,
    checkImageReleases,
    checkImageReleasesOnHost,
    checkWholeNumber,
    fail,
    oneOf,
} from "../core";
import { WindowsContainerGroupArgs } from "./args";

/** The log alerts with their defaults decided. */
export interface ResolvedAlerts {
    readonly enabled: boolean;
    readonly maxRestartsPerHour: number;
    readonly errorPattern: string;
    readonly maxErrorLines: number;
}

export interface ResolvedContainerGroup {
    readonly ports: readonly number[];
    readonly cpu: number;
    readonly memoryGb: number;
    readonly restartPolicy: string;
    readonly pullRetries: number;
    /** Days a new workspace keeps logs; undefined when the user gives a workspace. */
    readonly logRetentionDays?: number;
    readonly alerts: ResolvedAlerts;
    /** The image release the group runs: `windowsVersion`; for an index its newest documented entry, else its newest. */
    readonly imageWindowsVersion: string;
    readonly compatibility: CompatibilityResult;
}

/** Port ranges Azure Container Instances reserves (its FAQ); 443 is not among them. */
export const aciReservedPortRanges: readonly (readonly [number, number])[] = [
    [22, 22],
    [1025, 1027],
    [3389, 3399],
    [9999, 9999],
    [19000, 19000],
    [19080, 19080],
    [19100, 19100],
    [19390, 19390],
    [20000, 30000],
    [49152, 65534],
];

/** Whether Azure Container Instances reserves a port. */
export const aciReservedPorts = (port: number) =>
    aciReservedPortRanges.some(([from, to]) => port >= from && port <= to);
const reservedList = aciReservedPortRanges.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));

/** Azure allows at most 5 ports per IP address. */
export const aciMaxPorts = 5;
/**
 * The most a Windows container group takes: 4 CPU cores and 16 GB, for Windows Server 2022 LTSC and 2019 LTSC alike
 * ("Resource availability & quota limits for ACI", Windows containers; the FAQ answers "Can I deploy with more than
 * 4 cores and 16 GB of RAM?" with "Not yet"). Linux groups go further; Windows ones do not.
 */
export const aciLimits = { cpu: 4, memoryGb: 16 };
const restartPolicies = ["Always", "OnFailure", "Never"] as const;

function resolvePorts(given: readonly number[] | undefined): readonly number[] {
    const ports = given ?? [8080];
    if (ports.length === 0) fail("ports", "[]", "a container group needs at least one port");
    if (ports.length > aciMaxPorts)
        fail("ports", ports.join(", "), `Azure allows at most ${aciMaxPorts} ports per IP address`);
    ports.forEach((port, i) => {
        checkWholeNumber(`ports[${i}]`, port, 1, 65535);
        if (aciReservedPorts(port))
            fail(
                `ports[${i}]`,
                port,
                `Azure Container Instances reserves ${reservedList.slice(0, -1).join(", ")} and ${reservedList.at(-1)}`,
            );
    });
    if (new Set(ports).size !== ports.length) fail("ports", ports.join(", "), "each port may be listed once");
    return ports;
}

/** CPU and memory within what Windows container groups take, in steps of 0.1. */
function resolveSize(args: WindowsContainerGroupArgs): { cpu: number; memoryGb: number } {
    const cpu = args.cpu ?? 1;
    if (!(cpu > 0 && cpu <= aciLimits.cpu && Number.isInteger(Math.round(cpu * 1e6) / 1e5)))
        fail("cpu", cpu, `Windows container groups take 0.1 to ${aciLimits.cpu} CPU cores in steps of 0.1`);
    const memoryGb = args.memoryGb ?? 2;
    if (!(memoryGb > 0 && memoryGb <= aciLimits.memoryGb && Number.isInteger(Math.round(memoryGb * 1e6) / 1e5)))
        fail("memoryGb", memoryGb, `Windows container groups take 0.1 to ${aciLimits.memoryGb} GB in steps of 0.1`);
    return { cpu, memoryGb };
}

function checkAddress(args: WindowsContainerGroupArgs): void {
    if (args.dnsNameLabel !== undefined && !/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/.test(args.dnsNameLabel)) {
        fail(
            "dnsNameLabel",
            args.dnsNameLabel,
            "DNS labels are 3 to 63 lowercase letters, digits and hyphens, starting with a letter",
        );
    }
    if (args.dnsNameLabel !== undefined && args.subnetId !== undefined) {
        fail(
            "dnsNameLabel",
            args.dnsNameLabel,
            "a container group in a subnet has a private address and no DNS name",
            "Drop `dnsNameLabel` or `subnetId`.",
        );
    }
}

/** A Log Analytics workspace's resource id. */
export const workspaceIdPattern =
    /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)$/i;

/** The workspace (new, with a retention, or given by id) and the alerts on it. */
function resolveMonitoring(args: WindowsContainerGroupArgs): { logRetentionDays?: number; alerts: ResolvedAlerts } {
    const given = args.logAnalyticsWorkspaceId;
    if (typeof given === "string" && !workspaceIdPattern.test(given)) {
        fail(
            "logAnalyticsWorkspaceId",
            given,
            "it must be a workspace's resource id, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>",
        );
    }
    if (given !== undefined && args.logRetentionDays !== undefined)
        fail("logRetentionDays", args.logRetentionDays, "it applies to a new workspace, not `logAnalyticsWorkspaceId`");
    const logRetentionDays = given !== undefined ? undefined : (args.logRetentionDays ?? 30);
    checkWholeNumber("logRetentionDays", logRetentionDays, 30, 730);
    const alerts = args.alerts ?? {};
    const errorPattern = alerts.errorPattern ?? "error";
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(errorPattern))
        fail("alerts.errorPattern", errorPattern, "it must be one word of letters, digits, `_`, `.`, `:` or `-`");
    checkWholeNumber("alerts.maxRestartsPerHour", alerts.maxRestartsPerHour, 1, 100);
    checkWholeNumber("alerts.maxErrorLines", alerts.maxErrorLines, 0, 100000);
    return {
        logRetentionDays,
        alerts: {
            enabled: alerts.enabled ?? true,
            maxRestartsPerHour: alerts.maxRestartsPerHour ?? 2,
            errorPattern,
            maxErrorLines: alerts.maxErrorLines ?? 10,
        },
    };
}

/** Validates WindowsContainerGroup arguments and fills in defaults; throws ArgumentError naming the first bad one. */
export function resolveContainerGroupArgs(args: WindowsContainerGroupArgs): ResolvedContainerGroup {
    if (!args)
        throw new ArgumentError(
            "args",
            "WindowsContainerGroup needs arguments: at least `imageRef`, `windowsVersion` (or `windowsVersions`), `resourceGroupName` and the registry.",
        );
    const image = checkImageReleases(args.windowsVersion, args.windowsVersions);
    const { windowsVersion: imageWindowsVersion, compatibility } = checkImageReleasesOnHost(image, { kind: "aci" });
    const ports = resolvePorts(args.ports);
    const { cpu, memoryGb } = resolveSize(args);
    const restartPolicy = oneOf("restartPolicy", args.restartPolicy, restartPolicies, "Always");
    checkAddress(args);
    checkEnvironmentPair("environment", "secureEnvironment", args.environment, args.secureEnvironment);
    for (const key of Object.keys(args.roleAssignments ?? {})) {
        if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(key))
            fail(
                "roleAssignments",
                key,
                "each role's name is 1 to 63 letters, digits and hyphens (it names the role assignment)",
            );
    }
    const pullRetries = args.pullRetries ?? 8;
    checkWholeNumber("pullRetries", pullRetries, 0, 20);
    const monitoring = resolveMonitoring(args);
    return {
        ports,
        cpu,
        memoryGb,
        restartPolicy,
        pullRetries,
        ...monitoring,
        imageWindowsVersion,
        compatibility,
    };
}
