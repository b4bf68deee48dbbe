// The public surface of the library: components, their argument types, and the pure helpers they are built on.
export { GoWindowsImage, pinnedReference } from "./goWindowsImage";
export type { GoWindowsImageArgs, GoWindowsImageHealthCheckArgs } from "./goWindowsImage";
export { ecrLifecyclePolicy } from "./registries";
export type { AcrRegistryArgs, EcrRepositoryArgs, ExistingRegistryArgs } from "./registries";
export { renderDockerfile, renderDockerignore } from "./dockerfile";
export type { DockerfileSpec, HealthCheckSpec } from "./dockerfile";
export { contextFiles, hashContext, tagForHash } from "./contextHash";
export { ArgumentError, resolveImageArgs } from "./validation";
export { findWindowsRelease, windowsReleases } from "./windowsVersions";
export type { WindowsRelease } from "./windowsVersions";
export { EcsWindowsService } from "./ecsWindowsService";
export type { EcsEc2CapacityArgs, EcsLoadBalancerArgs, EcsWindowsServiceArgs } from "./ecsWindowsService";
export { WindowsContainerGroup } from "./windowsContainerGroup";
export type { WindowsContainerGroupArgs } from "./windowsContainerGroup";
export { checkCompatibility } from "./compatibility";
export type { CompatibilityResult, HostSpec } from "./compatibility";
