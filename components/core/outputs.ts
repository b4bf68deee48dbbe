// Output helpers the components share.
import * as pulumi from "@pulumi/pulumi";

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
