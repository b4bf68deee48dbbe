// EcsWindowsService: runs a Windows image on Amazon ECS (Fargate or EC2), checked against the host's Windows version first.
import * as pulumi from "@pulumi/pulumi";
import { resolveArgsFor, stackScopedName } from "../core";
import { declareAlarms } from "./alarms";
import { EcsWindowsServiceArgs } from "./args";
import { declareEc2Capacity } from "./capacity";
import { declareCluster } from "./cluster";
import { declareDashboard } from "./dashboard";
import { declareLoadBalancer } from "./loadBalancer";
import { declareNetwork } from "./network";
import { operatingSystemFamily } from "./platform";
import { resolveEcsServiceArgs } from "./resolve";
import { declareInfrastructureRole, declareTaskRoles } from "./roles";
import { declareService } from "./service";
import { declareTaskDefinition } from "./taskDefinition";

/**
 * A Windows service on Amazon ECS, with its own execution and task roles, logs, security group, and optionally a load
 * balancer, a canary, linear or blue/green deployment strategy, deployment alarms and a dashboard.
 */
export class EcsWindowsService extends pulumi.ComponentResource {
    /** The cluster the service runs in. */
    public readonly clusterArn: pulumi.Output<string>;
    /** The ECS service's name. */
    public readonly serviceName: pulumi.Output<string>;
    /** `http://<load balancer>/` when there is a load balancer; undefined otherwise. */
    public readonly url: pulumi.Output<string | undefined>;
    /** The task definition's ARN. */
    public readonly taskDefinitionArn: pulumi.Output<string>;
    /** The log group the containers write to. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The tasks' security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The operating system family of the tasks, e.g. `WINDOWS_SERVER_2022_CORE`. */
    public readonly operatingSystemFamily: pulumi.Output<string>;
    /** The ARNs of the alarms the component created (route them elsewhere as you wish). */
    public readonly alarmArns: pulumi.Output<string[]>;
    /** The names of every alarm that rolls a deployment back: the component's and `alarms.alarmNames`. */
    public readonly rollbackAlarmNames: pulumi.Output<string[]>;
    /** The CloudWatch dashboard's name; undefined with `dashboard: false`. */
    public readonly dashboardName: pulumi.Output<string | undefined>;

    constructor(name: string, args: EcsWindowsServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:EcsWindowsService", name, {}, opts);
        const resolved = resolveArgsFor("EcsWindowsService", name, this, () => resolveEcsServiceArgs(args));
        if (resolved.compatibility.verdict === "unknown") void pulumi.log.warn(resolved.compatibility.message, this);
        // ECS places tasks on instances of the task's family: the host's release (the image's on Fargate).
        const osFamily = operatingSystemFamily(resolved.hostWindowsVersion);
        const taskFamily = stackScopedName(pulumi.getProject(), pulumi.getStack(), name);

        const cluster = declareCluster(name, args, this);
        const roles = declareTaskRoles(name, args.secrets ?? {}, this);
        const network = declareNetwork(name, args, resolved, this);
        const identity = { taskFamily, operatingSystemFamily: osFamily };
        const task = declareTaskDefinition(name, args, resolved, identity, roles, this);
        const loadBalancer =
            resolved.loadBalancer && network.loadBalancerSecurityGroup
                ? declareLoadBalancer(
                      name,
                      args,
                      resolved,
                      resolved.loadBalancer,
                      network.loadBalancerSecurityGroup,
                      this,
                  )
                : undefined;
        const infrastructureRole = loadBalancer ? declareInfrastructureRole(name, this) : undefined;
        const capacity =
            resolved.capacity === "ec2" && cluster.cluster
                ? declareEc2Capacity(name, args.subnetIds, resolved, cluster.cluster, network.taskSecurityGroup, this)
                : undefined;
        const alarms = declareAlarms(name, args, resolved, loadBalancer, this);
        const service = declareService(
            name,
            args,
            resolved,
            {
                clusterArn: cluster.arn,
                taskDefinition: task.taskDefinition,
                taskSecurityGroup: network.taskSecurityGroup,
                loadBalancer,
                capacity,
                infrastructureRole,
                alarmNames: alarms.rollbackAlarmNames,
            },
            this,
        );
        const dashboard = resolved.dashboard
            ? declareDashboard(
                  name,
                  { region: task.region, clusterName: cluster.name, service, loadBalancer, alarms: alarms.alarms },
                  this,
              )
            : undefined;

        this.clusterArn = cluster.arn;
        this.serviceName = service.name;
        this.taskDefinitionArn = task.taskDefinition.arn;
        this.logGroupName = task.logGroup.name;
        this.securityGroupId = network.taskSecurityGroup.id;
        this.operatingSystemFamily = pulumi.output(osFamily);
        this.url = loadBalancer ? loadBalancer.url : pulumi.output(undefined);
        this.alarmArns = pulumi.all(alarms.alarms.map((alarm) => alarm.arn));
        this.rollbackAlarmNames = pulumi.all(alarms.rollbackAlarmNames);
        this.dashboardName = dashboard ? dashboard.dashboardName : pulumi.output(undefined);
        this.registerOutputs({
            clusterArn: this.clusterArn,
            serviceName: this.serviceName,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            operatingSystemFamily: this.operatingSystemFamily,
            url: this.url,
            alarmArns: this.alarmArns,
            rollbackAlarmNames: this.rollbackAlarmNames,
            dashboardName: this.dashboardName,
        });
    }
}
