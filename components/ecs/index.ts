// The ECS host: EcsWindowsService, the shared hosts and load balancer it joins (EcsWindowsCluster,
// EcsApplicationLoadBalancer), and the pure ECS facts they are built on (platform families, sizes, container
// definition, user data, alarms, rule priorities).
export { EcsWindowsService } from "./ecsWindowsService";
export { EcsWindowsCluster } from "./ecsWindowsCluster";
export { EcsApplicationLoadBalancer } from "./ecsApplicationLoadBalancer";
export { XrayTransactionSearch, resolveTransactionSearchArgs } from "./xrayTransactionSearch";
export type { XrayTransactionSearchArgs } from "./xrayTransactionSearch";
export type {
    EcsAlarmsArgs,
    EcsChaosDrillArgs,
    EcsDeploymentArgs,
    EcsSmokeCheckArgs,
    EcsTestGateArgs,
    EcsTracesArgs,
    EcsEc2CapacityArgs,
    EcsListenerArgs,
    EcsLoadBalancerArgs,
    EcsWindowsServiceArgs,
} from "./args";
export type { EcsWindowsClusterArgs } from "./clusterArgs";
export { resolveClusterArgs } from "./clusterArgs";
export type { EcsApplicationLoadBalancerArgs, EcsLoadBalancerAlarmArgs, EcsTestListenerArgs } from "./loadBalancerArgs";
export { resolveApplicationLoadBalancerArgs } from "./loadBalancerArgs";
export { defaultRulePriority } from "./priority";
export { loadBalancerArnSuffixOf } from "./loadBalancer";
export { loadBalancer5xxAlarm, targetGroupAlarms } from "./alarmDefinitions";
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
