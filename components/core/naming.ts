// Names of children fitted to each cloud's limits, and the physical names Pulumi cannot generate, scoped per stack.
import * as crypto from "crypto";

/** Six hex characters of a text's SHA-256: enough to tell apart the names of one stack's components. */
export function shortHash(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, 6);
}

/**
 * The limits a child's logical name must keep so that the physical name generated from it is valid. AWS providers
 * append `-` and 7 hex characters and fail when the result is too long; azure-native appends 8 hex characters.
 */
export interface NameRule {
    /** The longest logical name: the physical limit less what auto-naming appends. */
    readonly maxLength: number;
    /** The physical name must be lowercase, without consecutive hyphens (Azure container groups). */
    readonly lowercase?: boolean;
    /** Prefixes the physical name may not start with, compared without case (e.g. `ecs` for capacity providers). */
    readonly forbiddenPrefixes?: readonly string[];
}

const startsWithAny = (text: string, prefixes: readonly string[] = []) =>
    prefixes.some((prefix) => text.toLowerCase().startsWith(prefix.toLowerCase()));

/** Whether a logical name can be used as it is under a rule: letters, digits and inner hyphens, within the limit. */
function fits(candidate: string, rule: NameRule): boolean {
    return (
        candidate.length <= rule.maxLength &&
        /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(candidate) &&
        !(rule.lowercase && (candidate !== candidate.toLowerCase() || candidate.includes("--"))) &&
        !startsWithAny(candidate, rule.forbiddenPrefixes)
    );
}

/**
 * The logical name of a child, `${name}${suffix}` when that fits the rule. Otherwise the component name is cleaned
 * (other characters become `-`), shortened, and followed by a hash of the whole name, so that every component
 * name gives a valid name, the same one on every run, and names that already worked never change.
 */
export function childName(name: string, suffix: string, rule: NameRule): string {
    const wanted = `${name}${suffix}`;
    if (fits(wanted, rule)) return wanted;
    const hash = shortHash(name);
    let base = name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (rule.lowercase) base = base.toLowerCase();
    const prefix = base && startsWithAny(base, rule.forbiddenPrefixes) ? "n-" : "";
    const room = rule.maxLength - prefix.length - hash.length - 1 - suffix.length;
    base = base.slice(0, Math.max(0, room)).replace(/-+$/, "");
    const fitted = base ? `${prefix}${base}-${hash}${suffix}` : `${hash}${suffix}`;
    if (!fits(fitted, rule)) throw new Error(`cannot fit a name for "${name}" with suffix "${suffix}"`);
    return fitted;
}

/**
 * A physical name for resources that Pulumi does not auto-name (an ECS task family, a CloudWatch dashboard):
 * `<project>-<stack>-<name>`, so that two stacks in one account never share it. Other characters than letters,
 * digits, `-` and `_` become `-`; a name longer than `maxLength` is shortened and followed by a hash of the whole.
 */
export function stackScopedName(project: string, stack: string, name: string, maxLength = 255): string {
    const full = `${project}-${stack}-${name}`;
    const clean = full.replace(/[^A-Za-z0-9_-]/g, "-");
    if (clean.length <= maxLength && clean === full) return full;
    const hash = shortHash(full);
    return `${clean.slice(0, maxLength - hash.length - 1)}-${hash}`;
}
