// Output helpers the components share.
import * as pulumi from "@pulumi/pulumi";

/** An Output whose value is unknown, as Pulumi shows values that an update will compute. */
export function unknownOutput<T>(): pulumi.Output<T> {
    // pulumi.unknown is the SDK's own marker for such values; output() turns it into an unknown Output.
    return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<T>;
}
