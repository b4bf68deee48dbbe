// Checks both host components share: the image's Windows release against the host, and environment variable names.
import { ArgumentError, checkVariableName, credentialLikeName, fail } from "./arguments";
import { CompatibilityResult, HostKind, checkCompatibility } from "./compatibility";
import { windowsVersionNames } from "./windowsReleases";

/** Fails unless `value` names a known Windows release; returns it. */
export function checkWindowsVersion(argument: string, value: unknown): string {
    if (typeof value !== "string" || !windowsVersionNames.includes(value)) {
        fail(
            argument,
            value,
            `allowed values: ${windowsVersionNames.join(", ")}`,
            "Pass the image's `windowsVersion` output's value.",
        );
    }
    return value;
}

/** Fails on names that are not variable names or look like credentials (they belong in `secretsArgument`). */
function checkPlainEnvironment(
    argument: string,
    secretsArgument: string,
    env: Readonly<Record<string, unknown>> | undefined,
): void {
    for (const key of Object.keys(env ?? {})) {
        checkVariableName(argument, key);
        if (credentialLikeName.test(key)) {
            fail(
                argument,
                key,
                "it looks like a credential, and plain environment variables are readable by anyone who can describe the task",
                `Pass it in \`${secretsArgument}\` instead.`,
            );
        }
    }
}

/** Fails on "does not run"; returns the result, whose message the component logs as a warning for "unknown". */
function checkHost(
    argument: string,
    imageVersion: string,
    host: { kind: HostKind; windowsVersion?: string },
): CompatibilityResult {
    const result = checkCompatibility(imageVersion, host);
    // checkCompatibility already says "no" for Hyper-V-only images on ECS, which cannot use Hyper-V isolation.
    if (result.verdict === "no") {
        throw new ArgumentError(
            argument,
            `\`${argument}\` is "${imageVersion}", which this host cannot run: ${result.message}`,
        );
    }
    return result;
}

/**
 * Checks a host's two kinds of variables: plain ones (no credential-like names) and secret ones (each a variable
 * name, none also plain). `checkSecret` checks each secret's value where the host has a rule for it.
 */
export function checkEnvironmentPair(
    plainArgument: string,
    secretArgument: string,
    plain: Readonly<Record<string, unknown>> | undefined,
    secret: Readonly<Record<string, unknown>> | undefined,
    checkSecret: (name: string, value: unknown) => void = () => undefined,
): void {
    checkPlainEnvironment(plainArgument, secretArgument, plain);
    for (const [name, value] of Object.entries(secret ?? {})) {
        checkVariableName(secretArgument, name);
        checkSecret(name, value);
        if (plain && name in plain) fail(secretArgument, name, `it is also set in \`${plainArgument}\``);
    }
}

/** The image's release, checked as a release name and then against the host; "no" fails, naming `windowsVersion`. */
export function checkImageOnHost(
    windowsVersion: unknown,
    host: { kind: HostKind; windowsVersion?: string },
): { windowsVersion: string; compatibility: CompatibilityResult } {
    const checked = checkWindowsVersion("windowsVersion", windowsVersion);
    return { windowsVersion: checked, compatibility: checkHost("windowsVersion", checked, host) };
}
