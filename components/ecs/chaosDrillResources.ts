// The chaos drill's resources: the stop alarm (a composite of the service's rollback alarms), the experiments' log
// group, the role FIS runs them with, and the FIS experiment template. The pure pieces are in chaosDrill.ts.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as fis from "@pulumi/aws/fis";
import * as iam from "@pulumi/aws/iam";
import { childName, stackScopedName } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import {
    ResolvedChaosDrill,
    chaosDrillManagedPolicies,
    chaosExperimentTemplateArgs,
    compositeAlarmRule,
    fisLogGroupNamePrefix,
    fisLoggingPolicy,
    fisTrustPolicy,
    tasksToStop,
} from "./chaosDrill";
import { EcsWindowsCluster } from "./ecsWindowsCluster";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";

/** What the drill needs of the service. */
export interface DrillTarget {
    readonly clusterName: pulumi.Input<string>;
    readonly serviceName: pulumi.Input<string>;
    /** The service's own EC2 cluster (instance faults need its Auto Scaling group); undefined otherwise. */
    readonly ownCluster?: EcsWindowsCluster;
    readonly clusterArn: pulumi.Input<string>;
    /** Every alarm that rolls a deployment back, and the component's own (the stop alarm waits for them). */
    readonly rollbackAlarmNames: pulumi.Output<string[]>;
    readonly alarms: pulumi.Resource[];
}

export interface DeclaredChaosDrill {
    readonly template: fis.ExperimentTemplate;
    readonly stopAlarm: cloudwatch.CompositeAlarm;
}

/** `arn:<partition>:<service>:<region>:<account>:...` → its parts; undefined parts where a user's mocks gave no ARN. */
function arnParts(arn: string | undefined): { partition: string; region: string; accountId: string } {
    const [, partition, , region, accountId] = (arn ?? "").split(":");
    return { partition: partition || "aws", region, accountId };
}

/**
 * Declares the drill. The stop alarm is in ALARM when any rollback alarm is; its name is scoped to the stack (composite
 * alarms are not auto-named, and a second one of a name would replace the first). The role's trust names this
 * account and region, read from the log group's ARN.
 */
export function declareChaosDrill(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    drill: ResolvedChaosDrill,
    target: DrillTarget,
    parent: pulumi.Resource,
): DeclaredChaosDrill {
    const topic = args.alarms?.notifyTopicArn;
    const stopAlarm = new cloudwatch.CompositeAlarm(
        childName(name, "-drill-stop", awsNameRules.long),
        {
            alarmName: stackScopedName(pulumi.getProject(), pulumi.getStack(), `${name}-drill-stop`),
            alarmDescription: `${name}: any of the service's rollback alarms; stops its chaos drill`,
            alarmRule: target.rollbackAlarmNames.apply(compositeAlarmRule),
            alarmActions: topic !== undefined ? [topic] : undefined,
            okActions: topic !== undefined ? [topic] : undefined,
        },
        // CloudWatch refuses to delete an alarm a composite alarm names: this one goes first.
        { parent, dependsOn: target.alarms },
    );
    const logGroup = new cloudwatch.LogGroup(
        childName(name, "-drill-logs", awsNameRules.long),
        { namePrefix: fisLogGroupNamePrefix(name), retentionInDays: resolved.logRetentionDays },
        { parent },
    );
    const account = logGroup.arn.apply(arnParts);
    const role = new iam.Role(
        childName(name, "-drill", awsNameRules.role),
        { assumeRolePolicy: account.apply((a) => fisTrustPolicy(a.accountId, a.region, a.partition)) },
        { parent },
    );
    const policies = [
        new iam.RolePolicyAttachmentsExclusive(
            `${name}-drill-policies`,
            { roleName: role.name, policyArns: account.apply((a) => chaosDrillManagedPolicies(drill, a.partition)) },
            { parent },
        ),
        new iam.RolePolicy(
            childName(name, "-drill-logs", awsNameRules.medium),
            { role: role.id, policy: fisLoggingPolicy() },
            { parent },
        ),
    ];
    const own = target.ownCluster;
    const fault = own && drill.instanceFault !== "none" ? `, then ${drill.instanceFault} one instance` : "";
    const template = new fis.ExperimentTemplate(
        `${name}-drill`,
        chaosExperimentTemplateArgs({
            drill,
            clusterName: target.clusterName,
            serviceName: target.serviceName,
            desiredCount: resolved.desiredCount,
            ec2: own
                ? {
                      clusterArn: target.clusterArn,
                      autoScalingGroupName: own.autoScalingGroupName,
                      instances: resolved.ec2.desiredCapacity,
                  }
                : undefined,
            stopAlarmArn: stopAlarm.arn,
            roleArn: role.arn,
            logGroupArn: logGroup.arn,
            description: `${name}: stop ${tasksToStop(resolved.desiredCount, drill.stopTaskPercent)} of ${resolved.desiredCount} tasks${fault}`,
        }),
        { parent, dependsOn: policies },
    );
    return { template, stopAlarm };
}
