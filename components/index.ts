// The public surface of the library: components, their argument types, and the pure helpers they are built on.
// image → registries → hosts (ecs, aci), all resting on core (Windows facts and argument checks).
export { GoWindowsImage, pinnedReference, renderDockerfile, renderDockerignore, resolveImageArgs } from "./image";
export { contextFiles, hashContext, tagForHash } from "./image";
export type {
    BaseImageRegistryArgs,
    DockerfileSpec,
    GoWindowsImageArgs,
    GoWindowsImageHealthCheckArgs,
    HealthCheckSpec,
} from "./image";
export type { GoWindowsImageRelease } from "./image";
export { AzureContainerRegistry, EcrAccountSettings, ecrLifecyclePolicy } from "./registries";
export { ImageIndex, buildImageIndex, imageIndexProvider } from "./registries";
export type { BuiltImageIndex, ImageIndexArgs, ImageIndexEntry, ImageIndexEntryArgs } from "./registries";
export type { ImageIndexInputs, ImageIndexOutputs } from "./registries";
export type {
    AcrPrivateEndpointArgs,
    AcrRegistryArgs,
    AcrSettingsArgs,
    AzureContainerRegistryArgs,
    EcrAccountSettingsArgs,
    EcrRepositoryArgs,
    ExistingRegistryArgs,
    ImageRegistryArgs,
} from "./registries";
export { ArgumentError, checkCompatibility, findWindowsRelease, windowsReleases } from "./core";
export { selectWindowsEntry, selectWindowsEntryAsDocker } from "./core";
export type { WindowsPlatformEntry } from "./core";
export type { CompatibilityResult, HostSpec, WindowsRelease } from "./core";
export { EcsApplicationLoadBalancer, EcsWindowsCluster, EcsWindowsService, XrayTransactionSearch } from "./ecs";
export type { EcsEc2CapacityArgs, EcsLoadBalancerArgs, EcsWindowsServiceArgs } from "./ecs";
export type { EcsAlarmsArgs, EcsDeploymentArgs, EcsListenerArgs } from "./ecs";
export type { EcsApplicationLoadBalancerArgs, EcsLoadBalancerAlarmArgs, EcsWindowsClusterArgs } from "./ecs";
export type { EcsChaosDrillArgs, EcsSmokeCheckArgs, EcsTestGateArgs, EcsTestListenerArgs, EcsTracesArgs } from "./ecs";
export type { XrayTransactionSearchArgs } from "./ecs";
export { WindowsContainerGroup } from "./aci";
export type { WindowsContainerGroupAlertsArgs, WindowsContainerGroupArgs, WindowsContainerGroupRoleArgs } from "./aci";
