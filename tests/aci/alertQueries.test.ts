// The log alerts' queries, checked as Azure checks them when a rule is created: resolved by Microsoft's Kusto analyzer
// against a workspace without ACI's tables (a first deploy) and with them (every later one).
import * as assert from "assert";
import { aciLogTables, logAlertDefinitions } from "../../components/aci";
import { LogAlertCriterion, TableSchema, logAlertProblems } from "../support/logAnalyticsWorkspace";

/**
 * The legacy tables as Microsoft's "Container Instances monitoring data reference" lists them, every column with its
 * type: what a workspace has once a group has sent its first log line and event.
 */
const documentedTables: Record<string, TableSchema> = {
    ContainerInstanceLog_CL: {
        Computer: "string",
        ContainerGroup_s: "string",
        ContainerID_s: "string",
        ContainerImage_s: "string",
        Location_s: "string",
        Message: "string",
        OSType_s: "string",
        RawData: "string",
        ResourceGroup: "string",
        Source_s: "string",
        SubscriptionId: "string",
        TimeGenerated: "datetime",
        Type: "string",
        _ResourceId: "string",
        _SubscriptionId: "string",
    },
    ContainerEvent_CL: {
        Computer: "string",
        ContainerGroupInstanceId_g: "string",
        ContainerGroup_s: "string",
        ContainerName_s: "string",
        Count_d: "real",
        FirstTimestamp_t: "datetime",
        Location_s: "string",
        Message: "string",
        OSType_s: "string",
        RawData: "string",
        Reason_s: "string",
        ResourceGroup: "string",
        SubscriptionId: "string",
        TimeGenerated: "datetime",
        Type: "string",
        _ResourceId: "string",
        _SubscriptionId: "string",
    },
};
/** Other tables a shared workspace may hold. */
const unrelated: Record<string, TableSchema> = { Heartbeat: { TimeGenerated: "datetime", Computer: "string" } };

const alerts = { enabled: true, maxRestartsPerHour: 3, errorPattern: "panic", maxErrorLines: 20 };
const [restarts, errors] = logAlertDefinitions(alerts);
const criterion = (definition: typeof restarts, group = "api-group1a2b3c4d"): LogAlertCriterion => ({
    query: definition.query(group),
    timeAggregation: definition.timeAggregation,
    metricMeasureColumn: definition.measureColumn,
});

describe("the ACI log alerts' queries", () => {
    const workspaces: [string, Record<string, TableSchema>][] = [
        ["a new workspace without ACI's tables (the first deploy)", {}],
        ["a shared workspace without them", unrelated],
        [
            "a workspace with only the log table (no events arrived)",
            { ...unrelated, ContainerInstanceLog_CL: documentedTables.ContainerInstanceLog_CL },
        ],
        ["a workspace with both tables", { ...unrelated, ...documentedTables }],
    ];
    for (const [what, tables] of workspaces) {
        it(`are accepted on ${what}`, () => {
            assert.deepStrictEqual(logAlertProblems(criterion(restarts), tables), []);
            assert.deepStrictEqual(logAlertProblems(criterion(errors), tables), []);
        });
    }

    it("refuses what Azure refuses: a plain reference to a table the workspace does not have yet", () => {
        const plain = { query: 'ContainerEvent_CL\n| where Reason_s == "Started"', timeAggregation: "Count" };
        assert.match(logAlertProblems(plain, {}).join("\n"), /SEM0100 .*ContainerEvent_CL/);
        assert.deepStrictEqual(logAlertProblems(plain, documentedTables), []);
        const allFuzzy = { query: "union isfuzzy=true ContainerEvent_CL", timeAggregation: "Count" };
        assert.match(logAlertProblems(allFuzzy, {}).join("\n"), /no leg of the query resolved/);
    });

    it("stand in with ACI's own column types, so the tables and their empty stand-ins merge into one column each", () => {
        for (const [table, columns] of Object.entries(aciLogTables))
            for (const [column, type] of Object.entries(columns))
                assert.strictEqual(documentedTables[table][column], type, `${table}.${column}`);
    });

    it("sums each event row's Count_d of the group's starts over an hour; counts error lines over 15 minutes", () => {
        assert.deepStrictEqual(
            [
                restarts.suffix,
                restarts.timeAggregation,
                restarts.measureColumn,
                restarts.threshold,
                restarts.windowSize,
            ],
            ["-restarts", "Total", "Count_d", 3, "PT1H"],
        );
        assert.match(
            restarts.query("g"),
            /\| where ContainerGroup_s == "g"\n\| where Reason_s == "Started" or Message startswith "Started"$/,
        );
        assert.deepStrictEqual(
            [errors.suffix, errors.timeAggregation, errors.measureColumn, errors.threshold, errors.windowSize],
            ["-errors", "Count", undefined, 20, "PT15M"],
        );
        assert.match(errors.query("g"), /\| where ContainerGroup_s == "g"\n\| where Message has "panic"$/);
    });

    it("quotes the group name as a Kusto string, valid whatever it holds", () => {
        assert.match(restarts.query('a"b\\c'), /ContainerGroup_s == "a\\"b\\\\c"/);
        assert.deepStrictEqual(logAlertProblems(criterion(restarts, 'a"b\\c'), documentedTables), []);
    });
});
