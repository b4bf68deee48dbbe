// A Log Analytics workspace as Azure Monitor sees it when a log alert rule is created: Microsoft's own Kusto parser
// and semantic analyzer (@kusto/language-service-next) resolve the rule's query against the tables the workspace has.
import "@kusto/language-service-next/bridge.min.js";
import "@kusto/language-service-next/Kusto.Language.Bridge.min.js";

/** The parts of the Kusto.Language API (a .NET library compiled to JavaScript) that the workspace uses. */
interface KustoList<T> {
    readonly Count: number;
    getItem(index: number): T;
}
interface KustoLanguage {
    readonly Symbols: {
        readonly TableSymbol: { $ctor7: new (name: string, schema: string, description: null) => object };
        readonly DatabaseSymbol: { ctor: new (name: string, members: object[]) => object };
    };
    readonly GlobalState: { readonly Default: { WithDatabase(database: object): object } };
    readonly KustoCode: {
        ParseAndAnalyze(
            text: string,
            globals: object,
        ): {
            GetDiagnostics(): KustoList<{ Code: string; Severity: string; Message: string }>;
            readonly ResultType: {
                readonly IsOpen: boolean;
                readonly Columns: KustoList<{ Name: string; Type: { Name: string } }>;
            } | null;
        };
    };
}
const kusto = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;

/** A table's columns and their Kusto types, e.g. `{ TimeGenerated: "datetime" }`. */
export type TableSchema = Readonly<Record<string, string>>;

/** What a scheduled query rule's criterion asks of its query. */
export interface LogAlertCriterion {
    readonly query: string;
    readonly timeAggregation: string;
    readonly metricMeasureColumn?: string;
}

const numericTypes = ["real", "long", "int", "decimal"];

/**
 * The reasons Azure refuses to create (or cannot evaluate) a rule with this criterion on a workspace holding `tables`;
 * empty when it accepts it. As Azure: a name that resolves to no table or column is an error (SEM0100, "Failed to
 * resolve table or column expression"); a `union isfuzzy=true` may skip legs that do not resolve, but not all of them
 * (the query then returns an error); the result needs `TimeGenerated` to be cut into windows, and a numeric measure
 * column for any aggregation but `Count`.
 */
export function logAlertProblems(
    criterion: LogAlertCriterion,
    tables: Readonly<Record<string, TableSchema>>,
): string[] {
    const symbols = Object.entries(tables).map(
        ([name, columns]) =>
            new kusto.Symbols.TableSymbol.$ctor7(
                name,
                `(${Object.entries(columns)
                    .map(([column, type]) => `${column}:${type}`)
                    .join(", ")})`,
                null,
            ),
    );
    const workspace = kusto.GlobalState.Default.WithDatabase(
        new kusto.Symbols.DatabaseSymbol.ctor("workspace", symbols),
    );
    const code = kusto.KustoCode.ParseAndAnalyze(criterion.query, workspace);
    const problems: string[] = [];
    const diagnostics = code.GetDiagnostics();
    for (let i = 0; i < diagnostics.Count; i++) {
        const d = diagnostics.getItem(i);
        if (d.Severity === "Error") problems.push(`SEM0100 ${d.Code}: ${d.Message}`);
    }
    const result = code.ResultType;
    const columns = new Map<string, string>();
    for (let i = 0; result && i < result.Columns.Count; i++) {
        const column = result.Columns.getItem(i);
        columns.set(column.Name, column.Type.Name);
    }
    // An unresolved fuzzy leg leaves the result open; with no resolved leg it has no column of a known type.
    if (!result || (result.IsOpen && columns.size === 0) || [...columns.values()].includes("unknown"))
        problems.push("no leg of the query resolved to a table the workspace has");
    if (columns.get("TimeGenerated") !== "datetime") problems.push("the result has no TimeGenerated column");
    if (criterion.timeAggregation !== "Count") {
        const type = columns.get(criterion.metricMeasureColumn ?? "");
        if (!type || !numericTypes.includes(type))
            problems.push(`the measure column ${criterion.metricMeasureColumn} is not a number in the result`);
    }
    return problems;
}
