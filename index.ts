// The program: builds the sample Go service in app/ into a Windows image, pushes it, and runs it on the stack's host.
import * as pulumi from "@pulumi/pulumi";
import { EcsWindowsService, GoWindowsImage, GoWindowsImageArgs, WindowsContainerGroup } from "./components";
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

/** Runs the image on the stack's host; returns the service's URL, if it has one. */
function deploy(host: HostSettings): pulumi.Output<string | undefined> {
    switch (host.kind) {
        case "none":
            return pulumi.output(undefined);
        case "fargate":
        case "ec2":
            return new EcsWindowsService("hello", {
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
                deployment: { strategy: host.deploymentStrategy },
                alarms: host.alarmTopicArn ? { notifyTopicArn: host.alarmTopicArn } : undefined,
                logRetentionDays: host.logRetentionDays,
            }).url;
        case "aci":
            return new WindowsContainerGroup("hello", {
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
            }).url;
    }
}

export const imageRef = image.imageRef;
export const repositoryUrl = image.repositoryUrl;
export const tag = image.tag;
export const windowsVersion = image.windowsVersion;
export const windowsBuild = image.windowsBuild;
export const serviceUrl = deploy(settings.host);
/** What `pulumi destroy` keeps (pushed images, the registry) and how to remove it. */
export const retainedOnDestroy = image.retainedOnDestroy;
