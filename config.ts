// The program's configuration: read from the stack, checked against allowed values, with errors that name the key.
import { baseImageFlavours, windowsVersionNames } from "./components/windowsVersions";

/** What the program deploys, as the stack file describes it. */
export interface ProgramConfig {
    /** `none` (build and push only), `fargate`, `ec2` or `aci`. */
    readonly host: string;
    /** `existing` (a registry that already runs, e.g. localhost:5000), `ecr` or `acr`. */
    readonly registryKind: string;
    readonly registryServer?: string;
    readonly acrRegistryName?: string;
    /** The Azure resource group for the registry and the container group. */
    readonly resourceGroup?: string;
    readonly windowsVersion: string;
    readonly baseImage: string;
    readonly strategy: string;
    readonly version: string;
    readonly builderImageRef?: string;
    readonly baseImageRef?: string;
    /** The buildx builder for cross builds. */
    readonly builderName?: string;
    /** AWS: the VPC, the tasks' subnets, and the load balancer's subnets (a load balancer only when given). */
    readonly vpcId?: string;
    readonly subnetIds?: string[];
    readonly loadBalancerSubnetIds?: string[];
    readonly desiredCount?: number;
    readonly cpu?: number;
    readonly memory?: number;
    /** EC2: the instances' Windows release and type. */
    readonly hostWindowsVersion?: string;
    readonly instanceType?: string;
    /** Azure Container Instances: the delegated subnet (a private address), the DNS label (a public one) and memory. */
    readonly subnetId?: string;
    readonly dnsNameLabel?: string;
    readonly memoryGb?: number;
}

export const hostKinds = ["none", "fargate", "ec2", "aci"];
export const registryKinds = ["existing", "ecr", "acr"];
const strategies = ["cross", "native"];

/** A stack configuration value that cannot be used; `key` is the config key the user sets. */
export class ConfigError extends Error {
    constructor(
        public readonly key: string,
        message: string,
    ) {
        super(message);
        this.name = "ConfigError";
    }
}

const how = (key: string) => `Set it with \`pulumi config set ${key} <value>\` or in the stack file.`;

/**
 * Reads the program's settings through `get` (pulumi.Config#get in the program, a map in tests).
 * The project name prefixes keys in stack files: `go-windows-containers:host`.
 */
export function readProgramConfig(get: (key: string) => string | undefined): ProgramConfig {
    const oneOf = (key: string, allowed: readonly string[], fallback: string): string => {
        const value = get(key) ?? fallback;
        if (!allowed.includes(value)) {
            throw new ConfigError(
                key,
                `Config \`${key}\` is ${JSON.stringify(value)}; allowed values: ${allowed.join(", ")}. ${how(key)}`,
            );
        }
        return value;
    };
    const required = (key: string, why: string): string => {
        const value = get(key);
        if (value === undefined || value === "")
            throw new ConfigError(key, `Config \`${key}\` is not set; ${why}. ${how(key)}`);
        return value;
    };
    const wholeNumber = (key: string): number | undefined => {
        const raw = get(key);
        if (raw === undefined) return undefined;
        const value = Number(raw);
        if (!Number.isInteger(value) || value < 0)
            throw new ConfigError(
                key,
                `Config \`${key}\` is ${JSON.stringify(raw)}; it must be a whole number. ${how(key)}`,
            );
        return value;
    };
    const decimal = (key: string): number | undefined => {
        const raw = get(key);
        if (raw === undefined) return undefined;
        const value = Number(raw);
        if (!Number.isFinite(value) || value <= 0)
            throw new ConfigError(
                key,
                `Config \`${key}\` is ${JSON.stringify(raw)}; it must be a positive number. ${how(key)}`,
            );
        return value;
    };
    const stringList = (key: string): string[] | undefined => {
        const raw = get(key);
        if (raw === undefined) return undefined;
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            value = undefined;
        }
        if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string" && v !== "")) {
            throw new ConfigError(
                key,
                `Config \`${key}\` is ${JSON.stringify(raw)}; it must be a list of ids, e.g. ["subnet-1", "subnet-2"]. Set it with \`pulumi config set --path '${key}[0]' <id>\`.`,
            );
        }
        return value as string[];
    };
    const requiredList = (key: string, why: string): string[] => {
        const list = stringList(key);
        if (!list)
            throw new ConfigError(
                key,
                `Config \`${key}\` is not set; ${why}. Set it with \`pulumi config set --path '${key}[0]' <id>\`.`,
            );
        return list;
    };

    const host = oneOf("host", hostKinds, "none");
    const aws = host === "fargate" || host === "ec2";
    const registryKind = oneOf("registryKind", registryKinds, aws ? "ecr" : host === "aci" ? "acr" : "existing");
    if (host === "aci" && registryKind !== "acr") {
        throw new ConfigError(
            "registryKind",
            `Config \`registryKind\` is "${registryKind}", but host "aci" pulls with a managed identity, which needs "acr". ${how("registryKind")}`,
        );
    }
    const azure = registryKind === "acr" || host === "aci";
    // Fargate caches Server Core images but not Nano Server ones, so Server Core starts faster there.
    const defaultBase = host === "fargate" ? "servercore" : "nanoserver";
    // Azure Container Instances documents ltsc2019 Windows images only.
    const defaultWindows = host === "aci" ? "ltsc2019" : "ltsc2022";
    return {
        host,
        registryKind,
        registryServer:
            registryKind === "existing"
                ? required("registryServer", "an existing registry needs its host, e.g. localhost:5000")
                : undefined,
        acrRegistryName:
            registryKind === "acr"
                ? required("acrRegistryName", "ACR needs a registry name unique across Azure")
                : undefined,
        resourceGroup: azure ? required("resourceGroup", "Azure resources need a resource group") : undefined,
        windowsVersion: oneOf("windowsVersion", windowsVersionNames, defaultWindows),
        baseImage: oneOf("baseImage", baseImageFlavours, defaultBase),
        strategy: oneOf("strategy", strategies, "cross"),
        version: get("version") ?? "dev",
        builderImageRef: get("builderImageRef"),
        baseImageRef: get("baseImageRef"),
        builderName: get("builderName"),
        vpcId: aws ? required("vpcId", "ECS tasks run in a VPC") : undefined,
        subnetIds: aws ? requiredList("subnetIds", "ECS tasks need subnets") : undefined,
        loadBalancerSubnetIds: aws ? stringList("loadBalancerSubnetIds") : undefined,
        desiredCount: wholeNumber("desiredCount"),
        cpu: host === "aci" ? decimal("cpu") : wholeNumber("cpu"),
        memory: aws ? wholeNumber("memory") : undefined,
        hostWindowsVersion:
            host === "ec2"
                ? oneOf("hostWindowsVersion", windowsVersionNames, get("windowsVersion") ?? defaultWindows)
                : undefined,
        instanceType: host === "ec2" ? get("instanceType") : undefined,
        subnetId: host === "aci" ? get("subnetId") : undefined,
        dnsNameLabel: host === "aci" ? get("dnsNameLabel") : undefined,
        memoryGb: host === "aci" ? decimal("memoryGb") : undefined,
    };
}
