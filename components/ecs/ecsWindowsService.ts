// EcsWindowsService: runs a Windows image on Amazon ECS (Fargate or EC2), checked against the host's Windows version first.
import * as pulumi from "@pulumi/pulumi";
import { resolveArgsFor, stackScopedName } from "../core";
import { declareAlarms } from "./alarms";
import { EcsWindowsServiceArgs } from "./args";
import { declareChaosDrill } from "./chaosDrillResources";
import { declareCluster } from "./cluster";
import { declareDashboard } from "./dashboard";
import { declareLoadBalancing } from "./loadBalancer";
import { declareTaskSecurityGroup } from "./network";
import { operatingSystemFamily } from "./platform";
import { claimRulePriority } from "./priority";
import { ResolvedEcsService, resolveEcsServiceArgs } from "./resolve";
import { declareInfrastructureRole, declareTaskRoles } from "./roles";
import { declareService } from "./service";
import { declareTaskDefinition } from "./taskDefinition";
import { declareTestGate } from "./testGateResources";
import { declareTraces } from "./tracesResources";

/** Checks the arguments, and claims the rule's priority on a shared listener (two services of a program never share one). */
function resolveService(name: string, args: EcsWindowsServiceArgs): ResolvedEcsService {
    const resolved = resolveEcsServiceArgs(args, name);
    if (resolved.loadBalancer?.kind === "shared")
        claimRulePriority(resolved.loadBalancer.listenerArn, resolved.loadBalancer.priority, name, "listener.priority");
    return resolved;
}

/**
 * A Windows service on Amazon ECS, with its own execution and task roles, logs, security group, and optionally a load
 * balancer (its own, or a rule on a shared listener), a canary, linear or blue/green deployment strategy, deployment
 * alarms and a dashboard. It runs in a cluster it makes, or joins one (`clusterArn`, with `capacityProviderName` for
 * shared EC2 capacity such as an EcsWindowsCluster's).
 */
export class EcsWindowsService extends pulumi.ComponentResource {
    /** The cluster the service runs in. */
    public readonly clusterArn: pulumi.Output<string>;
    /** The cluster's name (Container Insights' `ClusterName` dimension). */
    public readonly clusterName: pulumi.Output<string>;
    /** The EC2 capacity provider the tasks run on; undefined on Fargate. */
    public readonly capacityProviderName: pulumi.Output<string | undefined>;
    /** The ECS service's name. */
    public readonly serviceName: pulumi.Output<string>;
    /** `http(s)://<load balancer>/` on the service's own load balancer; undefined otherwise. */
    public readonly url: pulumi.Output<string | undefined>;
    /** The task definition's ARN. */
    public readonly taskDefinitionArn: pulumi.Output<string>;
    /** The log group the containers write to. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The tasks' security group (e.g. a database's `sourceSecurityGroupId`). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The task role's ARN: what the application may do (e.g. a bucket policy's principal). */
    public readonly taskRoleArn: pulumi.Output<string>;
    /** The task role's name: grant the application more with `aws.iam.RolePolicy` or `RolePolicyAttachment` on it. */
    public readonly taskRoleName: pulumi.Output<string>;
    /** The execution role's ARN: what ECS uses to pull the image, write logs and read the secrets. */
    public readonly executionRoleArn: pulumi.Output<string>;
    /** The execution role's name (e.g. to let it decrypt secrets with a customer-managed KMS key). */
    public readonly executionRoleName: pulumi.Output<string>;
    /** The service's two target groups (ECS moves traffic between them); empty without a load balancer. */
    public readonly targetGroupArns: pulumi.Output<string[]>;
    /** The listener the service's rule is on; undefined without a load balancer. */
    public readonly listenerArn: pulumi.Output<string | undefined>;
    /** The service's production rule on that listener (ECS moves its weights); undefined without a load balancer. */
    public readonly listenerRuleArn: pulumi.Output<string | undefined>;
    /** The operating system family of the tasks, e.g. `WINDOWS_SERVER_2022_CORE`. */
    public readonly operatingSystemFamily: pulumi.Output<string>;
    /** The ARNs of the alarms the component created (route them elsewhere as you wish). */
    public readonly alarmArns: pulumi.Output<string[]>;
    /** The names of every alarm that rolls a deployment back: the component's and `alarms.alarmNames`. */
    public readonly rollbackAlarmNames: pulumi.Output<string[]>;
    /** The CloudWatch dashboard's name; undefined with `dashboard: false`. */
    public readonly dashboardName: pulumi.Output<string | undefined>;
    /**
     * The ARN of the service's own load balancer (`loadBalancer`); undefined otherwise. To wire a load balancer into
     * DNS or WAF, make an EcsApplicationLoadBalancer (whose outputs are always there) and join it with `listener`.
     */
    public readonly loadBalancerArn: pulumi.Output<string | undefined>;
    /** The DNS name of the service's own load balancer; undefined otherwise. */
    public readonly loadBalancerDnsName: pulumi.Output<string | undefined>;
    /** The Route 53 hosted zone of the service's own load balancer; undefined otherwise. */
    public readonly loadBalancerZoneId: pulumi.Output<string | undefined>;
    /** The service's rule on the test listener (ECS points it at a new revision); undefined without `deployment.tests`. */
    public readonly testListenerRuleArn: pulumi.Output<string | undefined>;
    /** Where the smoke test reaches the new revision, `http(s)://<load balancer>:<port>/`; undefined without it. */
    public readonly testListenerUrl: pulumi.Output<string | undefined>;
    /** The smoke-test function (ECS runs it at POST_TEST_TRAFFIC_SHIFT); undefined without one of the component's. */
    public readonly smokeTestFunctionName: pulumi.Output<string | undefined>;
    /** The smoke test's log group: one JSON line per attempt; undefined without the component's function. */
    public readonly smokeTestLogGroupName: pulumi.Output<string | undefined>;
    /** The FIS experiment template to start a drill with; undefined without `chaosDrill`. */
    public readonly chaosExperimentTemplateId: pulumi.Output<string | undefined>;
    /** The composite alarm that stops a drill (any rollback alarm); undefined without `chaosDrill`. */
    public readonly chaosStopAlarmName: pulumi.Output<string | undefined>;
    /** The collector image the task runs, by digest; undefined without `traces`. */
    public readonly collectorImageRef: pulumi.Output<string | undefined>;

    constructor(name: string, args: EcsWindowsServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:EcsWindowsService", name, {}, opts);
        const resolved = resolveArgsFor("EcsWindowsService", name, this, () => resolveService(name, args));
        if (resolved.compatibility.verdict === "unknown") void pulumi.log.warn(resolved.compatibility.message, this);
        // ECS places tasks on instances of the task's family: the host's release (the image's on Fargate).
        const osFamily = operatingSystemFamily(resolved.hostWindowsVersion);
        const taskFamily = stackScopedName(pulumi.getProject(), pulumi.getStack(), name);

        const roles = declareTaskRoles(name, args.secrets ?? {}, args, this);
        const loadBalancer = declareLoadBalancing(name, args, resolved, this);
        const taskSecurityGroup = declareTaskSecurityGroup(name, args, resolved, loadBalancer?.securityGroupId, this);
        const cluster = declareCluster(name, args, resolved, taskSecurityGroup.id, this);
        const traces = resolved.traces ? declareTraces(name, resolved.traces, roles, this) : undefined;
        const identity = { taskFamily, operatingSystemFamily: osFamily };
        const task = declareTaskDefinition(name, args, resolved, identity, roles, traces?.collectorImage, this);
        const infrastructureRole = loadBalancer ? declareInfrastructureRole(name, this) : undefined;
        const alarms = declareAlarms(name, args, resolved, loadBalancer, this);
        const gate =
            resolved.testGate && loadBalancer?.test
                ? declareTestGate(name, args, resolved, resolved.testGate, loadBalancer.test, this)
                : undefined;
        const service = declareService(
            name,
            args,
            resolved,
            {
                clusterArn: cluster.arn,
                taskDefinition: task.taskDefinition,
                taskSecurityGroup,
                loadBalancer,
                capacityProviderName: cluster.capacityProviderName,
                waitFor: [
                    ...(cluster.own ? [cluster.own] : []),
                    ...roles.taskPolicies,
                    ...(traces ? [traces.policy] : []),
                    ...(gate ? gate.waitFor : []),
                ],
                infrastructureRole,
                alarmNames: alarms.rollbackAlarmNames,
                rollbackOnAlarms: alarms.rollbackOnAlarms,
                lifecycleHook: gate?.hook,
            },
            this,
        );
        const drill = resolved.chaosDrill
            ? declareChaosDrill(
                  name,
                  args,
                  resolved,
                  resolved.chaosDrill,
                  {
                      clusterName: cluster.name,
                      clusterArn: cluster.arn,
                      serviceName: service.name,
                      ownCluster: cluster.own,
                      rollbackAlarmNames: alarms.rollbackAlarmNames,
                      alarms: alarms.alarms,
                  },
                  this,
              )
            : undefined;
        const dashboard = resolved.dashboard
            ? declareDashboard(
                  name,
                  { region: task.region, clusterName: cluster.name, service, loadBalancer, alarms: alarms.alarms },
                  this,
              )
            : undefined;

        const own = loadBalancer?.own;
        this.loadBalancerArn = own ? own.loadBalancerArn : pulumi.output(undefined);
        this.loadBalancerDnsName = own ? own.dnsName : pulumi.output(undefined);
        this.loadBalancerZoneId = own ? own.zoneId : pulumi.output(undefined);
        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;
        this.capacityProviderName = cluster.capacityProviderName ?? pulumi.output(undefined);
        this.serviceName = service.name;
        this.taskDefinitionArn = task.taskDefinition.arn;
        this.logGroupName = task.logGroup.name;
        this.securityGroupId = taskSecurityGroup.id;
        this.taskRoleArn = roles.taskRole.arn;
        this.taskRoleName = roles.taskRole.name;
        this.executionRoleArn = roles.executionRole.arn;
        this.executionRoleName = roles.executionRole.name;
        this.targetGroupArns = pulumi.all((loadBalancer?.targetGroups ?? []).map((group) => group.arn));
        this.listenerArn = loadBalancer ? pulumi.output(loadBalancer.listenerArn) : pulumi.output(undefined);
        this.listenerRuleArn = loadBalancer ? loadBalancer.productionRule.arn : pulumi.output(undefined);
        this.operatingSystemFamily = pulumi.output(osFamily);
        this.url = loadBalancer ? loadBalancer.url : pulumi.output(undefined);
        this.alarmArns = pulumi.all(alarms.alarms.map((alarm) => alarm.arn));
        this.rollbackAlarmNames = alarms.rollbackAlarmNames;
        this.dashboardName = dashboard ? dashboard.dashboardName : pulumi.output(undefined);
        const test = loadBalancer?.test;
        this.testListenerRuleArn = test ? test.rule.arn : pulumi.output(undefined);
        this.testListenerUrl = test && gate ? test.url : pulumi.output(undefined);
        this.smokeTestFunctionName = gate ? gate.functionName : pulumi.output(undefined);
        this.smokeTestLogGroupName = gate ? gate.logGroupName : pulumi.output(undefined);
        this.chaosExperimentTemplateId = drill ? drill.template.id : pulumi.output(undefined);
        this.chaosStopAlarmName = drill ? drill.stopAlarm.alarmName : pulumi.output(undefined);
        this.collectorImageRef = traces ? traces.collectorImage : pulumi.output(undefined);
        this.registerOutputs({
            clusterArn: this.clusterArn,
            clusterName: this.clusterName,
            capacityProviderName: this.capacityProviderName,
            serviceName: this.serviceName,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            taskRoleArn: this.taskRoleArn,
            taskRoleName: this.taskRoleName,
            executionRoleArn: this.executionRoleArn,
            executionRoleName: this.executionRoleName,
            targetGroupArns: this.targetGroupArns,
            listenerArn: this.listenerArn,
            listenerRuleArn: this.listenerRuleArn,
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerZoneId: this.loadBalancerZoneId,
            operatingSystemFamily: this.operatingSystemFamily,
            url: this.url,
            alarmArns: this.alarmArns,
            rollbackAlarmNames: this.rollbackAlarmNames,
            dashboardName: this.dashboardName,
            testListenerRuleArn: this.testListenerRuleArn,
            testListenerUrl: this.testListenerUrl,
            smokeTestFunctionName: this.smokeTestFunctionName,
            smokeTestLogGroupName: this.smokeTestLogGroupName,
            chaosExperimentTemplateId: this.chaosExperimentTemplateId,
            chaosStopAlarmName: this.chaosStopAlarmName,
            collectorImageRef: this.collectorImageRef,
        });
    }
}
