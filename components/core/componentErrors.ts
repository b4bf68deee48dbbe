// Turns a pure resolver's ArgumentError into the ResourceError Pulumi shows against the component.
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "./arguments";

/** Runs `resolve`; an ArgumentError becomes a ResourceError naming the component, before any child exists. */
export function resolveArgsFor<T>(component: string, name: string, resource: pulumi.Resource, resolve: () => T): T {
    try {
        return resolve();
    } catch (e) {
        if (e instanceof ArgumentError)
            throw new pulumi.ResourceError(`${component} "${name}": ${e.message}`, resource);
        throw e;
    }
}
