// Pulumi mocks shared by the tests: they stand in for the clouds, record every resource and call, and keep secret markers.
import * as assert from "assert";
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { autoName, physicalName } from "./autonaming";
import { presentMocksAsEngine } from "./engineMonitor";
import { imageIndexProvider } from "../../components/registries/imageIndexProvider";
import type { ImageIndexInputs } from "../../components/registries/imageIndexProvider";
import { buildImageIndex } from "../../components/registries/indexManifest";
import { daemonlessImageProvider } from "../../components/image/daemonlessProvider";
import type { DaemonlessImageInputs } from "../../components/image/daemonlessProvider";
import {
    holdsPushes,
    isRealRegistry,
    recordImagePush,
    recordPush,
    registryImageLookup,
    registryResponse,
    resetRegistry,
} from "./fakeRegistry";

/** A resource the program registered, as the engine would see it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    /** Inputs as the program declared them, with secrets unwrapped. */
    readonly inputs: Record<string, unknown>;
    /** Inputs after the provider's check: auto-names filled in, as the engine stores them and policies see them. */
    readonly checkedInputs: Record<string, unknown>;
    /** Inputs as serialized for the engine: secrets still wrapped in their signature objects. */
    readonly wireInputs: Record<string, unknown>;
    /** The URN of the parent resource, if any, as the mock monitor makes it. */
    readonly parent: string;
    /** The URN the engine gives the resource: the full chain of parent types, as pulumi/pulumi's resource.NewURN. */
    readonly urn: string;
    /** The engine URN of the parent ("" for none). */
    readonly parentUrn: string;
    /** The `aliases` option as the engine receives it (alias specs with the parent's engine URN). */
    readonly aliasSpecs: AliasSpec[];
    readonly dependencies: string[];
    /** The `retainOnDelete` resource option. */
    readonly retainOnDelete: boolean;
    /** The names (or URNs) the resource was known by before: its `aliases` option. */
    readonly aliases: string[];
    /** The names of the error hooks bound to the resource (`hooks: { onError }`). */
    readonly errorHooks: string[];
    /** The `ignoreChanges` resource option. */
    readonly ignoreChanges: string[];
    /** The `additionalSecretOutputs` resource option. */
    readonly additionalSecretOutputs: string[];
}

/** An alias as the engine receives it: an old URN, or the parts of one (left out: the resource's own). */
export interface AliasSpec {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly stack?: string;
    readonly project?: string;
    /** The old parent's engine URN. */
    readonly parentUrn?: string;
    /** The resource had no parent. */
    readonly noParent?: boolean;
}

export interface RecordedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
}

/** Values the mocked clouds hand out as credentials; tests look for them where they must not be. */
export const fakeCredentials = {
    ecrPassword: "ecr-password-ABCDEF0123456789",
    aadToken: "aad-access-token-0123456789",
    acrRefreshToken: "acr-refresh-token-9876543210",
    registryPassword: "registry-password-secret-42",
    workspaceKey: "log-analytics-shared-key-77",
};

export const resources: RecordedResource[] = [];
/** Requests to an Azure Container Registry's token endpoint, answered by the stand-in below. */
export const acrExchanges: { url: string; body: string }[] = [];

export const calls: RecordedCall[] = [];
/** The names of the hooks the program registered with the engine. */
export const registeredHooks: string[] = [];

const realFetch = globalThis.fetch;
/**
 * The ACR token endpoint is cloud too: while the mocks are installed, a stand-in answers it as ACR does; any other
 * request goes to the real fetch. Installed by `setupMocks`, never on import.
 */
const acrStandInFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    if (/^https:\/\/[^/]+\.azurecr\.io\/oauth2\/exchange$/.test(String(url))) {
        acrExchanges.push({ url: String(url), body: String(init?.body) });
        // Registries named "denied…" refuse the token, "empty…" answer without one, as a misconfigured ACR would.
        if (String(url).startsWith("https://denied")) return new Response("{}", { status: 401 });
        if (String(url).startsWith("https://empty")) return new Response("{}", { status: 200 });
        return new Response(JSON.stringify({ refresh_token: fakeCredentials.acrRefreshToken }), { status: 200 });
    }
    // Public registries (Microsoft's, Docker Hub, mirrors) are cloud too; a registry on this machine is real.
    const registryAnswer = registryResponse(String(url), init);
    if (registryAnswer) return registryAnswer;
    return realFetch(url, init);
}) as typeof fetch;

/** The RPC protocol's marker for a value that is unknown during a preview. */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The signature Pulumi puts on serialized secret values. */
export const secretSignature = "1b47061264138c4ac30d75fd1eb44270";
const specialSigKey = "4dabf18193072939515e22adb298388d";

function fakeDigest(seed: string): string {
    return `sha256:${crypto.createHash("sha256").update(seed).digest("hex")}`;
}

/**
 * The random part of an Elastic Load Balancing ARN in the mocks: per stack, since two stacks' load balancers and
 * target groups are different resources even when their logical names agree.
 */
export function elbId(stack = "test"): string {
    return crypto.createHash("sha256").update(`elb/${stack}`).digest("hex").slice(0, 16);
}

/** A listener's ARN extends its load balancer's: `listener/app/<name>/<lb id>/<listener id>`. */
export const listenerArnOf = (loadBalancerArn: string, name: string, stack = pulumi.getStack()) =>
    `${loadBalancerArn.replace(":loadbalancer/", ":listener/")}/${fakeDigest(`${stack}/${name}`).slice(7, 23)}`;

/** A listener rule's ARN extends its listener's. */
export const listenerRuleArnOf = (listenerArn: string, name: string, stack = pulumi.getStack()) =>
    `${listenerArn.replace(":listener/", ":listener-rule/")}/${fakeDigest(`${stack}/${name}`).slice(7, 23)}`;

/** Fills in the outputs a real provider would compute for the resource types this project creates. */
function outputsFor(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
    const id = elbId(pulumi.getStack());
    switch (type) {
        case "aws:ecr/repository:Repository":
            return {
                ...inputs,
                arn: `arn:aws:ecr:us-east-1:123456789012:repository/${inputs.name}`,
                registryId: "123456789012",
                repositoryUrl: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${inputs.name}`,
            };
        case "azure-native:containerregistry:Registry":
            return {
                ...inputs,
                name: inputs.registryName,
                loginServer: `${String(inputs.registryName).toLowerCase()}.azurecr.io`,
            };
        case "docker-build:index:Image": {
            const digest = fakeDigest(JSON.stringify(inputs.tags));
            recordPushes(inputs, digest);
            return { ...inputs, digest, contextHash: "provider-context-hash" };
        }
        case "docker:index/image:Image":
            return {
                ...inputs,
                repoDigest: `${String(inputs.imageName).split(":").slice(0, -1).join(":")}@${fakeDigest(String(inputs.imageName))}`,
            };
        case "aws:cloudwatch/logGroup:LogGroup":
            return {
                ...inputs,
                name: physicalName(type, inputs) ?? inputs.name ?? `${name}-0000`,
                arn: `arn:aws:logs:us-east-1:123456789012:log-group:${name}-0000`,
            };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                ...inputs,
                arn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/${name}/${id}`,
                dnsName: `${name}-123.us-east-1.elb.amazonaws.com`,
                arnSuffix: `app/${name}/${id}`,
                zoneId: "Z35SXDOTRQ7X7K",
            };
        case "aws:lb/listener:Listener":
            return { ...inputs, arn: listenerArnOf(String(inputs.loadBalancerArn), name) };
        case "aws:lb/listenerRule:ListenerRule":
            return { ...inputs, arn: listenerRuleArnOf(String(inputs.listenerArn), name) };
        case "aws:lb/targetGroup:TargetGroup":
            return {
                ...inputs,
                arn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/${id}`,
                arnSuffix: `targetgroup/${name}/${id}`,
            };
        case "aws:lambda/function:Function": {
            const functionName = physicalName(type, inputs) ?? `${name}-0000`;
            return {
                ...inputs,
                name: functionName,
                arn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
            };
        }
        case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
            return { ...inputs, arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${String(inputs.alarmName)}` };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { ...inputs, arn: `arn:aws:ec2:us-east-1:123456789012:launch-template/${name}`, latestVersion: 1 };
        case "azure-native:managedidentity:UserAssignedIdentity":
            return {
                ...inputs,
                principalId: `principal-of-${name}`,
                clientId: `client-of-${name}`,
                id: `/identities/${name}`,
            };
        case "azure-native:containerinstance:ContainerGroup": {
            const address = inputs.ipAddress as { type?: string; dnsNameLabel?: string } | undefined;
            return {
                ...inputs,
                name: physicalName(type, inputs),
                id: `/containerGroups/${name}`,
                ipAddress: address && {
                    ...address,
                    ip: address.type === "Private" ? "10.1.0.4" : "20.0.0.1",
                    fqdn: address.dnsNameLabel ? `${address.dnsNameLabel}.westeurope.azurecontainer.io` : undefined,
                },
            };
        }
        case "azure-native:operationalinsights:Workspace":
            return {
                ...inputs,
                name: physicalName(type, inputs),
                customerId: `customer-id-of-${name}`,
            };
        default:
            // Most providers name a resource after its logical name and give AWS resources an ARN.
            return {
                ...inputs,
                name: physicalName(type, inputs) ?? inputs.name ?? `${name}-0000`,
                ...(type.startsWith("aws:")
                    ? { arn: `arn:aws:${type.split(":")[1].split("/")[0]}:us-east-1:123456789012:${name}` }
                    : {}),
            };
    }
}

/** The id the cloud gives a resource: an ARM resource id for a workspace (hosts parse it), `<name>-id` otherwise. */
function resourceId(type: string, name: string, inputs: Record<string, unknown>): string {
    if (type !== "azure-native:operationalinsights:Workspace") return `${name}-id`;
    return (
        `/subscriptions/00000000-0000-0000-0000-00000000feed/resourceGroups/${String(inputs.resourceGroupName)}` +
        `/providers/Microsoft.OperationalInsights/workspaces/${physicalName(type, inputs)}`
    );
}

/** Records in the registry stand-in what a docker-build image pushed: each tag, readable with its credentials. */
export function recordPushes(inputs: Record<string, unknown>, digest: string): void {
    const dockerfile = (inputs.dockerfile as { inline?: string } | undefined)?.inline;
    if (!dockerfile) return;
    const logins = (unwrapSecrets(inputs.registries) as { username: string; password: string }[] | undefined) ?? [];
    for (const tagged of (inputs.tags as string[] | undefined) ?? []) recordPush(tagged, dockerfile, digest, logins[0]);
}

/** The token of ImageIndex, the dynamic resource. */
export const imageIndexType = "pulumi-nodejs:dynamic/go-windows-containers:ImageIndex";

/**
 * ImageIndex as the engine runs it: its provider's check, then its create, against the registry stand-in when the
 * program pushed images there or against a registry that really runs (the integration suite's); elsewhere the digest and reference the provider would report for the entries. A
 * preview creates nothing and knows no digest.
 */
async function imageIndexOutputs(inputs: Record<string, unknown>, preview: boolean): Promise<Record<string, unknown>> {
    if (preview) return { ...inputs, digest: unknownValue, ref: unknownValue };
    const plain = unwrapSecrets(inputs) as unknown as ImageIndexInputs;
    const { failures } = await imageIndexProvider.check(plain, plain);
    if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("; "));
    if (holdsPushes(plain.registry) || isRealRegistry(plain.registry))
        return { ...inputs, ...(await imageIndexProvider.create(plain)).outs };
    const digest = buildImageIndex(plain.entries).digest;
    return { ...inputs, digest, ref: `${plain.registry}/${plain.repository}@${digest}` };
}

/** The token of DaemonlessWindowsImage, the `daemonless` strategy's dynamic resource. */
export const daemonlessImageType = "pulumi-nodejs:dynamic/go-windows-containers:DaemonlessWindowsImage";

/**
 * DaemonlessWindowsImage as the engine runs it: its provider's check, then its create (Go compiles and the images
 * are pushed) against a registry that really runs (the integration suite's). Elsewhere the images the provider
 * would push are recorded in the registry stand-in, as docker-build's are, under digests made from their tags. A
 * preview creates nothing and knows no digest.
 */
async function daemonlessImageOutputs(inputs: Record<string, unknown>, preview: boolean) {
    const unknowns = { pushed: unknownValue, binaryDigest: unknownValue, layerDigest: unknownValue };
    if (preview) return { ...inputs, ...unknowns };
    const plain = unwrapSecrets(inputs) as unknown as DaemonlessImageInputs;
    const { failures } = await daemonlessImageProvider.check(plain, plain);
    if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("; "));
    if (isRealRegistry(plain.registry)) return { ...inputs, ...(await daemonlessImageProvider.create(plain)).outs };
    const login = plain.username && plain.password ? { username: plain.username, password: plain.password } : undefined;
    const pushed = Object.fromEntries(
        plain.images.map((image) => {
            const digest = fakeDigest(`${plain.registry}/${plain.repository}:${image.tag}`);
            const tagged = `${plain.registry}/${plain.repository}:${image.tag}`;
            const described = recordImagePush(tagged, image.base, digest, login);
            return [
                image.windowsVersion,
                { tag: image.tag, digest, ...described, baseManifest: fakeDigest(image.base) },
            ];
        }),
    );
    const binaryDigest = fakeDigest(`binary ${plain.source.contentHash} ${JSON.stringify(plain.goFlags)}`);
    return { ...inputs, pushed, binaryDigest, layerDigest: fakeDigest(`layer ${binaryDigest}`) };
}

/**
 * The ECR repositories that exist in the account before a run, by name, with their KMS key: what ECR's
 * DescribeRepositories answers (`aws.ecr.getRepositories`, `aws.ecr.getRepository`). Empty unless a test fills it.
 */
export const ecrRepositories = new Map<string, { kmsKey: string }>();

function callResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "aws:ecr/getRepositories:getRepositories":
            return { id: "us-east-1", names: [...ecrRepositories.keys()] };
        case "aws:ecr/getRepository:getRepository": {
            const repository = ecrRepositories.get(String(inputs.name));
            if (!repository) throw new Error(`RepositoryNotFoundException: ${String(inputs.name)}`);
            return {
                name: inputs.name,
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: repository.kmsKey }],
                repositoryUrl: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${String(inputs.name)}`,
            };
        }
        case "docker:index/getRegistryImage:getRegistryImage":
            return registryImageLookup(String(inputs.name));
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return {
                userName: "AWS",
                password: fakeCredentials.ecrPassword,
                authorizationToken: Buffer.from(`AWS:${fakeCredentials.ecrPassword}`).toString("base64"),
                proxyEndpoint: "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
                expiresAt: "2030-01-01T00:00:00Z",
                id: "123456789012",
                region: "us-east-1",
            };
        case "azure-native:authorization:getClientConfig":
            return {
                clientId: "client-id",
                objectId: "object-id",
                subscriptionId: "00000000-0000-0000-0000-00000000feed",
                tenantId: "tenant-id-1234",
            };
        case "azure-native:operationalinsights:getSharedKeys":
            return { primarySharedKey: fakeCredentials.workspaceKey, secondarySharedKey: "second-key" };
        case "azure-native:operationalinsights:getWorkspace":
            return { customerId: "customer-id-of-the-given-workspace", name: "given" };
        case "azure-native:authorization:getClientToken":
            return { token: fakeCredentials.aadToken };
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
            // The document the provider renders from the statements.
            const statements = (inputs.statements as Record<string, unknown>[] | undefined) ?? [];
            const Statement = statements.map((s) => ({
                Effect: s.effect ?? "Allow",
                Action: s.actions,
                Resource: s.resources,
            }));
            return { json: JSON.stringify({ Version: "2012-10-17", Statement }), id: "policy" };
        }
        case "aws:ec2/getSubnets:getSubnets":
            // The subnets of the VPC the filter names, as a user's program looks them up.
            return { ids: ["subnet-looked-up-a", "subnet-looked-up-b"], id: "us-east-1" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: "123456789012",
                arn: "arn:aws:iam::123456789012:user/deployer",
                userId: "AIDADEPLOYER",
                id: "123456789012",
            };
        case "aws:index/getRegion:getRegion":
            return { name: "us-east-1", region: "us-east-1", id: "us-east-1", description: "US East (N. Virginia)" };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
        case "aws:ssm/getParameter:getParameter":
            return {
                value: "ami-0123456789abcdef0",
                type: "String",
                arn: "arn:aws:ssm:us-east-1::parameter/x",
                version: 1,
            };
        default:
            return {};
    }
}

// Records the inputs as serialized, before the mock monitor unwraps secrets.
const originalRegister = MockMonitor.prototype.registerResource;
interface WireRecord {
    wire: Record<string, unknown>;
    parent: string;
    dependencies: string[];
    retainOnDelete: boolean;
    aliases: string[];
    aliasSpecs: AliasSpec[];
    errorHooks: string[];
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
}
const wireInputsByName = new Map<string, WireRecord>();
/** The parts of the engine's RegisterResourceRequest that the recorder reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getRetainondelete(): boolean | undefined;
    getAliasesList(): { toObject(): { urn?: string; spec?: RawAliasSpec } }[];
    getHooks(): { getOnErrorList(): string[] } | undefined;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RawAliasSpec {
    name?: string;
    type?: string;
    stack?: string;
    project?: string;
    parenturn?: string;
    noparent?: boolean;
}

/** Mock monitor URN → the engine's URN of the same resource (the mock keeps only the parent's last type). */
const engineUrns = new Map<string, string>();

/** The mock monitor's URN of a resource, as MockMonitor.newUrn makes it. */
function mockUrn(parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

/** The engine's URN: the parent's qualified type chain, then the type (pulumi/pulumi resource.NewURN). */
function engineUrn(parentEngineUrn: string, type: string, name: string): string {
    const qualified = parentEngineUrn ? `${parentEngineUrn.split("::")[2]}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

function aliasSpecOf(alias: { urn?: string; spec?: RawAliasSpec }): AliasSpec {
    if (alias.urn) return { urn: alias.urn };
    const spec = alias.spec ?? {};
    return {
        name: spec.name || undefined,
        type: spec.type || undefined,
        stack: spec.stack || undefined,
        project: spec.project || undefined,
        parentUrn: spec.parenturn ? (engineUrns.get(spec.parenturn) ?? spec.parenturn) : undefined,
        noParent: spec.noparent || undefined,
    };
}

/** Wraps the mock monitor's registration so that it records the wire form; done once, by `setupMocks`. */
function recordWireInputs(): void {
    if (MockMonitor.prototype.registerResource !== originalRegister) return;
    MockMonitor.prototype.registerResource = function (
        req: RegisterRequest,
        callback: (err: unknown, response: unknown) => void,
    ) {
        wireInputsByName.set(`${req.getType()}::${req.getName()}`, {
            wire: req.getObject()?.toJavaScript() ?? {},
            parent: req.getParent(),
            dependencies: req.getDependenciesList(),
            retainOnDelete: req.getRetainondelete() ?? false,
            // The SDK adds nameless aliases that follow the parent's; only the resource's own are kept.
            aliases: req
                .getAliasesList()
                .map((a) => a.toObject())
                .map((alias) => alias.urn || alias.spec?.name || "")
                .filter((alias) => alias !== ""),
            aliasSpecs: req.getAliasesList().map((a) => aliasSpecOf(a.toObject())),
            errorHooks: req.getHooks()?.getOnErrorList() ?? [],
            ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        return originalRegister.call(this, req, callback);
    };
    // The mock monitor has no hook registration; the engine's answers it as an acknowledgement.
    const monitor = MockMonitor.prototype as unknown as Record<string, unknown>;
    monitor.registerErrorHook = monitor.registerResourceHook = (
        req: { getName(): string },
        callback: (err: unknown, response: unknown) => void,
    ) => {
        registeredHooks.push(req.getName());
        callback(null, {});
    };
}

/** A custom resource as the engine hands it to a provider: auto-named inputs, and the default outputs. */
export interface ProviderRequest {
    readonly type: string;
    readonly name: string;
    /** The engine's URN, and what the engine needs to find the resource's old state and diff against it. */
    readonly urn: string;
    readonly parentUrn: string;
    readonly aliasSpecs: readonly AliasSpec[];
    readonly ignoreChanges: readonly string[];
    readonly inputs: Record<string, unknown>;
    /** What the mocked provider returns by default. */
    readonly outputs: Record<string, unknown>;
}

/**
 * Stands in for the engine and the cloud behind it (see fakeCloud.ts): returns a custom resource's outputs, or
 * undefined to let the mock's defaults stand.
 */
export type FakeEngine = (request: ProviderRequest) => Record<string, unknown> | undefined;

/**
 * Installs the mocks; `preview` decides whether the run is a preview, `stack` seeds auto-names. Clears what earlier
 * tests recorded. `engine`, when given, decides every custom resource's outputs.
 */
export function setupMocks(preview = false, stack = "test", engine?: FakeEngine): void {
    resources.length = 0;
    calls.length = 0;
    acrExchanges.length = 0;
    registeredHooks.length = 0;
    ecrRepositories.clear();
    wireInputsByName.clear();
    engineUrns.clear();
    globalThis.fetch = acrStandInFetch;
    resetRegistry();
    recordWireInputs();
    // setMocks resolves once the mock monitor is installed, which happens synchronously.
    void pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const wire = wireInputsByName.get(`${args.type}::${args.name}`);
                const parentUrn = wire?.parent ? (engineUrns.get(wire.parent) ?? "") : "";
                const urn = engineUrn(parentUrn, args.type, args.name);
                engineUrns.set(mockUrn(wire?.parent ?? "", args.type, args.name), urn);
                // The engine sees (and policies check) inputs after the provider has filled in auto-names, and assets
                // by their contents (as it hashes them), not as the SDK's objects.
                const inputs = args.custom
                    ? autoName(stack, args.type, args.name, assetsAsContents(args.inputs, wire?.wire ?? {}))
                    : args.inputs;
                resources.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    checkedInputs: inputs,
                    wireInputs: wire?.wire ?? {},
                    parent: wire?.parent ?? "",
                    urn,
                    parentUrn,
                    aliasSpecs: wire?.aliasSpecs ?? [],
                    dependencies: wire?.dependencies ?? [],
                    retainOnDelete: wire?.retainOnDelete ?? false,
                    aliases: wire?.aliases ?? [],
                    errorHooks: wire?.errorHooks ?? [],
                    ignoreChanges: wire?.ignoreChanges ?? [],
                    additionalSecretOutputs: wire?.additionalSecretOutputs ?? [],
                });
                if (!args.custom) return { id: undefined, state: {} };
                const request = {
                    type: args.type,
                    name: args.name,
                    inputs,
                    urn,
                    parentUrn,
                    aliasSpecs: wire?.aliasSpecs ?? [],
                    ignoreChanges: wire?.ignoreChanges ?? [],
                };
                if (args.type === daemonlessImageType) {
                    return daemonlessImageOutputs(inputs, preview).then((outputs) => ({
                        id: `${args.name}-id`,
                        state: engine?.({ ...request, outputs }) ?? outputs,
                    }));
                }
                if (args.type === imageIndexType) {
                    return imageIndexOutputs(inputs, preview).then((outputs) => ({
                        id: `${args.name}-id`,
                        state: engine?.({ ...request, outputs }) ?? outputs,
                    }));
                }
                const outputs = outputsFor(args.type, args.name, inputs);
                const state = engine?.({ ...request, outputs }) ?? outputs;
                return { id: resourceId(args.type, args.name, inputs), state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                calls.push({ token: args.token, inputs: args.inputs });
                return callResult(args.token, args.inputs);
            },
        },
        "go-windows-containers",
        stack,
        preview,
    );
    presentMocksAsEngine();
}

/** A serialized asset or archive: its contents (text, or the assets it holds), without the SDK's signature keys. */
function assetContents(wire: unknown): unknown {
    if (Array.isArray(wire)) return wire.map(assetContents);
    if (!wire || typeof wire !== "object") return wire;
    return Object.fromEntries(
        Object.entries(wire as Record<string, unknown>)
            .filter(([key]) => key !== specialSigKey && !key.startsWith("__pulumi"))
            .map(([key, value]) => [key, assetContents(value)]),
    );
}

/** Inputs with each asset or archive (a Lambda function's `code`) replaced by its serialized contents. */
function assetsAsContents(inputs: Record<string, unknown>, wire: Record<string, unknown>): Record<string, unknown> {
    const isAsset = (value: unknown) => pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value);
    if (!Object.values(inputs).some(isAsset)) return inputs;
    return Object.fromEntries(
        Object.entries(inputs).map(([key, value]) => [key, isAsset(value) ? assetContents(wire[key]) : value]),
    );
}

/** The value of an Output once it resolves (undefined while unknown, as in a preview). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** An output's internals: its value even when unknown (as in a preview), and whether it is known. */
interface OutputInternals {
    promise(withUnknowns?: boolean): Promise<unknown>;
    isKnown: Promise<boolean>;
}

/** Waits until `output` settles, known or not (`valueOf` never returns for a value a preview does not know). */
export async function settled(output: pulumi.Output<unknown>): Promise<{ value: unknown; known: boolean }> {
    const internals = output as unknown as OutputInternals;
    const value = await internals.promise(true);
    return { value, known: await internals.isKnown };
}

/** Waits for every pending registration and apply of the runtime. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Resources of one type, in registration order. */
export function ofType(type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

/** The one resource of `type` the program registered; fails when it registered none or more than one. */
export function onlyOfType(type: string): RecordedResource {
    const found = ofType(type);
    assert.strictEqual(found.length, 1, type);
    return found[0];
}

/** Every string inside a value, with whether it sits inside a serialized secret. */
export function stringsIn(value: unknown, insideSecret = false, out: { value: string; secret: boolean }[] = []) {
    if (typeof value === "string") out.push({ value, secret: insideSecret });
    else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, insideSecret, out));
    else if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        const isSecret = obj[specialSigKey] === secretSignature;
        for (const [k, v] of Object.entries(obj)) {
            if (k === specialSigKey) continue;
            stringsIn(v, insideSecret || isSecret, out);
        }
    }
    return out;
}

/** A value with Pulumi's serialized secret envelopes removed. */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[specialSigKey] === secretSignature) return unwrapSecrets(obj.value);
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** Places where a credential appears without secret protection in any recorded resource's serialized inputs. */
export function exposedCredentials(): string[] {
    const needles = Object.values(fakeCredentials);
    const found: string[] = [];
    for (const r of resources) {
        for (const s of stringsIn(r.wireInputs)) {
            if (!s.secret && needles.some((n) => s.value.includes(n))) found.push(`${r.type} ${r.name}: ${s.value}`);
        }
    }
    return found;
}
