// Pure helpers for ECS on Windows: platform families, Fargate sizes, the container definition and EC2 user data.
import { findWindowsRelease } from "./windowsVersions";

/** ECS `runtimePlatform.operatingSystemFamily` for a Windows release, e.g. `WINDOWS_SERVER_2022_CORE`. */
export function operatingSystemFamily(windowsVersion: string): string {
    const release = findWindowsRelease(windowsVersion);
    if (!release) throw new Error(`unknown Windows version ${windowsVersion}`);
    return `WINDOWS_SERVER_${release.name.slice(4)}_CORE`;
}

/** The SSM parameter holding the latest ECS-optimized Windows Server Core AMI id for a release. */
export function ecsOptimizedAmiParameter(windowsVersion: string): string {
    const year = windowsVersion.slice(4);
    return `/aws/service/ami-windows-latest/Windows_Server-${year}-English-Core-ECS_Optimized/image_id`;
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

/** What goes into the one container of the task definition. */
export interface ContainerSpec {
    readonly name: string;
    readonly image: string;
    readonly port: number;
    readonly cpu: number;
    readonly memory: number;
    readonly environment: Readonly<Record<string, string>>;
    /** Secret name → ARN of an SSM parameter or Secrets Manager secret. */
    readonly secrets: Readonly<Record<string, string>>;
    readonly logGroup: string;
    readonly region: string;
    /** The image's health check, e.g. `["CMD", "C:\\app\\hello.exe", "healthcheck"]`. */
    readonly healthCheckCommand?: readonly string[];
}

/**
 * The container definition for a Windows task. It leaves out what ECS rejects on Windows (user, privileged,
 * readonlyRootFilesystem, linuxParameters, links, extraHosts, dnsServers, ulimits) and sets cpu and memory on the
 * container, since EC2 Windows tasks ignore the task-level values.
 */
export function containerDefinition(spec: ContainerSpec): Record<string, unknown> {
    const sorted = (record: Readonly<Record<string, string>>) => Object.keys(record).sort();
    return {
        name: spec.name,
        image: spec.image,
        essential: true,
        cpu: spec.cpu,
        memory: spec.memory,
        portMappings: [{ containerPort: spec.port, hostPort: spec.port, protocol: "tcp" }],
        environment: sorted(spec.environment).map((name) => ({ name, value: spec.environment[name] })),
        secrets: sorted(spec.secrets).map((name) => ({ name, valueFrom: spec.secrets[name] })),
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": spec.logGroup,
                "awslogs-region": spec.region,
                "awslogs-stream-prefix": spec.name,
            },
        },
        ...(spec.healthCheckCommand && spec.healthCheckCommand.length > 0
            ? {
                  // Windows containers start slowly: give them time before failures count.
                  healthCheck: {
                      command: [...spec.healthCheckCommand],
                      interval: 30,
                      timeout: 5,
                      retries: 3,
                      startPeriod: 120,
                  },
              }
            : {}),
    };
}

/**
 * PowerShell user data for an ECS-optimized Windows instance: joins the cluster with task IAM roles and task ENIs
 * (awsvpc) enabled, blocks task access to the instance metadata, and allows the awslogs driver.
 */
export function ecsWindowsUserData(clusterName: string): string {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(clusterName)) throw new Error(`invalid ECS cluster name ${clusterName}`);
    return [
        "<powershell>",
        "Import-Module ECSTools",
        `Initialize-ECSAgent -Cluster '${clusterName}' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS -LoggingDrivers '["json-file","awslogs"]'`,
        "</powershell>",
        "",
    ].join("\r\n");
}
