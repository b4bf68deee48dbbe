// The ECS host: EcsWindowsService and the pure ECS facts it is built on (platform families, sizes, container definition, user data).
export { EcsWindowsService } from "./ecsWindowsService";
export type { EcsEc2CapacityArgs, EcsLoadBalancerArgs, EcsWindowsServiceArgs } from "./args";
export { resolveEcsServiceArgs } from "./resolve";
export type { ResolvedEcsService } from "./resolve";
export { containerDefinition } from "./containerDefinition";
export type { ContainerSpec } from "./containerDefinition";
export { ecsWindowsUserData } from "./userData";
export {
    ecsOptimizedAmiParameter,
    fargateSizeProblem,
    fargateWindowsReservedPorts,
    logRetentionDays,
    operatingSystemFamily,
} from "./platform";
