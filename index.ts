// The program: builds the sample Go service in app/ into a Windows image, pushes it, and runs it on the stack's host.
import * as pulumi from "@pulumi/pulumi";
import { EcsWindowsService, GoWindowsImage, WindowsContainerGroup } from "./components";
import { readProgramConfig } from "./config";

const config = new pulumi.Config();
const settings = readProgramConfig((key) => config.get(key));
const port = 8080;
if (settings.host === "fargate" && config.get("baseImage") === undefined) {
    void pulumi.log.info(
        "Fargate caches Windows Server Core images but not Nano Server ones: using servercore (set baseImage to change).",
    );
}

const image = new GoWindowsImage("hello", {
    context: "app",
    windowsVersion: settings.windowsVersion,
    baseImage: settings.baseImage,
    strategy: settings.strategy,
    version: settings.version,
    ports: [port],
    env: { PORT: String(port) },
    healthCheck: { args: ["healthcheck"] },
    builderImageRef: settings.builderImageRef,
    baseImageRef: settings.baseImageRef,
    builderName: settings.builderName,
    ecr: settings.registryKind === "ecr" ? {} : undefined,
    acr:
        settings.registryKind === "acr"
            ? { resourceGroupName: settings.resourceGroup!, registryName: settings.acrRegistryName! }
            : undefined,
    registry:
        settings.registryKind === "existing"
            ? { server: settings.registryServer!, repositoryName: "samples/hello" }
            : undefined,
});

let url: pulumi.Output<string | undefined> = pulumi.output(undefined);
if (settings.host === "fargate" || settings.host === "ec2") {
    const service = new EcsWindowsService("hello", {
        imageRef: image.imageRef,
        windowsVersion: settings.windowsVersion,
        healthCheckCommand: image.healthCheckCommand.apply((command) => command ?? []),
        capacity: settings.host,
        hostWindowsVersion: settings.hostWindowsVersion,
        vpcId: settings.vpcId!,
        subnetIds: settings.subnetIds!,
        port,
        cpu: settings.cpu,
        memory: settings.memory,
        desiredCount: settings.desiredCount,
        loadBalancer: settings.loadBalancerSubnetIds ? { subnetIds: settings.loadBalancerSubnetIds } : undefined,
        ec2: settings.host === "ec2" && settings.instanceType ? { instanceType: settings.instanceType } : undefined,
    });
    url = service.url;
} else if (settings.host === "aci") {
    const group = new WindowsContainerGroup("hello", {
        imageRef: image.imageRef,
        windowsVersion: settings.windowsVersion,
        resourceGroupName: settings.resourceGroup!,
        registryServer: image.repositoryUrl.apply((repository) => repository.split("/")[0]),
        registryId: image.acrRegistryId.apply((id) => id ?? ""),
        ports: [port],
        cpu: settings.cpu,
        memoryGb: settings.memoryGb,
        subnetId: settings.subnetId,
        dnsNameLabel: settings.dnsNameLabel,
    });
    url = group.url;
}

export const imageRef = image.imageRef;
export const repositoryUrl = image.repositoryUrl;
export const tag = image.tag;
export const windowsVersion = image.windowsVersion;
export const windowsBuild = image.windowsBuild;
export const serviceUrl = url;
