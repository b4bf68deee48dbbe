// The program: builds the sample Go service in app/ into a Windows image and pushes it to the stack's registry.
import * as pulumi from "@pulumi/pulumi";
import { GoWindowsImage } from "./components";
import { readProgramConfig } from "./config";

const config = new pulumi.Config();
const settings = readProgramConfig((key) => config.get(key));

const image = new GoWindowsImage("hello", {
    context: "app",
    windowsVersion: settings.windowsVersion,
    baseImage: settings.baseImage,
    strategy: settings.strategy,
    version: settings.version,
    ports: [8080],
    env: { PORT: "8080" },
    healthCheck: { args: ["healthcheck"] },
    builderImageRef: settings.builderImageRef,
    baseImageRef: settings.baseImageRef,
    ecr: settings.registryKind === "ecr" ? {} : undefined,
    acr:
        settings.registryKind === "acr"
            ? { resourceGroupName: settings.acrResourceGroup!, registryName: settings.acrRegistryName! }
            : undefined,
    registry:
        settings.registryKind === "existing"
            ? { server: settings.registryServer!, repositoryName: "samples/hello" }
            : undefined,
});

export const imageRef = image.imageRef;
export const repositoryUrl = image.repositoryUrl;
export const tag = image.tag;
export const windowsVersion = image.windowsVersion;
export const windowsBuild = image.windowsBuild;
