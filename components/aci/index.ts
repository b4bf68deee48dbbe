// The Azure Container Instances host: WindowsContainerGroup and its argument checks.
export { WindowsContainerGroup, acrPullRoleId } from "./windowsContainerGroup";
export type { WindowsContainerGroupAlertsArgs, WindowsContainerGroupArgs } from "./args";
export { logAlertDefinitions } from "./alertQueries";
export type { LogAlertDefinition } from "./alertQueries";
export { aciLimits, aciMaxPorts, aciReservedPortRanges, aciReservedPorts, resolveContainerGroupArgs } from "./resolve";
export { pullRetryHook, pullRetryWaitSeconds, shouldRetryPull } from "./pullRetry";
export type { ResolvedContainerGroup } from "./resolve";
