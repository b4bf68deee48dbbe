// Checks WindowsContainerGroup arguments before anything is created, including the image's Windows release.
import {
    ArgumentError,
    CompatibilityResult,
    checkEnvironmentPair,
    checkImageOnHost,
    checkWholeNumber,
    fail,
    oneOf,
} from "../core";
import { WindowsContainerGroupArgs } from "./args";

export interface ResolvedContainerGroup {
    readonly ports: readonly number[];
    readonly cpu: number;
    readonly memoryGb: number;
    readonly restartPolicy: string;
    readonly compatibility: CompatibilityResult;
}

/** Ports Azure Container Instances reserves. */
export const aciReservedPorts = (port: number) =>
    port === 22 || port === 443 || (port >= 3389 && port <= 3399) || (port >= 20000 && port <= 30000);
const restartPolicies = ["Always", "OnFailure", "Never"] as const;

function resolvePorts(given: readonly number[] | undefined): readonly number[] {
    const ports = given ?? [8080];
    if (ports.length === 0) fail("ports", "[]", "a container group needs at least one port");
    ports.forEach((port, i) => {
        checkWholeNumber(`ports[${i}]`, port, 1, 65535);
        if (aciReservedPorts(port))
            fail(`ports[${i}]`, port, "Azure Container Instances reserves 22, 443, 3389-3399 and 20000-30000");
    });
    if (new Set(ports).size !== ports.length) fail("ports", ports.join(", "), "each port may be listed once");
    return ports;
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

/** Validates WindowsContainerGroup arguments and fills in defaults; throws ArgumentError naming the first bad one. */
export function resolveContainerGroupArgs(args: WindowsContainerGroupArgs): ResolvedContainerGroup {
    if (!args)
        throw new ArgumentError(
            "args",
            "WindowsContainerGroup needs arguments: at least `imageRef`, `windowsVersion`, `resourceGroupName` and the registry.",
        );
    const { compatibility } = checkImageOnHost(args.windowsVersion, { kind: "aci" });
    const ports = resolvePorts(args.ports);
    const cpu = args.cpu ?? 1;
    if (!(cpu > 0 && cpu <= 4 && Number.isInteger(cpu * 10)))
        fail("cpu", cpu, "Windows container groups take 0.1 to 4 CPU cores in steps of 0.1");
    const memoryGb = args.memoryGb ?? 2;
    if (!(memoryGb > 0 && memoryGb <= 16 && Number.isInteger(memoryGb * 10)))
        fail("memoryGb", memoryGb, "Windows container groups take 0.1 to 16 GB in steps of 0.1");
    const restartPolicy = oneOf("restartPolicy", args.restartPolicy, restartPolicies, "Always");
    checkAddress(args);
    checkEnvironmentPair("environment", "secureEnvironment", args.environment, args.secureEnvironment);
    return { ports, cpu, memoryGb, restartPolicy, compatibility };
}
