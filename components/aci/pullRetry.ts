// A new AcrPull role takes minutes to apply, so the first pull can be refused: retry the group's create or update.
import * as pulumi from "@pulumi/pulumi";

/** What Azure says when the group's identity may not pull yet, or the image cannot be pulled. */
const pullOrAuthorizationError =
    /InaccessibleImage|not accessible|unauthori[sz]ed|authentication required|AuthorizationFailed|denied|RegistryErrorResponse|pull/i;

/** The wait between tries: Azure documents up to 10 minutes for a role assignment to apply. */
export const pullRetryWaitSeconds = 60;

/**
 * The oldest Pulumi CLI on which pull retries work: 3.244.0 forwards every provider error of a create to error hooks
 * (pulumi/pulumi#23347); older CLIs pass only errors of resources left partly created, so a refused first pull is
 * never retried. package.json's `engines.pulumi` states the same version.
 */
export const minimumPulumiCliVersion = "3.244.0";

/**
 * Whether to try a failed create or update of the container group again: only when the newest error is a pull or
 * authorization error, and at most `retries` times (`errors` holds every error so far, newest first).
 */
export function shouldRetryPull(failedOperation: string, errors: readonly string[], retries: number): boolean {
    if (failedOperation !== "create" && failedOperation !== "update") return false;
    return errors.length > 0 && errors.length <= retries && pullOrAuthorizationError.test(errors[0]);
}

/** The named error hook that waits and retries, per `shouldRetryPull`. */
export function pullRetryHook(name: string, retries: number, waitSeconds = pullRetryWaitSeconds): pulumi.ErrorHook {
    return new pulumi.ErrorHook(`${name}-acrpull-retry`, async (args) => {
        if (!shouldRetryPull(args.failedOperation, args.errors, retries)) return false;
        void pulumi.log.warn(
            `The container group could not pull its image (${args.errors[0]}); the identity's AcrPull role may not ` +
                `have applied yet. Retrying in ${waitSeconds} s (${args.errors.length} of ${retries}).`,
        );
        await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
        return true;
    });
}

/** The feature flags the SDK sets from the engine's answers before the program runs (its runtime store). */
interface SdkFeatureFlags {
    readonly supportsErrorHooks?: boolean;
}

/**
 * The SDK's own record of whether the engine supports error hooks: `pulumi.ErrorHook` checks the same flag and
 * fails the resource's registration when it is off. The store is process-wide (on `globalThis`), shared by every
 * copy of @pulumi/pulumi, and not exported, so it is read where the SDK keeps it.
 */
function sdkFeatureFlags(): SdkFeatureFlags {
    const runtime = globalThis as unknown as {
        asyncLocalStorage?: { getStore(): unknown };
        globalStore?: unknown;
    };
    return (runtime.asyncLocalStorage?.getStore() ?? runtime.globalStore ?? {}) as SdkFeatureFlags;
}

/**
 * Why error hooks cannot be used in this run, or undefined when they can. Decided before the group is declared,
 * because a hook whose registration fails takes the group's registration down with it: the SDK refuses hooks on a
 * CLI without them, and the mock monitor of `pulumi.runtime.setMocks` has no hook registration at all (the group
 * would never resolve in a user's unit test).
 */
export function errorHooksUnavailable(): string | undefined {
    const monitor = pulumi.runtime.getMonitor() as { registerErrorHook?: unknown } | undefined;
    if (monitor === undefined) return "the program runs without a Pulumi engine";
    if (typeof monitor.registerErrorHook !== "function")
        return "the engine cannot register error hooks (as under `pulumi.runtime.setMocks` in unit tests)";
    if (sdkFeatureFlags().supportsErrorHooks !== true)
        return `this Pulumi CLI does not support error hooks (Pulumi CLI ${minimumPulumiCliVersion} or later does)`;
    return undefined;
}

let createErrorsCheck: Promise<void> | undefined;

/**
 * Warns once per run when the CLI is older than `minimumPulumiCliVersion`: its error hooks see a failed update but
 * not a failed create. `requireVersion` is the engine's version check (`pulumi.runtime.requirePulumiVersion`, which
 * passes when there is no engine, as under mocks).
 */
export function warnIfCreateErrorsSkipHooks(
    requireVersion: (range: string) => Promise<void> = pulumi.runtime.requirePulumiVersion,
): Promise<void> {
    createErrorsCheck ??= requireVersion(`>=${minimumPulumiCliVersion}`).catch(
        () =>
            void pulumi.log.warn(
                `This Pulumi CLI is older than ${minimumPulumiCliVersion}: it does not pass a failed create's error to ` +
                    "error hooks (pulumi/pulumi#23347), so a container group whose first pull is refused while its " +
                    "AcrPull role applies is not retried; run `pulumi up` again, or upgrade the CLI.",
            ),
    );
    return createErrorsCheck;
}

/** Forgets the once-per-run check (for tests that run it with several engines). */
export function resetCreateErrorsCheck(): void {
    createErrorsCheck = undefined;
}

/**
 * The error hooks for a group with `retries` pull retries: none when retries are off or the engine has no error
 * hooks (then a warning says so and the group is created without retries).
 */
export function pullRetryHooks(name: string, retries: number, parent: pulumi.Resource): pulumi.ErrorHook[] {
    if (retries === 0) return [];
    const unavailable = errorHooksUnavailable();
    if (unavailable !== undefined) {
        void pulumi.log.warn(
            `\`pullRetries\` is ${retries}, but ${unavailable}: the container group is declared without pull retries. ` +
                "If its first pull is refused while the AcrPull role applies, run `pulumi up` again.",
            parent,
        );
        return [];
    }
    void warnIfCreateErrorsSkipHooks();
    return [pullRetryHook(name, retries)];
}
