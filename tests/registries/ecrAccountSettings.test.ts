// EcrAccountSettings: the account-wide basic scanner that covers Windows images, kept when its stack is destroyed.
import * as assert from "assert";
import { EcrAccountSettings } from "../../components";
import * as mocks from "../support/mocks";

describe("EcrAccountSettings", () => {
    it("switches the account's basic scanning to the AWS-native scanner, and keeps the setting on destroy", async () => {
        mocks.setupMocks();
        const settings = new EcrAccountSettings("account");
        assert.strictEqual(await mocks.valueOf(settings.basicScanTypeVersion), "AWS_NATIVE");
        const setting = mocks.ofType("aws:ecr/accountSetting:AccountSetting");
        assert.deepStrictEqual(
            setting.map((r) => [r.name, r.inputs, r.retainOnDelete]),
            [["account-basic-scan", { name: "BASIC_SCAN_TYPE_VERSION", value: "AWS_NATIVE" }, true]],
        );
    });

    it("can go back to the Clair scanner", async () => {
        mocks.setupMocks();
        new EcrAccountSettings("account", { nativeBasicScanning: false });
        await mocks.settle();
        assert.strictEqual(mocks.ofType("aws:ecr/accountSetting:AccountSetting")[0].inputs.value, "CLAIR");
    });
});
