// Resources that moved from an EcsWindowsService into a component of their own keep their URNs: an alias to the service.
import * as pulumi from "@pulumi/pulumi";

/** Services whose own cluster or load balancer is now a child component (their resources were the service's). */
const formerParents = new WeakSet<pulumi.Resource>();

/** Marks `service` as the former parent of the children of the components it makes for itself. */
export function movesChildrenFrom(service: pulumi.Resource): void {
    formerParents.add(service);
}

/**
 * The options of a child of a component made by a service for itself: parented to the component, and aliased to the
 * service, where a previous version declared it (same name and type), so existing stacks keep the resource in place.
 */
export function childOptions(
    component: pulumi.ComponentResource,
    componentOpts: pulumi.ComponentResourceOptions | undefined,
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    const formerParent = componentOpts?.parent;
    const aliases = formerParent && formerParents.has(formerParent) ? [{ parent: formerParent }] : undefined;
    return { ...extra, parent: component, ...(aliases ? { aliases } : {}) };
}
