// ECS facts for Windows tasks: platform families, AMI parameters, Fargate sizes, reserved ports and log retention.
import { releaseYear } from "../core";

/** ECS `runtimePlatform.operatingSystemFamily` for a Windows release, e.g. `WINDOWS_SERVER_2022_CORE`. */
export function operatingSystemFamily(windowsVersion: string): string {
    return `WINDOWS_SERVER_${releaseYear(windowsVersion)}_CORE`;
}

/** The SSM parameter holding the latest ECS-optimized Windows Server Core AMI id for a release. */
export function ecsOptimizedAmiParameter(windowsVersion: string): string {
    return `/aws/service/ami-windows-latest/Windows_Server-${releaseYear(windowsVersion)}-English-Core-ECS_Optimized/image_id`;
}

/** Fargate's Windows task sizes: vCPU units → allowed memory in MiB (1 vCPU 2-8 GB, 2 vCPU 4-16 GB, 4 vCPU 8-30 GB). */
const fargateWindowsSizes: Record<number, { min: number; max: number }> = {
    1024: { min: 2048, max: 8192 },
    2048: { min: 4096, max: 16384 },
    4096: { min: 8192, max: 30720 },
};

/** Which of a cpu/memory pair is not a Fargate Windows size, and what is allowed; `undefined` when the pair is one. */
export function fargateSizeProblem(
    cpu: number,
    memory: number,
): { argument: "cpu" | "memory"; allowed: string } | undefined {
    const range = fargateWindowsSizes[cpu];
    if (!range) return { argument: "cpu", allowed: "Fargate Windows tasks take 1024, 2048 or 4096 (1, 2 or 4 vCPU)" };
    if (memory < range.min || memory > range.max || memory % 1024 !== 0) {
        return {
            argument: "memory",
            allowed: `with cpu ${cpu}, Fargate Windows tasks take ${range.min} to ${range.max} MiB in steps of 1024`,
        };
    }
    return undefined;
}

/** CloudWatch Logs' allowed retention periods, in days. */
export const logRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Ports ECS on Fargate reserves on Windows tasks. */
export const fargateWindowsReservedPorts = [3150];
