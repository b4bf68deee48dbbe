// EcrAccountSettings: the account-wide ECR setting that decides whether Windows images are scanned at all.
import * as pulumi from "@pulumi/pulumi";
import * as ecr from "@pulumi/aws/ecr";

/** Arguments of EcrAccountSettings. */
export interface EcrAccountSettingsArgs {
    /**
     * Scan with ECR's AWS-native basic scanner, which AWS documents as covering Windows Server 2019, 2022 and 2025
     * images (Microsoft KB advisories). The older Clair scanner reports `UnsupportedImageError` for them, and
     * enhanced scanning (Amazon Inspector) does not support them.
     * @default true
     */
    readonly nativeBasicScanning?: boolean;
}

/**
 * The ECR settings of one account and region, which every repository there shares: declare it in exactly one stack
 * per account and region (a second declaration would overwrite the first). It is kept when that stack is destroyed,
 * since other stacks' repositories depend on it.
 */
export class EcrAccountSettings extends pulumi.ComponentResource {
    /** The basic scanner in use: `AWS_NATIVE` or `CLAIR`. */
    public readonly basicScanTypeVersion: pulumi.Output<string>;

    constructor(name: string, args: EcrAccountSettingsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:EcrAccountSettings", name, {}, opts);
        const native = args.nativeBasicScanning ?? true;
        const scanning = new ecr.AccountSetting(
            `${name}-basic-scan`,
            { name: "BASIC_SCAN_TYPE_VERSION", value: native ? "AWS_NATIVE" : "CLAIR" },
            { parent: this, retainOnDelete: true },
        );
        this.basicScanTypeVersion = scanning.value;
        this.registerOutputs({ basicScanTypeVersion: this.basicScanTypeVersion });
    }
}
