// Output helpers the components share, and how they tell Pulumi's mocks from an engine.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/** An Output whose value is unknown, as Pulumi shows values that an update will compute. */
export function unknownOutput<T>(): pulumi.Output<T> {
    // pulumi.unknown is the SDK's own marker for such values; output() turns it into an unknown Output.
    return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<T>;
}

/**
 * A string another resource provides only when it is configured so (an EcsApplicationLoadBalancer's test listener
 * ARN): typed as the string the consuming resource takes. Where it resolves to nothing (that resource lacks it, or a
 * user's test mocks leave the output out) it stays undefined, and the provider refuses the missing property.
 */
export function providedString(value: pulumi.Input<string | undefined>): pulumi.Output<string> {
    return pulumi.output(value) as pulumi.Output<string>;
}

/**
 * Whether the program runs under Pulumi's mocks (`pulumi.runtime.setMocks`: a unit test) rather than an engine, as
 * Go's SDK tells with `ctx.RunningWithMocks()`. The mocks stand in for every provider, so the components then reach
 * nothing themselves either: no registry look-ups, no token exchanges (see docs/guides/testing.md).
 */
export function runningWithMocks(): boolean {
    const monitor: unknown = pulumi.runtime.getMonitor();
    if (monitor instanceof MockMonitor) return true;
    // Mocks installed through another copy of @pulumi/pulumi (a linked package): its MockMonitor holds the mocks.
    const mocks = (monitor as { mocks?: Partial<pulumi.runtime.Mocks> } | undefined)?.mocks;
    return typeof mocks?.newResource === "function" && typeof mocks.call === "function";
}

/** An output that mocks left out: undefined, typed as an engine reports it (as Pulumi types such outputs). */
export function unreportedOutput<T>(): pulumi.Output<T> {
    return pulumi.output(undefined) as unknown as pulumi.Output<T>;
}

/**
 * `use(value)` for a value a provider always reports (a repository's URL, a registry's login server). Mocks that leave
 * it out make it undefined, as Pulumi makes every output the mocks do not return, and then so is what is made of it;
 * under an engine `use` always runs.
 */
export function fromReported<T, R>(value: T, use: (value: T) => R): R {
    // Typed as an engine reports it, as Pulumi types the outputs mocks leave out.
    if (value === undefined && runningWithMocks()) return undefined as R;
    return use(value);
}

/** `output.apply(use)` for an output a provider always reports, as `fromReported` takes such a value. */
export function applyReported<T, R>(output: pulumi.Input<T>, use: (value: T) => R): pulumi.Output<R> {
    return pulumi.output(output).apply((value) => fromReported(value as T, use)) as pulumi.Output<R>;
}
