// The Windows version compatibility rules: one test per row of the reference table, and per host kind.
import * as assert from "assert";
import { Compatibility, HostSpec, checkCompatibility } from "../../components/core";

describe("checkCompatibility", () => {
    // Host (Windows Server) × image → isolation, as in shared/reference/windows-containers.md.
    const table: [string, string, Compatibility][] = [
        ["ltsc2025", "ltsc2025", "process"],
        ["ltsc2025", "ltsc2022", "process"],
        ["ltsc2025", "ltsc2019", "hyperv-only"],
        ["ltsc2022", "ltsc2025", "no"],
        ["ltsc2022", "ltsc2022", "process"],
        ["ltsc2022", "ltsc2019", "hyperv-only"],
        ["ltsc2019", "ltsc2025", "no"],
        ["ltsc2019", "ltsc2022", "no"],
        ["ltsc2019", "ltsc2019", "process"],
    ];
    for (const [host, image, verdict] of table) {
        it(`Windows Server ${host.slice(4)} host, ${image} image: ${verdict}`, () => {
            assert.strictEqual(
                checkCompatibility(image, { kind: "windows-server", windowsVersion: host }).verdict,
                verdict,
            );
        });
    }

    it("names the image version a host needs when it cannot run the image", () => {
        const result = checkCompatibility("ltsc2025", { kind: "windows-server", windowsVersion: "ltsc2022" });
        assert.match(result.message, /Build the image with `windowsVersion: "ltsc2022"`/);
        assert.deepStrictEqual(result.supportedImageVersions, ["ltsc2022"]);
        assert.deepStrictEqual(
            checkCompatibility("ltsc2019", { kind: "windows-server", windowsVersion: "ltsc2025" })
                .supportedImageVersions,
            ["ltsc2025", "ltsc2022"],
        );
    });

    it("ECS on EC2 follows the table but cannot use Hyper-V isolation", () => {
        assert.strictEqual(
            checkCompatibility("ltsc2022", { kind: "ecs-ec2", windowsVersion: "ltsc2025" }).verdict,
            "process",
        );
        const older = checkCompatibility("ltsc2019", { kind: "ecs-ec2", windowsVersion: "ltsc2022" });
        assert.strictEqual(older.verdict, "no");
        assert.match(older.message, /Hyper-V isolation, which ECS does not use.*"ltsc2022"/);
        assert.strictEqual(
            checkCompatibility("ltsc2022", { kind: "ecs-ec2" }).verdict,
            "process",
            "the host defaults to the image's release",
        );
    });

    const hosts: [string, HostSpec, string, Compatibility][] = [
        ["Fargate", { kind: "ecs-fargate" }, "ltsc2019", "process"],
        ["Fargate", { kind: "ecs-fargate" }, "ltsc2022", "process"],
        ["Fargate", { kind: "ecs-fargate" }, "ltsc2025", "no"],
        ["Azure Container Instances", { kind: "aci" }, "ltsc2019", "process"],
        ["Azure Container Instances", { kind: "aci" }, "ltsc2022", "process"],
        ["Azure Container Instances", { kind: "aci" }, "ltsc2025", "unknown"],
    ];
    for (const [name, host, image, verdict] of hosts) {
        it(`${name}, ${image} image: ${verdict}`, () => {
            assert.strictEqual(checkCompatibility(image, host).verdict, verdict);
        });
    }

    it("says why Fargate refuses ltsc2025 and what to build instead", () => {
        assert.match(checkCompatibility("ltsc2025", { kind: "ecs-fargate" }).message, /2019 and 2022 only.*"ltsc2022"/);
    });

    it("is unknown for releases it does not know", () => {
        assert.strictEqual(checkCompatibility("ltsc2016", { kind: "ecs-fargate" }).verdict, "unknown");
        assert.strictEqual(
            checkCompatibility("ltsc2022", { kind: "windows-server", windowsVersion: "1903" }).verdict,
            "unknown",
        );
    });
});
