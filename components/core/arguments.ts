// Argument errors and the checks every component's resolver shares: each error names the argument, the value and what is allowed.

/** An argument that cannot be used; `argument` is its name as the user wrote it (e.g. `ecr.repositoryName`). */
export class ArgumentError extends Error {
    constructor(
        public readonly argument: string,
        message: string,
    ) {
        super(message);
        // Set again: Pulumi's closure serializer (ImageIndex's dynamic provider) turns classes into functions, and
        // there `super(message)` calls Error as a function, which leaves `this.message` unset.
        this.message = message;
        this.name = "ArgumentError";
    }
}

/** Throws an ArgumentError that names the argument, shows what was given and says what is allowed. */
export function fail(argument: string, given: unknown, allowed: string, fix?: string): never {
    // Lists are shown as JSON, `["ltsc2019","ltsc2025"]`, so that a list of one is not mistaken for a string.
    const shown = typeof given === "string" || Array.isArray(given) ? JSON.stringify(given) : String(given);
    throw new ArgumentError(argument, `\`${argument}\` is ${shown}; ${allowed}.${fix ? ` ${fix}` : ""}`);
}

/** Throws an ArgumentError for a required argument that was left out, saying why it is needed. */
export function missing(argument: string, why: string): never {
    throw new ArgumentError(argument, `\`${argument}\` is missing; ${why}.`);
}

/** Checks a whole number in [min, max]; `undefined` passes (the caller's default applies). */
export function checkWholeNumber(argument: string, value: number | undefined, min: number, max: number): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
        fail(argument, value, `it must be a whole number from ${min} to ${max}`);
    }
}

/** Checks a number in [min, max], fractions allowed; `undefined` passes (the caller's default applies). */
export function checkNumber(argument: string, value: number | undefined, min: number, max: number): void {
    if (value !== undefined && !(typeof value === "number" && value >= min && value <= max))
        fail(argument, value, `it must be a number from ${min} to ${max}`);
}

/** Returns `value ?? fallback` when it is one of `allowed`, else fails naming the allowed values. */
export function oneOf<T extends string>(
    argument: string,
    value: string | undefined,
    allowed: readonly T[],
    fallback: T,
): T {
    const chosen = value ?? fallback;
    if (!(allowed as readonly string[]).includes(chosen))
        fail(argument, chosen, `allowed values: ${allowed.join(", ")}`);
    return chosen as T;
}

/** Environment variable names: letters, digits and `_`, not starting with a digit. */
export const envKeyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fails unless `key` is a usable environment variable name; `argument` is where it was given. */
export function checkVariableName(argument: string, key: string): void {
    if (!envKeyPattern.test(key))
        fail(argument, key, "variable names are letters, digits and `_`, not starting with a digit");
}

/** Names that hold credentials: they belong in secrets or secure values, never plain environment variables. */
export const credentialLikeName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CONNECTION_?STRING|CREDENTIAL)/i;

/** OCI distribution's rule for repository paths: lowercase components separated by `/`. */
export const repositoryPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
