// The policy pack's rules, called directly on the resources the mocks capture: no violations for the stacks and the
// components' defaults, a reported violation for every policy, and no unprotected credential anywhere.
import * as assert from "assert";
import { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { EcsWindowsService, GoWindowsImage, WindowsContainerGroup, ecrLifecyclePolicy } from "../../components";
import { renderDockerfile } from "../../components/image";
import { findWindowsRelease } from "../../components/core";
import { checkedPolicyNames, resourcePolicies, stackPolicies } from "../../policy/rules";
import { minimalModule } from "../support/files";
import * as mocks from "../support/mocks";
import { runProgram, stackConfig, stackFiles } from "../support/program";

interface Violation {
    policy: string;
    resource: string;
    message: string;
}

/** What the policy engine hands a rule: the resource's inputs, with secrets unwrapped as the engine does. */
function asPolicyResource(r: {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    checkedInputs?: Record<string, unknown>;
}): PolicyResource & ResourceValidationArgs {
    // Policies run on inputs after the provider's check, auto-names included.
    const props = mocks.unwrapSecrets(r.checkedInputs ?? r.inputs) as Record<string, unknown>;
    const urn = `urn:pulumi:test::go-windows-containers::${r.type}::${r.name}`;
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
): Promise<Violation[]> {
    const found: Violation[] = [];
    const wanted = (p: { name: string; enforcementLevel?: string }) =>
        only ? p.name === only : p.enforcementLevel !== "disabled";
    const policyResources = resources.map(asPolicyResource);
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
        it(`finds no violation in stack ${file}`, async () => {
            await runProgram(stackConfig(file), file);
            assert.deepStrictEqual(await violations(mocks.resources), []);
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

    const windowsTask = (containers: object[], extra: object = {}) => ({
        runtimePlatform: { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" },
        executionRoleArn: "arn:aws:iam::1:role/exec",
        taskRoleArn: "arn:aws:iam::1:role/task",
        containerDefinitions: JSON.stringify(
            containers.map((c) => ({ name: "app", logConfiguration: { logDriver: "awslogs" }, ...c })),
        ),
        ...extra,
    });
    const dockerfile = (overrides: object = {}) => ({
        dockerfile: {
            inline: renderDockerfile({
                strategy: "cross",
                goVersion: "1.23",
                windows: findWindowsRelease("ltsc2022")!,
                baseImage: "nanoserver",
                packagePath: ".",
                binaryName: "app.exe",
                buildTags: [],
                ldflags: [],
                versionVariable: "main.version",
                env: {},
                ports: [],
                args: [],
                runtimeSetup: [],
                ...overrides,
            }),
        },
    });
    const acrProps = {
        sku: { name: "Standard" },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccess: "Enabled",
    };

    // For every policy, a resource that breaks it.
    const violating: Record<string, { type: string; inputs: Record<string, unknown> }[]> = {
        "ecr-scan-on-push": [
            { type: "aws:ecr/repository:Repository", inputs: { imageScanningConfiguration: { scanOnPush: false } } },
        ],
        "ecr-immutable-tags": [{ type: "aws:ecr/repository:Repository", inputs: { imageTagMutability: "MUTABLE" } }],
        "ecr-kms-encryption": [
            {
                type: "aws:ecr/repository:Repository",
                inputs: { encryptionConfigurations: [{ encryptionType: "AES256" }] },
            },
        ],
        "ecr-lifecycle-keeps-running-images": [
            {
                type: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
                inputs: {
                    policy: JSON.stringify({
                        rules: [
                            {
                                rulePriority: 1,
                                selection: { tagStatus: "any", countType: "sinceImagePushed", countNumber: 30 },
                            },
                        ],
                    }),
                },
            },
        ],
        "ecr-repository-policy-not-public": [
            {
                type: "aws:ecr/repositoryPolicy:RepositoryPolicy",
                inputs: {
                    policy: JSON.stringify({
                        Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
                    }),
                },
            },
        ],
        "ecs-container-insights": [
            {
                type: "aws:ecs/cluster:Cluster",
                inputs: { settings: [{ name: "containerInsights", value: "disabled" }] },
            },
        ],
        "ecs-separate-roles": [
            {
                type: "aws:ecs/taskDefinition:TaskDefinition",
                inputs: windowsTask([{}], { taskRoleArn: "arn:aws:iam::1:role/exec" }),
            },
        ],
        "ecs-not-privileged": [
            { type: "aws:ecs/taskDefinition:TaskDefinition", inputs: windowsTask([{ privileged: true }]) },
        ],
        "ecs-no-secrets-in-environment": [
            {
                type: "aws:ecs/taskDefinition:TaskDefinition",
                inputs: windowsTask([{ environment: [{ name: "DB_PASSWORD", value: "x" }] }]),
            },
        ],
        "ecs-log-configuration": [
            { type: "aws:ecs/taskDefinition:TaskDefinition", inputs: windowsTask([{ logConfiguration: {} }]) },
        ],
        "ecs-non-admin-user": [
            {
                type: "aws:ecs/taskDefinition:TaskDefinition",
                inputs: windowsTask([{ user: "ContainerAdministrator" }]),
            },
            {
                type: "aws:ecs/taskDefinition:TaskDefinition",
                inputs: windowsTask([{}], { runtimePlatform: { operatingSystemFamily: "LINUX" } }),
            },
        ],
        "ecs-read-only-root-filesystem": [
            {
                type: "aws:ecs/taskDefinition:TaskDefinition",
                inputs: windowsTask([{ user: "1000" }], { runtimePlatform: { operatingSystemFamily: "LINUX" } }),
            },
        ],
        "ecs-no-public-ip": [
            { type: "aws:ecs/service:Service", inputs: { networkConfiguration: { assignPublicIp: true } } },
        ],
        "ecs-fargate-latest-platform": [
            { type: "aws:ecs/service:Service", inputs: { launchType: "FARGATE", platformVersion: "1.0.0" } },
        ],
        "acr-admin-user-disabled": [
            { type: "azure-native:containerregistry:Registry", inputs: { ...acrProps, adminUserEnabled: true } },
        ],
        "acr-anonymous-pull-disabled": [
            { type: "azure-native:containerregistry:Registry", inputs: { ...acrProps, anonymousPullEnabled: true } },
        ],
        "acr-public-network-disabled": [{ type: "azure-native:containerregistry:Registry", inputs: acrProps }],
        "acr-sku-standard-or-premium": [
            { type: "azure-native:containerregistry:Registry", inputs: { ...acrProps, sku: { name: "Basic" } } },
        ],
        "acr-premium-quarantine-and-retention": [
            {
                type: "azure-native:containerregistry:Registry",
                inputs: {
                    ...acrProps,
                    sku: { name: "Premium" },
                    policies: { retentionPolicy: { status: "enabled", days: 7 } },
                },
            },
            {
                type: "azure-native:containerregistry:Registry",
                inputs: {
                    ...acrProps,
                    sku: { name: "Premium" },
                    policies: { quarantinePolicy: { status: "enabled" } },
                },
            },
        ],
        "acr-premium-zone-redundancy": [
            { type: "azure-native:containerregistry:Registry", inputs: { ...acrProps, sku: { name: "Premium" } } },
        ],
        "acr-no-repository-tokens": [
            { type: "azure-native:containerregistry:Token", inputs: { scopeMapId: "/scopeMaps/pull" } },
        ],
        "aci-no-public-ip": [
            {
                type: "azure-native:containerinstance:ContainerGroup",
                inputs: { identity: { type: "UserAssigned" }, ipAddress: { type: "Public" } },
            },
        ],
        "aci-secure-environment": [
            {
                type: "azure-native:containerinstance:ContainerGroup",
                inputs: {
                    identity: { type: "UserAssigned" },
                    containers: [{ environmentVariables: [{ name: "API_KEY", value: "x" }] }],
                },
            },
        ],
        "aci-managed-identity": [{ type: "azure-native:containerinstance:ContainerGroup", inputs: { containers: [] } }],
        "dockerfile-healthcheck": [{ type: "docker-build:index:Image", inputs: dockerfile() }],
        "dockerfile-non-admin-user": [
            {
                type: "docker-build:index:Image",
                inputs: {
                    dockerfile: {
                        inline: "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n",
                    },
                },
            },
            {
                type: "docker-build:index:Image",
                inputs: { dockerfile: { inline: "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n" } },
            },
        ],
        "dockerfile-pinned-base": [
            {
                type: "docker-build:index:Image",
                inputs: dockerfile({ baseImageRef: "mcr.microsoft.com/windows/nanoserver" }),
            },
            { type: "docker-build:index:Image", inputs: dockerfile({ builderImageRef: "golang:latest" }) },
        ],
        "ecr-lifecycle-policy": [{ type: "aws:ecr/repository:Repository", inputs: { name: "orphan" } }],
    };

    it("has a violating case for every policy", () => {
        assert.deepStrictEqual(Object.keys(violating).sort(), allPolicyNames);
    });

    for (const [policy, cases] of Object.entries(violating)) {
        it(`reports ${policy}`, async () => {
            for (const [i, c] of cases.entries()) {
                const found = await violations([{ ...c, name: `case${i}` }], policy);
                assert.strictEqual(found.length, 1, `case ${i} of ${policy}: ${JSON.stringify(found)}`);
                assert.strictEqual(found[0].policy, policy);
            }
        });
    }

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
