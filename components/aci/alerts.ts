// The log alerts of a container group: scheduled queries on its Log Analytics workspace, notifying an action group.
import * as pulumi from "@pulumi/pulumi";
import * as containerinstance from "@pulumi/azure-native/containerinstance";
import * as monitor from "@pulumi/azure-native/monitor";
import { childName } from "../core";
import { logAlertDefinitions } from "./alertQueries";
import { WindowsContainerGroupArgs } from "./args";
import { DeclaredLogs } from "./logs";
import { azureNameRules } from "./names";
import { ResolvedContainerGroup } from "./resolve";

/** Declares the restart and error-line alerts (unless `alerts.enabled` is false). */
export function declareAlerts(
    name: string,
    args: WindowsContainerGroupArgs,
    resolved: ResolvedContainerGroup,
    group: containerinstance.ContainerGroup,
    logs: DeclaredLogs,
    parent: pulumi.Resource,
): monitor.ScheduledQueryRule[] {
    if (!resolved.alerts.enabled) return [];
    const actionGroupId = args.alerts?.actionGroupId;
    return logAlertDefinitions(resolved.alerts).map(
        (definition) =>
            new monitor.ScheduledQueryRule(
                childName(name, definition.suffix, azureNameRules.alertRule),
                {
                    resourceGroupName: args.resourceGroupName,
                    location: args.location,
                    kind: "LogAlert",
                    description: `${name}: ${definition.description}`,
                    severity: 2,
                    enabled: true,
                    scopes: [logs.workspaceResourceId],
                    evaluationFrequency: definition.evaluationFrequency,
                    windowSize: definition.windowSize,
                    criteria: {
                        allOf: [
                            {
                                // Azure always names the group; a unit test's mocks may not.
                                query: group.name.apply((groupName) => definition.query(groupName ?? "")),
                                timeAggregation: definition.timeAggregation,
                                metricMeasureColumn: definition.measureColumn,
                                operator: "GreaterThan",
                                threshold: definition.threshold,
                                failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
                            },
                        ],
                    },
                    autoMitigate: true,
                    actions: actionGroupId !== undefined ? { actionGroups: [actionGroupId] } : undefined,
                },
                { parent },
            ),
    );
}
