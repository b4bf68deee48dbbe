// The log alerts of a Windows container group, as pure data: Kusto queries over the tables ACI writes to Log Analytics.
import { ResolvedAlerts } from "./resolve";

/** A log alert: the query's rows are counted over `windowSize`, every `evaluationFrequency`. */
export interface LogAlertDefinition {
    /** Names the rule after the component (`<name>-restarts`). */
    readonly suffix: string;
    readonly description: string;
    /** The Kusto query for the container group of this (generated) name. */
    readonly query: (containerGroupName: string) => string;
    /** The alert fires when the count is greater than this. */
    readonly threshold: number;
    readonly windowSize: string;
    readonly evaluationFrequency: string;
}

/** A Kusto string literal (the group name comes from Azure, but quotes are escaped all the same). */
const literal = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The two alerts: restarts (ACI's `Started` events in `ContainerEvent_CL`) and error lines (log lines in
 * `ContainerInstanceLog_CL` that contain the error word). Azure Monitor's CPU and memory metrics are Linux-only, so
 * these are what can watch a Windows group.
 */
export function logAlertDefinitions(alerts: ResolvedAlerts): LogAlertDefinition[] {
    return [
        {
            suffix: "-restarts",
            description: `The container started more than ${alerts.maxRestartsPerHour} times in an hour.`,
            query: (group) =>
                [
                    "ContainerEvent_CL",
                    `| where ContainerGroup_s == ${literal(group)}`,
                    '| where Reason_s == "Started"',
                ].join("\n"),
            threshold: alerts.maxRestartsPerHour,
            windowSize: "PT1H",
            evaluationFrequency: "PT15M",
        },
        {
            suffix: "-errors",
            description: `More than ${alerts.maxErrorLines} log lines with "${alerts.errorPattern}" in 15 minutes.`,
            query: (group) =>
                [
                    "ContainerInstanceLog_CL",
                    `| where ContainerGroup_s == ${literal(group)}`,
                    `| where Message has ${literal(alerts.errorPattern)}`,
                ].join("\n"),
            threshold: alerts.maxErrorLines,
            windowSize: "PT15M",
            evaluationFrequency: "PT5M",
        },
    ];
}
