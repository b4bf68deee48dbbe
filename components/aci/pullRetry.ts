// A new AcrPull role takes minutes to apply, so the first pull can be refused: retry the group's create or update.
import * as pulumi from "@pulumi/pulumi";

/** What Azure says when the group's identity may not pull yet, or the image cannot be pulled. */
const pullOrAuthorizationError =
    /InaccessibleImage|not accessible|unauthori[sz]ed|authentication required|AuthorizationFailed|denied|RegistryErrorResponse|pull/i;

/** The wait between tries: Azure documents up to 10 minutes for a role assignment to apply. */
export const pullRetryWaitSeconds = 60;

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
