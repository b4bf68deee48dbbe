// The Azure Container Instances host: WindowsContainerGroup and its argument checks.
export { WindowsContainerGroup, acrPullRoleId } from "./windowsContainerGroup";
export type { WindowsContainerGroupArgs } from "./args";
export { aciLimits, aciMaxPorts, aciReservedPortRanges, aciReservedPorts, resolveContainerGroupArgs } from "./resolve";
export { pullRetryHook, pullRetryWaitSeconds, shouldRetryPull } from "./pullRetry";
export type { ResolvedContainerGroup } from "./resolve";
