// The log alerts of a Windows container group, as pure data: Kusto queries over the tables ACI writes to Log Analytics.
import { ResolvedAlerts } from "./resolve";

/** A log alert: the query's rows (or its measure column, summed) over `windowSize`, every `evaluationFrequency`. */
export interface LogAlertDefinition {
    /** Names the rule after the component (`<name>-restarts`). */
    readonly suffix: string;
    readonly description: string;
    /** The Kusto query for the container group of this (generated) name. */
    readonly query: (containerGroupName: string) => string;
    /** `Count` (rows) or `Total` (the sum of `measureColumn`). */
    readonly timeAggregation: "Count" | "Total";
    /** The column summed with `Total`. */
    readonly measureColumn?: string;
    /** The alert fires when the count (or total) is greater than this. */
    readonly threshold: number;
    readonly windowSize: string;
    readonly evaluationFrequency: string;
}

/**
 * The columns of the two tables ACI's Log Analytics integration writes (Microsoft's "Container Instances monitoring
 * data reference", legacy `_CL` tables) that the queries read, with their Kusto types.
 */
export const aciLogTables = {
    ContainerInstanceLog_CL: { TimeGenerated: "datetime", ContainerGroup_s: "string", Message: "string" },
    ContainerEvent_CL: {
        TimeGenerated: "datetime",
        ContainerGroup_s: "string",
        Reason_s: "string",
        Message: "string",
        Count_d: "real",
    },
} as const;
type AciLogTable = keyof typeof aciLogTables;

/** A Kusto string literal (the group name comes from Azure, but quotes are escaped all the same). */
const literal = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The table, or an empty one of the same columns while it does not exist. ACI creates each table with the first
 * record it sends (up to ten minutes after the group starts; events may never come), and Azure validates a rule's
 * query when the rule is created: a plain reference to a missing table fails that (SEM0100). `union isfuzzy=true`
 * drops a leg that does not resolve as long as one leg does, and the empty `datatable` always does.
 */
function tableOrEmpty(table: AciLogTable): string {
    const columns = Object.entries(aciLogTables[table]).map(([column, type]) => `${column}:${type}`);
    return `union isfuzzy=true ${table}, (datatable(${columns.join(", ")})[])`;
}

/**
 * The two alerts: restarts (the group's `Started` events in `ContainerEvent_CL`, each row counting `Count_d`
 * occurrences since ACI's previous poll) and error lines (log lines in `ContainerInstanceLog_CL` that contain the
 * error word). Azure Monitor's CPU and memory metrics are Linux-only, so these are what can watch a Windows group.
 * Microsoft documents `Reason_s` as empty in the legacy events table and once documented events as Linux-only: the
 * restart alert also takes a `Message` that starts with "Started", and stays silent where no events arrive.
 */
export function logAlertDefinitions(alerts: ResolvedAlerts): LogAlertDefinition[] {
    return [
        {
            suffix: "-restarts",
            description: `The container started more than ${alerts.maxRestartsPerHour} times in an hour.`,
            query: (group) =>
                [
                    tableOrEmpty("ContainerEvent_CL"),
                    `| where ContainerGroup_s == ${literal(group)}`,
                    '| where Reason_s == "Started" or Message startswith "Started"',
                ].join("\n"),
            timeAggregation: "Total",
            measureColumn: "Count_d",
            threshold: alerts.maxRestartsPerHour,
            windowSize: "PT1H",
            evaluationFrequency: "PT15M",
        },
        {
            suffix: "-errors",
            description: `More than ${alerts.maxErrorLines} log lines with "${alerts.errorPattern}" in 15 minutes.`,
            query: (group) =>
                [
                    tableOrEmpty("ContainerInstanceLog_CL"),
                    `| where ContainerGroup_s == ${literal(group)}`,
                    `| where Message has ${literal(alerts.errorPattern)}`,
                ].join("\n"),
            timeAggregation: "Count",
            threshold: alerts.maxErrorLines,
            windowSize: "PT15M",
            evaluationFrequency: "PT5M",
        },
    ];
}
