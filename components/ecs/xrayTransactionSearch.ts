// XrayTransactionSearch: the account-wide X-Ray setting that makes X-Ray take OTLP spans (Transaction Search).
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as xray from "@pulumi/aws/xray";
import { fail } from "../core";
import { transactionSearchLogPolicy } from "./traces";

/** Arguments of XrayTransactionSearch. */
export interface XrayTransactionSearchArgs {
    /**
     * The name of the CloudWatch Logs resource policy that lets X-Ray write spans to `aws/spans`. It is one of the
     * account's 10 resource policies per region; every declaration of this component in the account and region
     * writes the same policy under this name (a second one overwrites the first with the same content).
     * @default "TransactionSearchAccess"
     */
    readonly policyName?: string;
}

/** Resolves the arguments: a resource policy name CloudWatch Logs accepts (1 to 255 characters). */
export function resolveTransactionSearchArgs(args: XrayTransactionSearchArgs = {}): { policyName: string } {
    const policyName = args.policyName ?? "TransactionSearchAccess";
    if (!/^[\w.\-/#]{1,255}$/.test(policyName))
        fail("policyName", policyName, "it must be 1 to 255 letters, digits and _ . - / #");
    return { policyName };
}

/**
 * Transaction Search for one account and region: X-Ray stores spans in CloudWatch Logs (`aws/spans`), which is what
 * lets it take OTLP at `https://xray.<region>.amazonaws.com/v1/traces` (EcsWindowsService's `traces`). Declare it in
 * one stack per account and region, the one that owns the account's settings: it is a setting of the account, not of
 * a service. Both parts stay when that stack is destroyed: the destination is a singleton whose delete does nothing
 * (the AWS provider's TraceSegmentDestination), and the resource policy is kept, since other stacks' services write
 * through it. A second declaration elsewhere writes the same policy and destination again, harmlessly.
 */
export class XrayTransactionSearch extends pulumi.ComponentResource {
    /** Where X-Ray sends trace segments: `CloudWatchLogs`. */
    public readonly destination: pulumi.Output<string>;
    /** The CloudWatch Logs resource policy X-Ray writes spans with. */
    public readonly policyName: pulumi.Output<string>;

    constructor(name: string, args: XrayTransactionSearchArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:XrayTransactionSearch", name, {}, opts);
        const settings = resolveTransactionSearchArgs(args);
        const parent = { parent: this };
        const account = getCallerIdentityOutput({}, parent);
        const region = getRegionOutput({}, parent);
        const partition = getPartitionOutput({}, parent);
        const policy = new cloudwatch.LogResourcePolicy(
            `${name}-xray-spans`,
            {
                policyName: settings.policyName,
                policyDocument: pulumi
                    .all([account.accountId, region.region, partition.partition])
                    .apply(([accountId, regionName, partitionName]) =>
                        transactionSearchLogPolicy(accountId, regionName, partitionName ?? "aws"),
                    ),
            },
            { parent: this, retainOnDelete: true },
        );
        const destination = new xray.TraceSegmentDestination(
            `${name}-destination`,
            { destination: "CloudWatchLogs" },
            // X-Ray refuses CloudWatch Logs as the destination until it may write there.
            { parent: this, dependsOn: [policy], retainOnDelete: true },
        );
        this.destination = destination.destination;
        this.policyName = policy.policyName.apply((given) => given ?? settings.policyName);
        this.registerOutputs({ destination: this.destination, policyName: this.policyName });
    }
}
