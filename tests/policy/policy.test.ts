// The policy pack's rules, called directly on the resources the mocks capture: no violations for the stacks and the
// components' defaults, a reported violation for every policy, and no unprotected credential anywhere.
import * as assert from "assert";
import { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import {
    EcsApplicationLoadBalancer,
    EcsWindowsCluster,
    EcsWindowsService,
    GoWindowsImage,
    WindowsContainerGroup,
    ecrLifecyclePolicy,
} from "../../components";
import { onHosts, onListener, serviceArgs } from "../support/ecs";
import { exampleStacks, runExample } from "../support/examples";
import { checkedPolicyNames, resourcePolicies, stackPolicies } from "../../policy/rules";
import { minimalModule } from "../support/files";
import * as mocks from "../support/mocks";
import { runProgram, stackConfig, stackFiles } from "../support/program";
import { companions, violatingCases, windowsTask } from "./violatingCases";

interface Violation {
    policy: string;
    resource: string;
    message: string;
}

/** What the policy engine hands a rule: the resource's inputs, with secrets unwrapped as the engine does. */
function asPolicyResource(
    r: {
        type: string;
        name: string;
        inputs: Record<string, unknown>;
        checkedInputs?: Record<string, unknown>;
    },
    stack: string,
): PolicyResource & ResourceValidationArgs {
    // Policies run on inputs after the provider's check, auto-names included.
    const props = mocks.unwrapSecrets(r.checkedInputs ?? r.inputs) as Record<string, unknown>;
    const urn = `urn:pulumi:${stack}::go-windows-containers::${r.type}::${r.name}`;
    return {
        type: r.type,
        name: r.name,
        urn,
        props,
        opts: {} as ResourceValidationArgs["opts"],
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: () => {
            throw new Error("not applicable");
        },
    } as unknown as PolicyResource & ResourceValidationArgs;
}

/** Runs every enabled policy (or the named ones, enabled or not) over resources; returns what they report. */
async function violations(
    resources: {
        type: string;
        name: string;
        inputs: Record<string, unknown>;
        checkedInputs?: Record<string, unknown>;
    }[],
    only?: string,
    stack = "test",
): Promise<Violation[]> {
    const found: Violation[] = [];
    const wanted = (p: { name: string; enforcementLevel?: string }) =>
        only ? p.name === only : p.enforcementLevel !== "disabled";
    const policyResources = resources.map((r) => asPolicyResource(r, stack));
    for (const policy of resourcePolicies.filter(wanted)) {
        for (const resource of policyResources) {
            const report: ReportViolation = (message) =>
                found.push({ policy: policy.name, resource: resource.name, message });
            const validations = Array.isArray(policy.validateResource)
                ? policy.validateResource
                : [policy.validateResource];
            for (const validate of validations) if (validate) await validate(resource, report);
        }
    }
    for (const policy of stackPolicies.filter(wanted)) {
        const report: ReportViolation = (message) => found.push({ policy: policy.name, resource: "stack", message });
        await policy.validateStack(
            {
                resources: policyResources,
                stackTags: new Map(),
                getConfig: <T extends object>() => ({}) as T,
            } as unknown as Parameters<typeof policy.validateStack>[0],
            report,
        );
    }
    return found;
}

const allPolicyNames = [...resourcePolicies, ...stackPolicies].map((p) => p.name).sort();

describe("the policy pack", () => {
    it("names the scanner rules each policy mirrors", () => {
        for (const policy of [...resourcePolicies, ...stackPolicies]) {
            assert.match(
                policy.description,
                /(CKV2?_[A-Z]+_\d+|Security Hub|AVD-|Azure Policy|project rule)/,
                policy.name,
            );
        }
        assert.strictEqual(new Set(allPolicyNames).size, allPolicyNames.length, "policy names are unique");
    });

    it("has a check for every resource policy in the catalog, and a catalog entry for every check", () => {
        assert.deepStrictEqual(resourcePolicies.map((p) => p.name).sort(), checkedPolicyNames);
    });

    for (const file of stackFiles()) {
        const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
        it(`finds no violation in stack ${stack}`, async () => {
            await runProgram(stackConfig(file), stack);
            assert.deepStrictEqual(await violations(mocks.resources, undefined, stack), []);
        });
    }

    it("finds no violation in the components' defaults", async () => {
        mocks.setupMocks();
        const image = new GoWindowsImage("ecr", { context: "app", ecr: {} });
        new GoWindowsImage("acr", { context: "app", acr: { resourceGroupName: "rg", registryName: "contosoapps" } });
        new GoWindowsImage("existing", { context: "app", registry: { server: "localhost:5000" } });
        new EcsWindowsService("fargate", {
            imageRef: image.imageRef,
            windowsVersion: "ltsc2022",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
        });
        new EcsWindowsService("ec2", {
            imageRef: image.imageRef,
            windowsVersion: "ltsc2022",
            capacity: "ec2",
            vpcId: "vpc-1",
            subnetIds: ["subnet-a"],
        });
        new WindowsContainerGroup("aci", {
            imageRef: image.imageRef,
            windowsVersion: "ltsc2019",
            resourceGroupName: "rg",
            registryServer: "contosoapps.azurecr.io",
            registryId: "/registries/contosoapps",
        });
        await mocks.valueOf(image.imageRef);
        await mocks.settle();
        assert.ok(mocks.resources.length > 20, `captured ${mocks.resources.length} resources`);
        assert.deepStrictEqual(await violations(mocks.resources), []);
    });

    for (const example of Object.keys(exampleStacks)) {
        it(`finds no violation in examples/${example} (stack ${exampleStacks[example].stack})`, async () => {
            await runExample(example);
            assert.ok(mocks.resources.length > 20, `captured ${mocks.resources.length} resources`);
            assert.deepStrictEqual(await violations(mocks.resources, undefined, exampleStacks[example].stack), []);
        });
    }

    it("finds no violation in the shared ECS pieces' defaults, nor in a service joining them", async () => {
        mocks.setupMocks();
        const hosts = new EcsWindowsCluster("hosts", { vpcId: "vpc-1", subnetIds: ["subnet-a"] });
        const edge = new EcsApplicationLoadBalancer("edge", {
            vpcId: "vpc-1",
            subnetIds: ["public-a", "public-b"],
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        });
        const joined = new EcsWindowsService("joined", {
            ...serviceArgs,
            ...onHosts(hosts),
            ...onListener(edge, { hostHeaders: ["a.example.com"] }),
        });
        await mocks.valueOf(joined.serviceName);
        await mocks.settle();
        assert.deepStrictEqual(await violations(mocks.resources), []);
    });

    it("has a violating case for every policy", () => {
        assert.deepStrictEqual(Object.keys(violatingCases).sort(), allPolicyNames);
    });

    for (const [policy, cases] of Object.entries(violatingCases)) {
        for (const [branch, c] of Object.entries(cases)) {
            it(`reports ${policy}: ${branch}`, async () => {
                const stack = [c, ...(companions[branch] ?? [])].map((r, i) => ({ ...r, name: `case${i}` }));
                const found = await violations(stack, policy, c.stack);
                assert.strictEqual(found.length, 1, JSON.stringify(found));
                assert.strictEqual(found[0].policy, policy);
            });
        }
    }

    it("applies the production policies to production stacks only", async () => {
        const production = Object.entries(violatingCases).filter(([policy]) => policy.startsWith("production-"));
        assert.ok(production.length >= 3);
        for (const [policy, cases] of production) {
            for (const [branch, c] of Object.entries(cases)) {
                for (const stack of ["dev", "fargate-dev", "reproduce", "test"])
                    assert.deepStrictEqual(
                        await violations([{ ...c, name: "x" }], policy, stack),
                        [],
                        `${branch} in ${stack}`,
                    );
                for (const stack of ["prod", "fargate-prod", "prod-eu", "production"])
                    assert.strictEqual(
                        (await violations([{ ...c, name: "x" }], policy, stack)).length,
                        1,
                        `${branch} in ${stack}`,
                    );
            }
        }
    });

    it("leaves Windows task definitions out of the read-only root filesystem rule, which Windows does not support", async () => {
        const found = await violations(
            [{ type: "aws:ecs/taskDefinition:TaskDefinition", name: "win", inputs: windowsTask([{}]) }],
            "ecs-read-only-root-filesystem",
        );
        assert.deepStrictEqual(found, []);
    });

    it("keeps acr-public-network-disabled off unless enabled (pushing needs a network path)", () => {
        assert.strictEqual(
            (resourcePolicies.find((p) => p.name === "acr-public-network-disabled") as ResourceValidationPolicy)
                .enforcementLevel,
            "disabled",
        );
    });
});

describe("secrets in every stack", () => {
    /** Keys whose values are credentials wherever they appear. */
    const credentialKeys =
        /^(password|token|refresh_token|secureValue|clientSecret|accessKey|secretKey|authorizationToken)$/i;

    function unprotected(value: unknown, insideSecret = false, key = "", found: string[] = []): string[] {
        if (value && typeof value === "object") {
            const obj = value as Record<string, unknown>;
            const secret = insideSecret || obj["4dabf18193072939515e22adb298388d"] === mocks.secretSignature;
            for (const [k, v] of Object.entries(obj)) unprotected(v, secret, Array.isArray(value) ? key : k, found);
        } else if (typeof value === "string" && credentialKeys.test(key) && !insideSecret && value !== "") {
            found.push(`${key}=${value}`);
        }
        return found;
    }

    for (const file of stackFiles()) {
        it(`stack ${file}: every credential-like value is a secret`, async () => {
            await runProgram(stackConfig(file), file);
            const found = mocks.resources.flatMap((r) =>
                unprotected(r.wireInputs).map((f) => `${r.type} ${r.name}: ${f}`),
            );
            assert.deepStrictEqual(found, []);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });
    }

    it("the walk finds a plain password (so it can fail)", () => {
        assert.deepStrictEqual(unprotected({ registries: [{ password: "plain" }] }), ["password=plain"]);
        assert.deepStrictEqual(
            unprotected({
                registries: [{ password: { "4dabf18193072939515e22adb298388d": mocks.secretSignature, value: "x" } }],
            }),
            [],
        );
    });
});

describe("pushed images and the lifecycle policy", () => {
    interface StoredImage {
        digest: string;
        tagged: boolean;
        pushedDaysAgo: number;
    }

    /** What ECR's lifecycle evaluation keeps, for the two rule kinds the component writes. */
    function survivors(policy: { rules: { selection: Record<string, unknown> }[] }, images: StoredImage[]): string[] {
        const expired = new Set<string>();
        for (const { selection } of policy.rules) {
            const matching = images.filter((i) =>
                selection.tagStatus === "untagged" ? !i.tagged : selection.tagStatus === "tagged" ? i.tagged : true,
            );
            if (selection.countType === "sinceImagePushed")
                matching
                    .filter((i) => i.pushedDaysAgo > Number(selection.countNumber))
                    .forEach((i) => expired.add(i.digest));
            if (selection.countType === "imageCountMoreThan") {
                [...matching]
                    .sort((a, b) => a.pushedDaysAgo - b.pushedDaysAgo)
                    .slice(Number(selection.countNumber))
                    .forEach((i) => expired.add(i.digest));
            }
        }
        return images.filter((i) => !expired.has(i.digest)).map((i) => i.digest);
    }

    it("never expires the image a service runs by digest: each `pulumi up` pushes and deploys the newest tagged image", async () => {
        // A year of daily deployments: every push is tagged (the content tag) and the service runs the newest by digest.
        const images: StoredImage[] = Array.from({ length: 365 }, (_, day) => ({
            digest: `sha256:${day}`,
            tagged: true,
            pushedDaysAgo: day,
        }));
        images.push({ digest: "sha256:interrupted-push", tagged: false, pushedDaysAgo: 20 });
        const kept = survivors(
            ecrLifecyclePolicy(14, 100) as { rules: { selection: Record<string, unknown> }[] },
            images,
        );
        const running = "sha256:0";
        assert.ok(kept.includes(running), "the running image survives");
        assert.ok(
            kept.includes("sha256:99") && !kept.includes("sha256:100"),
            "the newest 100 tagged images stay for rollbacks",
        );
        assert.ok(!kept.includes("sha256:interrupted-push"), "untagged leftovers expire");
        // Tagged images never expire by age, however old the running one is.
        const quiet = [{ digest: "sha256:old-but-running", tagged: true, pushedDaysAgo: 900 }];
        assert.deepStrictEqual(
            survivors(ecrLifecyclePolicy(14, 100) as { rules: { selection: Record<string, unknown> }[] }, quiet),
            ["sha256:old-but-running"],
        );
    });

    it("keeps pushed images when the image resource is destroyed or replaced", async () => {
        mocks.setupMocks();
        const context = minimalModule();
        await mocks.valueOf(new GoWindowsImage("kept", { context, registry: { server: "localhost:5000" } }).imageRef);
        await mocks.settle();
        const image = mocks.ofType("docker-build:index:Image")[0];
        // retainOnDelete: destroying or replacing the resource leaves the pushed tag and digest in the registry.
        assert.strictEqual(image.retainOnDelete, true);
    });
});
