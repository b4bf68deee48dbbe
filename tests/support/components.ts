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

/** The values of every Output `resource` exposes as a property, once each resolves (undefined included). */
export async function outputValues(resource: pulumi.Resource): Promise<Record<string, unknown>> {
    const outputs = Object.entries(resource).filter(([, value]) => pulumi.Output.isInstance(value));
    const values = await Promise.all(
        outputs.map(([, value]) => new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve))),
    );
    return Object.fromEntries(outputs.map(([key], i) => [key, values[i]]));
}
