// Listener rule priorities decided by the joining service: stable, derived from its name, checked for collisions.
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../core";

/** ELB's range of rule priorities. */
export const maxRulePriority = 50000;

/**
 * The priority of a service's rule on a shared listener unless one is given: 1 to 50000 from its name. It depends on
 * nothing else, so adding, removing or reordering other services never moves it (house style point 14). Two names
 * may collide (about 1 in 50000 per pair); `claimRulePriority` refuses that with both names.
 */
export function defaultRulePriority(serviceName: string): number {
    const hash = crypto.createHash("sha256").update(serviceName).digest();
    return 1 + (hash.readUInt32BE(0) % maxRulePriority);
}

/** The services' claims of one program run: listener → priority → the service that holds it. */
type Claims = Map<unknown, Map<number, string>>;
/** Per engine connection (a program run, or each `setMocks` in a user's tests), so runs never see each other. */
const claimsByRun = new WeakMap<object, Claims>();
const claimsWithoutMonitor: Claims = new Map();

/** A listener's identity: its ARN when given as text; the very Output object (an EcsApplicationLoadBalancer's). */
const listenerKey = (listenerArn: pulumi.Input<string>): unknown =>
    typeof listenerArn === "string" ? `arn:${listenerArn}` : listenerArn;

/**
 * Records that `service` takes `priority` on a listener; throws an ArgumentError naming both services when another
 * service of this program took it already. A listener shared across stacks is checked by ELB itself (PriorityInUse).
 */
export function claimRulePriority(
    listenerArn: pulumi.Input<string>,
    priority: number,
    service: string,
    argument: string,
): void {
    const monitor = pulumi.runtime.getMonitor();
    let claims = monitor ? claimsByRun.get(monitor) : claimsWithoutMonitor;
    if (!claims) {
        claims = new Map();
        claimsByRun.set(monitor as object, claims);
    }
    const key = listenerKey(listenerArn);
    const taken = claims.get(key) ?? new Map<number, string>();
    const holder = taken.get(priority);
    if (holder !== undefined && holder !== service)
        throw new ArgumentError(
            argument,
            `\`${argument}\` is ${priority} on a listener where service "${holder}" has that priority already; ` +
                `rules on one listener need distinct priorities. Give "${service}" (or "${holder}") another \`listener.priority\`.`,
        );
    claims.set(key, taken.set(priority, service));
}
