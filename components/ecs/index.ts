// The ECS host: EcsWindowsService and the pure ECS facts it is built on (platform families, sizes, container definition, user data).
export { EcsWindowsService } from "./ecsWindowsService";
export type {
    EcsAlarmsArgs,
    EcsDeploymentArgs,
    EcsEc2CapacityArgs,
    EcsLoadBalancerArgs,
    EcsWindowsServiceArgs,
} from "./args";
export { targetGroupAlarms } from "./alarmDefinitions";
export type { AlarmDefinition, AlarmThresholds, MetricQuery, TargetGroupDimensions } from "./alarmDefinitions";
export { dashboardBody } from "./dashboardBody";
export type { DashboardSpec } from "./dashboardBody";
export { deploymentConfiguration } from "./deployment";
export { readSecretsPolicy, secretResourceArn } from "./roles";
export { resolveEcsServiceArgs } from "./resolve";
export type { ResolvedAlarms, ResolvedDeployment, ResolvedEcsService } from "./resolve";
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
