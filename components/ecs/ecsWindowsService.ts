// EcsWindowsService: runs a Windows image on Amazon ECS (Fargate or EC2), checked against the host's Windows version first.
import * as pulumi from "@pulumi/pulumi";
import * as ecs from "@pulumi/aws/ecs";
import { childName, resolveArgsFor, stackScopedName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { declareEc2Capacity } from "./capacity";
import { declareLoadBalancer } from "./loadBalancer";
import { awsNameRules } from "./names";
import { declareNetwork } from "./network";
import { operatingSystemFamily } from "./platform";
import { resolveEcsServiceArgs } from "./resolve";
import { declareTaskRoles } from "./roles";
import { declareService } from "./service";
import { declareTaskDefinition } from "./taskDefinition";

/** A Windows service on Amazon ECS, with its own execution and task roles, logs, security group and optional load balancer. */
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

    constructor(name: string, args: EcsWindowsServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:EcsWindowsService", name, {}, opts);
        const resolved = resolveArgsFor("EcsWindowsService", name, this, () => resolveEcsServiceArgs(args));
        if (resolved.compatibility.verdict === "unknown") void pulumi.log.warn(resolved.compatibility.message, this);
        // ECS places tasks on instances of the task's family: the host's release (the image's on Fargate).
        const family = operatingSystemFamily(resolved.hostWindowsVersion);
        const taskFamily = stackScopedName(pulumi.getProject(), pulumi.getStack(), name);

        const cluster = args.clusterArn
            ? undefined
            : new ecs.Cluster(
                  childName(name, "-cluster", awsNameRules.long),
                  { settings: [{ name: "containerInsights", value: "enabled" }] },
                  { parent: this },
              );
        const clusterArn = cluster ? cluster.arn : pulumi.output(args.clusterArn!);
        const roles = declareTaskRoles(name, args.secrets ?? {}, this);
        const network = declareNetwork(name, args, resolved, this);
        const task = declareTaskDefinition(
            name,
            args,
            resolved,
            { taskFamily, operatingSystemFamily: family },
            roles,
            this,
        );
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
        const capacity =
            resolved.capacity === "ec2"
                ? declareEc2Capacity(name, args.subnetIds, resolved, cluster!, network.taskSecurityGroup, this)
                : undefined;
        const service = declareService(
            name,
            args,
            resolved,
            {
                clusterArn,
                taskDefinition: task.taskDefinition,
                taskSecurityGroup: network.taskSecurityGroup,
                loadBalancer,
                capacity,
            },
            this,
        );

        this.clusterArn = clusterArn;
        this.serviceName = service.name;
        this.taskDefinitionArn = task.taskDefinition.arn;
        this.logGroupName = task.logGroup.name;
        this.securityGroupId = network.taskSecurityGroup.id;
        this.operatingSystemFamily = pulumi.output(family);
        this.url = loadBalancer ? loadBalancer.url : pulumi.output(undefined);
        this.registerOutputs({
            clusterArn: this.clusterArn,
            serviceName: this.serviceName,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            operatingSystemFamily: this.operatingSystemFamily,
            url: this.url,
        });
    }
}
