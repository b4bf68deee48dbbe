// The registry's logical name: azure-native appends 8 hex digits to it, and Azure takes 5 to 50 letters and digits.
import * as assert from "assert";
import { acrLogicalName } from "../../components/registries/acr";
import { autoNamedAs } from "../support/autonaming";

const registryType = "azure-native:containerregistry:Registry";
/** Azure's rule for registry names. */
const azureRegistryName = /^[a-zA-Z0-9]{5,50}$/;

describe("acrLogicalName", () => {
    it("gives every component name, short or long, a registry name Azure accepts once auto-named", () => {
        const names = ["a", "api", "hello-world", "x".repeat(34), "y".repeat(35), "z".repeat(42), "w".repeat(200)];
        names.push("payments-api-eu-west-production-blue-green-canary", "!!--__", "svc.v2/eu-1");
        for (const name of names) {
            const physical = autoNamedAs(registryType, acrLogicalName(name));
            assert.match(physical, azureRegistryName, `${name} -> ${physical}`);
        }
    });

    it("keeps a short name's letters and digits as they are", () => {
        assert.strictEqual(acrLogicalName("hello-api.v2"), "helloapiv2registry");
    });

    it("keeps long names that share a beginning apart, and each the same on every run", () => {
        const common = "platform-team-payments-service-production-";
        const a = acrLogicalName(`${common}eu-west`);
        const b = acrLogicalName(`${common}us-east`);
        assert.notStrictEqual(a, b);
        assert.strictEqual(acrLogicalName(`${common}eu-west`), a);
    });
});
