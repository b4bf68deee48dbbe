// The deployment alarms of an ECS service: created on its target groups, notifying a topic, rolling deployments back.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { childName } from "../core";
import { AlarmDefinition, targetGroupAlarms } from "./alarmDefinitions";
import { EcsWindowsServiceArgs } from "./args";
import { DeclaredLoadBalancing } from "./loadBalancer";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";

export interface DeclaredAlarms {
    /** The alarms the component created. */
    readonly alarms: cloudwatch.MetricAlarm[];
    /** Every alarm that rolls a deployment back: the created ones and the user's. */
    readonly rollbackAlarmNames: pulumi.Output<string[]>;
    /** Whether any alarm rolls deployments back (decided while the program runs, before the names are known). */
    readonly rollbackOnAlarms: boolean;
}

/** A CloudWatch alarm of a definition, `<name><suffix>`, notifying `topic` (if any) when it fires and recovers. */
export function declareMetricAlarm(
    name: string,
    definition: AlarmDefinition<pulumi.Input<string>>,
    topic: pulumi.Input<string> | undefined,
    opts: pulumi.CustomResourceOptions,
): cloudwatch.MetricAlarm {
    return new cloudwatch.MetricAlarm(
        childName(name, definition.suffix, awsNameRules.long),
        {
            alarmDescription: `${name}: ${definition.description}`,
            comparisonOperator: definition.comparisonOperator,
            threshold: definition.threshold,
            evaluationPeriods: definition.evaluationPeriods,
            datapointsToAlarm: definition.datapointsToAlarm,
            treatMissingData: definition.treatMissingData,
            metricQueries: definition.metricQueries,
            alarmActions: topic !== undefined ? [topic] : undefined,
            okActions: topic !== undefined ? [topic] : undefined,
        },
        opts,
    );
}

/** Declares the target group alarms (when there is a load balancer and they are on) and gathers the user's alarms. */
export function declareAlarms(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    loadBalancer: DeclaredLoadBalancing | undefined,
    parent: pulumi.Resource,
): DeclaredAlarms {
    const topic = args.alarms?.notifyTopicArn;
    const groups = loadBalancer
        ? loadBalancer.targetGroups.map((group) => ({
              targetGroup: group.arnSuffix,
              loadBalancer: loadBalancer.loadBalancerArnSuffix,
          }))
        : [];
    // The service's own load balancer serves it alone, so the load balancer's own 5xx are the service's too; a shared
    // one's belong to every service behind it (EcsApplicationLoadBalancer alarms on them for its owner).
    const ownLoadBalancer = loadBalancer?.own ? loadBalancer.loadBalancerArnSuffix : undefined;
    const definitions = resolved.alarms.targetGroupAlarms
        ? targetGroupAlarms(groups, resolved.alarms, ownLoadBalancer)
        : [];
    const alarms = definitions.map((definition) => declareMetricAlarm(name, definition, topic, { parent }));
    const given = args.alarms?.alarmNames;
    const userAlarms = given !== undefined && !(Array.isArray(given) && given.length === 0);
    return {
        alarms,
        rollbackAlarmNames: pulumi
            .all([pulumi.all(alarms.map((alarm) => alarm.name)), pulumi.output(given ?? [])])
            .apply(([created, mine]) => [...created, ...mine]),
        rollbackOnAlarms: alarms.length > 0 || userAlarms,
    };
}
