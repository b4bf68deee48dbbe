// The policy pack: `pulumi preview --policy-pack policy` checks a stack against the scanner rules this project follows.
import { PolicyPack } from "@pulumi/policy";
import { resourcePolicies, stackPolicies } from "./rules";

new PolicyPack("go-windows-containers", {
    policies: [...resourcePolicies, ...stackPolicies],
});
