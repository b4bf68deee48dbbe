// The CloudWatch dashboard of an ECS service, named per stack since CloudWatch does not generate dashboard names.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import { stackScopedName } from "../core";
import { dashboardBody } from "./dashboardBody";
import { DeclaredLoadBalancing } from "./loadBalancer";

/** What the dashboard watches. */
export interface DashboardParts {
    readonly region: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    readonly service: ecs.Service;
    readonly loadBalancer?: DeclaredLoadBalancing;
    readonly alarms: cloudwatch.MetricAlarm[];
}

/** Declares the dashboard `<project>-<stack>-<name>`. */
export function declareDashboard(name: string, parts: DashboardParts, parent: pulumi.Resource): cloudwatch.Dashboard {
    const body = pulumi
        .all([
            parts.region,
            parts.clusterName,
            parts.service.name,
            parts.loadBalancer?.loadBalancerArnSuffix,
            pulumi.all((parts.loadBalancer?.targetGroups ?? []).map((group) => group.arnSuffix)),
            pulumi.all(parts.alarms.map((alarm) => alarm.arn)),
        ])
        .apply(([region, clusterName, serviceName, loadBalancer, targetGroups, alarmArns]) =>
            JSON.stringify(dashboardBody({ region, clusterName, serviceName, loadBalancer, targetGroups, alarmArns })),
        );
    return new cloudwatch.Dashboard(
        `${name}-dashboard`,
        { dashboardName: stackScopedName(pulumi.getProject(), pulumi.getStack(), name), dashboardBody: body },
        { parent },
    );
}
