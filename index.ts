// The program: builds the sample Go service in app/ into a Windows image, pushes it, and runs it on the stack's host.
import * as pulumi from "@pulumi/pulumi";
import {
    EcsWindowsService,
    GoWindowsImage,
    GoWindowsImageArgs,
    WindowsContainerGroup,
    XrayTransactionSearch,
} from "./components";
import { HostSettings, RegistrySettings, readProgramConfig } from "./config";

const config = new pulumi.Config();
const settings = readProgramConfig((key) => config.get(key));
for (const notice of settings.notices) void pulumi.log.info(notice);
const port = 8080;
/** The service's settings for this stack, passed as environment variables: configuration stays out of the image. */
const environment = {
    ENVIRONMENT: pulumi.getStack(),
    ...(settings.app.greeting ? { GREETING: settings.app.greeting } : {}),
};
/** API_TOKEN on Azure: a secret config value (`pulumi config set --secret apiToken ...`, or from Key Vault through ESC). */
const apiToken = config.getSecret("apiToken");

/** The image's registry argument for the stack's registry kind. */
function registryArgs(registry: RegistrySettings): Pick<GoWindowsImageArgs, "ecr" | "acr" | "registry"> {
    switch (registry.kind) {
        case "ecr":
            return { ecr: {} };
        case "acr":
            return { acr: { resourceGroupName: registry.resourceGroup, registryName: registry.registryName } };
        case "existing":
            return { registry: { server: registry.server, repositoryName: "samples/hello" } };
    }
}

const image = new GoWindowsImage("hello", {
    context: "app",
    ...settings.image,
    ports: [port],
    env: { PORT: String(port) },
    healthCheck: { args: ["healthcheck"] },
    ...registryArgs(settings.registry),
});

/** What the stack exports about the service; undefined where the host has no such thing. */
interface ServiceOutputs {
    readonly url: pulumi.Output<string | undefined>;
    readonly smokeTestFunctionName?: pulumi.Output<string | undefined>;
    readonly smokeTestLogGroupName?: pulumi.Output<string | undefined>;
    readonly testListenerUrl?: pulumi.Output<string | undefined>;
    readonly chaosExperimentTemplateId?: pulumi.Output<string | undefined>;
    readonly chaosStopAlarmName?: pulumi.Output<string | undefined>;
    readonly collectorImageRef?: pulumi.Output<string | undefined>;
}

/** Runs the image on the stack's host; returns what the stack exports about it. */
function deploy(host: HostSettings): ServiceOutputs {
    switch (host.kind) {
        case "none":
            return { url: pulumi.output(undefined) };
        case "fargate":
        case "ec2": {
            // Once per account and region: the stack that owns the account's settings turns it on.
            if (host.transactionSearch) new XrayTransactionSearch("transaction-search");
            const service = new EcsWindowsService("hello", {
                imageRef: image.imageRef,
                windowsVersion: settings.image.windowsVersion,
                windowsVersions: settings.image.windowsVersions,
                healthCheckCommand: image.healthCheckCommand,
                capacity: host.kind,
                hostWindowsVersion: host.kind === "ec2" ? host.hostWindowsVersion : undefined,
                vpcId: host.vpcId,
                subnetIds: host.subnetIds,
                port,
                cpu: host.cpu,
                memory: host.memory,
                desiredCount: host.desiredCount,
                loadBalancer: host.loadBalancerSubnetIds ? { subnetIds: host.loadBalancerSubnetIds } : undefined,
                ec2: host.kind === "ec2" && host.instanceType ? { instanceType: host.instanceType } : undefined,
                environment,
                // By reference: ECS reads the value when a task starts; the execution role may read only this one.
                secrets: host.apiTokenSecretArn ? { API_TOKEN: host.apiTokenSecretArn } : undefined,
                deployment: {
                    strategy: host.deploymentStrategy,
                    canaryPercent: host.canaryPercent,
                    tests: host.smokeTestPaths
                        ? {
                              checks: host.smokeTestPaths.map((path) => ({ path })),
                              sourceCidrBlocks: host.testListenerSourceCidrBlocks,
                          }
                        : undefined,
                },
                alarms: host.alarmTopicArn ? { notifyTopicArn: host.alarmTopicArn } : undefined,
                logRetentionDays: host.logRetentionDays,
                chaosDrill: host.chaosDrill ? {} : undefined,
                traces: host.traces ? { serviceName: "hello" } : undefined,
            });
            return {
                url: service.url,
                smokeTestFunctionName: service.smokeTestFunctionName,
                smokeTestLogGroupName: service.smokeTestLogGroupName,
                testListenerUrl: service.testListenerUrl,
                chaosExperimentTemplateId: service.chaosExperimentTemplateId,
                chaosStopAlarmName: service.chaosStopAlarmName,
                collectorImageRef: service.collectorImageRef,
            };
        }
        case "aci":
            return {
                url: new WindowsContainerGroup("hello", {
                    imageRef: image.imageRef,
                    windowsVersion: settings.image.windowsVersion,
                    windowsVersions: settings.image.windowsVersions,
                    resourceGroupName: host.resourceGroup,
                    registryServer: image.registryServer,
                    registryId: image.acrRegistryId,
                    ports: [port],
                    cpu: host.cpu,
                    memoryGb: host.memoryGb,
                    subnetId: host.subnetId,
                    dnsNameLabel: host.dnsNameLabel,
                    environment,
                    secureEnvironment: apiToken ? { API_TOKEN: apiToken } : undefined,
                    logRetentionDays: host.logRetentionDays,
                    alerts: host.actionGroupId ? { actionGroupId: host.actionGroupId } : undefined,
                }).url,
            };
    }
}

export const imageRef = image.imageRef;
export const repositoryUrl = image.repositoryUrl;
export const tag = image.tag;
export const windowsVersion = image.windowsVersion;
export const windowsBuild = image.windowsBuild;
const service = deploy(settings.host);
export const serviceUrl = service.url;
/** The test gate's smoke test: its function and its log (one JSON line per attempt). */
export const smokeTestFunctionName = service.smokeTestFunctionName;
export const smokeTestLogGroupName = service.smokeTestLogGroupName;
/** Where ECS's test traffic reaches a deployment's new revision. */
export const testListenerUrl = service.testListenerUrl;
/** `aws fis start-experiment --experiment-template-id $(pulumi stack output chaosExperimentTemplateId)`. */
export const chaosExperimentTemplateId = service.chaosExperimentTemplateId;
/** The alarm that stops a drill: watch it while one runs. */
export const chaosStopAlarmName = service.chaosStopAlarmName;
/** The OpenTelemetry collector image beside the service, by digest. */
export const collectorImageRef = service.collectorImageRef;
/** What `pulumi destroy` keeps (pushed images, the registry) and how to remove it. */
export const retainedOnDestroy = image.retainedOnDestroy;
