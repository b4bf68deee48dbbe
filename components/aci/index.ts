// The Azure Container Instances host: WindowsContainerGroup and its argument checks.
export { WindowsContainerGroup, acrPullRoleId } from "./windowsContainerGroup";
export type { WindowsContainerGroupAlertsArgs, WindowsContainerGroupArgs, WindowsContainerGroupRoleArgs } from "./args";
export { aciLogTables, logAlertDefinitions } from "./alertQueries";
export type { LogAlertDefinition } from "./alertQueries";
export { aciLimits, aciMaxPorts, aciReservedPortRanges, aciReservedPorts, resolveContainerGroupArgs } from "./resolve";
export { errorHooksUnavailable, minimumPulumiCliVersion, pullRetryHook, pullRetryHooks } from "./pullRetry";
export { pullRetryWaitSeconds, shouldRetryPull, warnIfCreateErrorsSkipHooks } from "./pullRetry";
export type { ResolvedContainerGroup } from "./resolve";
