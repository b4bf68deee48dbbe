// The program's configuration: read from the stack, checked against allowed values, with errors that name the key.
import { baseImageFlavours, windowsVersionNames } from "./components/windowsVersions";

/** What the program deploys, as the stack file describes it. */
export interface ProgramConfig {
    /** `existing` (a registry that already runs, e.g. localhost:5000), `ecr` or `acr`. */
    readonly registryKind: string;
    readonly registryServer?: string;
    readonly acrResourceGroup?: string;
    readonly acrRegistryName?: string;
    readonly windowsVersion: string;
    readonly baseImage: string;
    readonly strategy: string;
    readonly version: string;
    readonly builderImageRef?: string;
    readonly baseImageRef?: string;
}

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

/**
 * Reads the program's settings through `get` (pulumi.Config#get in the program, a map in tests).
 * The project name prefixes keys in stack files: `go-windows-containers:registryKind`.
 */
export function readProgramConfig(get: (key: string) => string | undefined): ProgramConfig {
    const oneOf = (key: string, allowed: readonly string[], fallback: string): string => {
        const value = get(key) ?? fallback;
        if (!allowed.includes(value)) {
            throw new ConfigError(
                key,
                `Config \`${key}\` is ${JSON.stringify(value)}; allowed values: ${allowed.join(", ")}. Set it with \`pulumi config set ${key} <value>\`.`,
            );
        }
        return value;
    };
    const required = (key: string, why: string): string => {
        const value = get(key);
        if (value === undefined || value === "") {
            throw new ConfigError(
                key,
                `Config \`${key}\` is not set; ${why}. Set it with \`pulumi config set ${key} <value>\`.`,
            );
        }
        return value;
    };
    const registryKind = oneOf("registryKind", registryKinds, "existing");
    return {
        registryKind,
        registryServer:
            registryKind === "existing"
                ? required("registryServer", "an existing registry needs its host, e.g. localhost:5000")
                : undefined,
        acrResourceGroup:
            registryKind === "acr"
                ? required("acrResourceGroup", "ACR needs the resource group to create the registry in")
                : undefined,
        acrRegistryName:
            registryKind === "acr"
                ? required("acrRegistryName", "ACR needs a registry name unique across Azure")
                : undefined,
        windowsVersion: oneOf("windowsVersion", windowsVersionNames, "ltsc2022"),
        baseImage: oneOf("baseImage", baseImageFlavours, "nanoserver"),
        strategy: oneOf("strategy", strategies, "cross"),
        version: get("version") ?? "dev",
        builderImageRef: get("builderImageRef"),
        baseImageRef: get("baseImageRef"),
    };
}
