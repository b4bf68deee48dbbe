// The program's configuration: read from the stack, checked against allowed values, with errors that name the key.
import { ArgumentError, baseImageFlavours, checkWindowsVersionList, windowsVersionNames } from "./components/core";
import { deploymentStrategies } from "./components/ecs/resolve";

/** One image of a release, or an image index of several releases (oldest first): exactly one is set. */
export type ImageReleaseSettings =
    | { readonly windowsVersion: string; readonly windowsVersions?: undefined }
    | { readonly windowsVersion?: undefined; readonly windowsVersions: [string, ...string[]] };

/** The image settings every stack has. */
export type ImageSettings = ImageReleaseSettings & {
    readonly baseImage: string;
    readonly strategy: string;
    readonly version: string;
    readonly builderImageRef?: string;
    readonly baseImageRef?: string;
    /** The buildx builder for cross builds. */
    readonly builderName?: string;
};

/** Where the image is pushed. */
export type RegistrySettings =
    /** A registry that already runs, e.g. localhost:5000. */
    | { readonly kind: "existing"; readonly server: string }
    | { readonly kind: "ecr" }
    /** `registryName` undefined: auto-named. */
    | { readonly kind: "acr"; readonly resourceGroup: string; readonly registryName?: string };

/** ECS settings, shared by Fargate and EC2. */
interface EcsSettings {
    /** rolling (default), canary, linear or blue-green. */
    readonly deploymentStrategy?: string;
    /** The SNS topic the deployment alarms notify. */
    readonly alarmTopicArn?: string;
    /** The Secrets Manager secret or SSM parameter that becomes API_TOKEN. */
    readonly apiTokenSecretArn?: string;
    readonly logRetentionDays?: number;
    readonly vpcId: string;
    readonly subnetIds: string[];
    /** A load balancer only when given. */
    readonly loadBalancerSubnetIds?: string[];
    readonly desiredCount?: number;
    readonly cpu?: number;
    readonly memory?: number;
    /** canary only: the share of production traffic the new revision gets first (the chapter's 1 %). */
    readonly canaryPercent?: number;
    /** The test gate's smoke test: paths that must answer 200 through the test listener; none means no gate. */
    readonly smokeTestPaths?: string[];
    /** The NAT gateways' public addresses, which the test listener of an internet-facing load balancer admits. */
    readonly testListenerSourceCidrBlocks?: string[];
    /** An AWS FIS experiment template that drills the service. */
    readonly chaosDrill: boolean;
    /** The OpenTelemetry collector beside the service, sending spans to X-Ray. */
    readonly traces: boolean;
    /** Turn on X-Ray Transaction Search for the account and region (one stack per account and region). */
    readonly transactionSearch: boolean;
}

/** Where the service runs. */
export type HostSettings =
    /** Build and push only. */
    | { readonly kind: "none" }
    | ({ readonly kind: "fargate" } & EcsSettings)
    | ({ readonly kind: "ec2"; readonly hostWindowsVersion: string; readonly instanceType?: string } & EcsSettings)
    | {
          readonly kind: "aci";
          readonly resourceGroup: string;
          /** The delegated subnet (a private address) or the DNS label (a public one). */
          readonly subnetId?: string;
          readonly dnsNameLabel?: string;
          readonly cpu?: number;
          readonly memoryGb?: number;
          /** The action group the log alerts notify. */
          readonly actionGroupId?: string;
          readonly logRetentionDays?: number;
      };

/** The sample service's settings that differ per stack (its secret, `apiToken`, is read by the program as a secret). */
export interface AppSettings {
    /** GREETING: what the service says at `/`. */
    readonly greeting?: string;
}

/** What the program deploys, as the stack file describes it. */
export interface ProgramConfig {
    readonly app: AppSettings;
    readonly image: ImageSettings;
    readonly registry: RegistrySettings;
    readonly host: HostSettings;
    /** Defaults the program chose that the user may want to know about, to be logged. */
    readonly notices: string[];
}

export const hostChoices = ["none", "fargate", "ec2", "aci"] as const;
export const registryChoices = ["existing", "ecr", "acr"] as const;
const strategies = ["cross", "native", "daemonless"];

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
const howList = (key: string) => `Set it with \`pulumi config set --path '${key}[0]' <id>\`.`;

/** Typed readers over one `get` function; each error names the key. */
function readers(get: (key: string) => string | undefined) {
    const number = (key: string, valid: (n: number) => boolean, what: string): number | undefined => {
        const raw = get(key);
        if (raw === undefined) return undefined;
        const value = Number(raw);
        if (!valid(value))
            throw new ConfigError(key, `Config \`${key}\` is ${JSON.stringify(raw)}; it must be ${what}. ${how(key)}`);
        return value;
    };
    const stringList = (key: string, example = '["subnet-1", "subnet-2"]', what = "ids"): string[] | undefined => {
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
                `Config \`${key}\` is ${JSON.stringify(raw)}; it must be a list of ${what}, e.g. ${example}. ${howList(key)}`,
            );
        }
        return value as string[];
    };
    return {
        get,
        oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
            const value = get(key) ?? fallback;
            if (!(allowed as readonly string[]).includes(value)) {
                throw new ConfigError(
                    key,
                    `Config \`${key}\` is ${JSON.stringify(value)}; allowed values: ${allowed.join(", ")}. ${how(key)}`,
                );
            }
            return value as T;
        },
        /** An optional value that, when set, must match `pattern`; `what` says what it must be. */
        matching(key: string, pattern: RegExp, what: string): string | undefined {
            const value = get(key);
            if (value !== undefined && !pattern.test(value))
                throw new ConfigError(
                    key,
                    `Config \`${key}\` is ${JSON.stringify(value)}; it must be ${what}. ${how(key)}`,
                );
            return value;
        },
        required(key: string, why: string): string {
            const value = get(key);
            if (value === undefined || value === "")
                throw new ConfigError(key, `Config \`${key}\` is not set; ${why}. ${how(key)}`);
            return value;
        },
        wholeNumber: (key: string) => number(key, (n) => Number.isInteger(n) && n >= 0, "a whole number"),
        /** `true` or `false`; unset is false. */
        flag(key: string): boolean {
            const raw = get(key);
            if (raw === undefined) return false;
            if (raw !== "true" && raw !== "false")
                throw new ConfigError(
                    key,
                    `Config \`${key}\` is ${JSON.stringify(raw)}; it must be true or false. ${how(key)}`,
                );
            return raw === "true";
        },
        decimal: (key: string) => number(key, (n) => Number.isFinite(n) && n > 0, "a positive number"),
        stringList,
        /** An ARN of one of `services`, e.g. `arn:aws:sns:...`. */
        arn(key: string, services: readonly string[]): string | undefined {
            const value = get(key);
            if (value !== undefined && !new RegExp(`^arn:aws[\\w-]*:(${services.join("|")}):`).test(value)) {
                throw new ConfigError(
                    key,
                    `Config \`${key}\` is ${JSON.stringify(value)}; it must be an ARN in ${services.join(" or ")}, e.g. arn:aws:${services[0]}:us-east-1:123456789012:... ${how(key)}`,
                );
            }
            return value;
        },
        requiredList(key: string, why: string): string[] {
            const list = stringList(key);
            if (!list) throw new ConfigError(key, `Config \`${key}\` is not set; ${why}. ${howList(key)}`);
            return list;
        },
    };
}
type Readers = ReturnType<typeof readers>;

function readRegistry(r: Readers, host: HostSettings["kind"]): RegistrySettings {
    const aws = host === "fargate" || host === "ec2";
    const kind = r.oneOf("registryKind", registryChoices, aws ? "ecr" : host === "aci" ? "acr" : "existing");
    if (host === "aci" && kind !== "acr") {
        throw new ConfigError(
            "registryKind",
            `Config \`registryKind\` is "${kind}", but host "aci" pulls with a managed identity, which needs "acr". ${how("registryKind")}`,
        );
    }
    switch (kind) {
        case "existing":
            return {
                kind,
                server: r.required("registryServer", "an existing registry needs its host, e.g. localhost:5000"),
            };
        case "ecr":
            return { kind };
        case "acr":
            return {
                kind,
                registryName: r.matching(
                    "acrRegistryName",
                    /^[A-Za-z0-9]{5,50}$/,
                    "5 to 50 letters and digits, unique across Azure (leave it unset to have one auto-named)",
                ),
                resourceGroup: r.required("resourceGroup", "Azure resources need a resource group"),
            };
    }
}

/** Each entry of a list setting checked by `valid`; the error names the key and the entry. */
function eachOf(key: string, list: string[] | undefined, valid: (entry: string) => boolean, what: string): void {
    const bad = (list ?? []).find((entry) => !valid(entry));
    if (bad !== undefined)
        throw new ConfigError(
            key,
            `Config \`${key}\` has ${JSON.stringify(bad)}; each entry must be ${what}. ${howList(key)}`,
        );
}

/** The release-flow settings (canary share, test gate, drill, traces), checked against the strategy and load balancer. */
function readReleaseFlow(r: Readers, strategy: string, loadBalancer: boolean) {
    const canaryPercent = r.decimal("canaryPercent");
    if (canaryPercent !== undefined && strategy !== "canary")
        throw new ConfigError(
            "canaryPercent",
            `Config \`canaryPercent\` is set, but \`deploymentStrategy\` is "${strategy}"; it applies to "canary" only. ${how("deploymentStrategy")}`,
        );
    const smokeTestPaths = r.stringList("smokeTestPaths", '["/healthz", "/"]', "URL paths");
    eachOf("smokeTestPaths", smokeTestPaths, (path) => /^\/[\x21-\x7e]*$/.test(path), "a URL path starting with /");
    if (smokeTestPaths && (strategy === "rolling" || !loadBalancer))
        throw new ConfigError(
            "smokeTestPaths",
            "Config `smokeTestPaths` turns the test gate on, which runs in canary, linear and blue-green deployments " +
                `behind the load balancer: set \`deploymentStrategy\` (now "${strategy}") and \`loadBalancerSubnetIds\`. ${how("deploymentStrategy")}`,
        );
    const testListenerSourceCidrBlocks = r.stringList(
        "testListenerSourceCidrBlocks",
        '["203.0.113.10/32"]',
        "IPv4 networks",
    );
    eachOf(
        "testListenerSourceCidrBlocks",
        testListenerSourceCidrBlocks,
        (cidr) => /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr),
        "an IPv4 network such as 203.0.113.10/32",
    );
    const chaosDrill = r.flag("chaosDrill");
    if (chaosDrill && !loadBalancer)
        throw new ConfigError(
            "chaosDrill",
            `Config \`chaosDrill\` needs \`loadBalancerSubnetIds\`: the drill stops on the load balancer's alarms. ${howList("loadBalancerSubnetIds")}`,
        );
    return {
        canaryPercent,
        smokeTestPaths,
        testListenerSourceCidrBlocks,
        chaosDrill,
        traces: r.flag("traces"),
        transactionSearch: r.flag("transactionSearch"),
    };
}

function readEcs(r: Readers): EcsSettings {
    const loadBalancerSubnetIds = r.stringList("loadBalancerSubnetIds");
    const deploymentStrategy = r.oneOf("deploymentStrategy", deploymentStrategies, "rolling");
    return {
        vpcId: r.required("vpcId", "ECS tasks run in a VPC"),
        subnetIds: r.requiredList("subnetIds", "ECS tasks need subnets"),
        loadBalancerSubnetIds,
        desiredCount: r.wholeNumber("desiredCount"),
        cpu: r.wholeNumber("cpu"),
        memory: r.wholeNumber("memory"),
        deploymentStrategy,
        alarmTopicArn: r.arn("alarmTopicArn", ["sns"]),
        apiTokenSecretArn: r.arn("apiTokenSecretArn", ["secretsmanager", "ssm"]),
        logRetentionDays: r.wholeNumber("logRetentionDays"),
        ...readReleaseFlow(r, deploymentStrategy, loadBalancerSubnetIds !== undefined),
    };
}

function readHost(r: Readers, kind: HostSettings["kind"], newestWindowsVersion: string): HostSettings {
    switch (kind) {
        case "none":
            // Checked though unused, so that a typo in a stack file does not pass silently.
            r.wholeNumber("desiredCount");
            r.wholeNumber("cpu");
            return { kind };
        case "fargate":
            return { kind, ...readEcs(r) };
        case "ec2":
            return {
                kind,
                ...readEcs(r),
                hostWindowsVersion: r.oneOf("hostWindowsVersion", windowsVersionNames, newestWindowsVersion),
                instanceType: r.get("instanceType"),
            };
        case "aci":
            return {
                kind,
                resourceGroup: r.required("resourceGroup", "Azure resources need a resource group"),
                subnetId: r.get("subnetId"),
                dnsNameLabel: r.get("dnsNameLabel"),
                cpu: r.decimal("cpu"),
                memoryGb: r.decimal("memoryGb"),
                actionGroupId: r.get("actionGroupId"),
                logRetentionDays: r.wholeNumber("logRetentionDays"),
            };
    }
}

/** The image settings, with the defaults each host wants; notices say which defaults were chosen for the host. */
function readImage(r: Readers, host: HostSettings["kind"], notices: string[]): ImageSettings {
    // Fargate caches Server Core images but not Nano Server ones, so Server Core starts faster there.
    const defaultBase = host === "fargate" ? "servercore" : "nanoserver";
    if (host === "fargate" && r.get("baseImage") === undefined) {
        notices.push(
            "Fargate caches Windows Server Core images but not Nano Server ones: using servercore (set baseImage to change).",
        );
    }
    // Azure Container Instances documents ltsc2019 and ltsc2022; ltsc2019 stays the default so existing stacks keep their image.
    const defaultWindows = host === "aci" ? "ltsc2019" : "ltsc2022";
    return {
        ...readReleases(r, defaultWindows),
        baseImage: r.oneOf("baseImage", baseImageFlavours, defaultBase),
        strategy: r.oneOf("strategy", strategies, "cross"),
        version: r.get("version") ?? "dev",
        builderImageRef: r.get("builderImageRef"),
        baseImageRef: r.get("baseImageRef"),
        builderName: r.get("builderName"),
    };
}

/** `windowsVersions` (an image index of several releases) or `windowsVersion` (one image), never both. */
function readReleases(r: Readers, fallback: string): ImageReleaseSettings {
    const key = "windowsVersions";
    const list = r.stringList("windowsVersions", '["ltsc2022", "ltsc2025"]', "Windows releases");
    if (list === undefined) return { windowsVersion: r.oneOf("windowsVersion", windowsVersionNames, fallback) };
    const fail = (why: string) => {
        throw new ConfigError(key, `Config \`${key}\` is ${JSON.stringify(list)}; ${why}. ${howList(key)}`);
    };
    if (r.get("windowsVersion") !== undefined)
        fail("`windowsVersion` is set too: set `windowsVersions` for an image index, `windowsVersion` for one image");
    // The components' own check of a release list, its error given the config key and how to set it.
    try {
        checkWindowsVersionList(key, list);
    } catch (e) {
        if (!(e instanceof ArgumentError)) throw e;
        throw new ConfigError(key, `Config ${e.message} ${howList(key)}`);
    }
    const [oldest, ...newer] = windowsVersionNames.filter((v) => list.includes(v));
    return { windowsVersions: [oldest, ...newer] };
}

/** The newest release the image has: the one an EC2 host runs unless `hostWindowsVersion` says otherwise. */
const newestRelease = (image: ImageReleaseSettings): string =>
    image.windowsVersions ? image.windowsVersions[image.windowsVersions.length - 1] : image.windowsVersion;

/**
 * Reads the program's settings through `get` (pulumi.Config#get in the program, a map in tests).
 * The project name prefixes keys in stack files: `go-windows-containers:host`.
 */
export function readProgramConfig(get: (key: string) => string | undefined): ProgramConfig {
    const r = readers(get);
    const hostKind = r.oneOf("host", hostChoices, "none");
    const notices: string[] = [];
    const registry = readRegistry(r, hostKind);
    const image = readImage(r, hostKind, notices);
    const host = readHost(r, hostKind, newestRelease(image));
    return { app: { greeting: r.get("greeting") }, image, registry, host, notices };
}
