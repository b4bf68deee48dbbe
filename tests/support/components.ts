// The resource classes the package exports, read from the package itself so that every list of them stays complete.
import * as pulumi from "@pulumi/pulumi";

/**
 * The names of the exported classes that extend `base` (`pulumi.ComponentResource` for the components the schema
 * describes; `pulumi.Resource` for every class a program can declare, dynamic resources included), sorted.
 */
export function exportedClassNames(
    library: Record<string, unknown>,
    base: abstract new (...args: never[]) => pulumi.Resource = pulumi.ComponentResource,
): string[] {
    return Object.entries(library)
        .filter(([, value]) => typeof value === "function" && value.prototype instanceof base)
        .map(([name]) => name)
        .sort();
}
