// The Azure Container Instances host: WindowsContainerGroup and its argument checks.
export { WindowsContainerGroup, acrPullRoleId } from "./windowsContainerGroup";
export type { WindowsContainerGroupArgs } from "./args";
export { aciReservedPorts, resolveContainerGroupArgs } from "./resolve";
export type { ResolvedContainerGroup } from "./resolve";
