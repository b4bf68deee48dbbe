// Runs every row of the "Bad input" table (docs/reference/bad-input.md), and checks that it lists every validated argument.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, readProgramConfig } from "../../config";

import { resolveContainerGroupArgs } from "../../components/aci";
import { ArgumentError } from "../../components/core";
import {
    resolveApplicationLoadBalancerArgs,
    resolveClusterArgs,
    resolveEcsServiceArgs,
    resolveTransactionSearchArgs,
} from "../../components/ecs";
import { resolveAzureContainerRegistryArgs } from "../../components/registries/resolve";
import { resolveImageArgs } from "../../components/image";
import { readPage } from "../support/docs";
import { repoRoot } from "../support/files";

interface Row {
    component: string;
    argument: string;
    example: Record<string, unknown>;
    says: string;
}

/** The rows of the table in docs/reference/bad-input.md. */
function tableRows(): Row[] {
    return readPage("docs/reference/bad-input.md")
        .split("\n")
        .filter((line) => /^\| [A-Za-z]/.test(line) && !line.startsWith("| component"))
        .map((line) => {
            // Split on the pipes between cells, not escaped ones; prettier pads cells with spaces.
            const cells = line
                .split(/(?<!\\)\|/)
                .slice(1, -1)
                .map((c) => c.trim());
            return {
                component: cells[0],
                argument: cells[1].replace(/`/g, ""),
                example: JSON.parse(cells[2].replace(/^`|`$/g, "")),
                says: cells[3].replace(/\\\|/g, "|"),
            };
        });
}

/** Merges an example into valid arguments; `null` removes a key. */
function merge(base: Record<string, unknown>, example: Record<string, unknown>): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...base, ...example };
    for (const [key, value] of Object.entries(example)) if (value === null) delete merged[key];
    return merged;
}

const validators: Record<string, (example: Record<string, unknown>) => unknown> = {
    GoWindowsImage: (e) =>
        resolveImageArgs(merge({ context: "app", registry: { server: "localhost:5000" } }, e) as never, "api"),
    EcsWindowsService: (e) =>
        resolveEcsServiceArgs(merge({ windowsVersion: "ltsc2022", subnetIds: ["subnet-a"] }, e) as never),
    EcsWindowsCluster: (e) => resolveClusterArgs(merge({ vpcId: "vpc-1", subnetIds: ["subnet-a"] }, e) as never),
    EcsApplicationLoadBalancer: (e) =>
        resolveApplicationLoadBalancerArgs(
            merge(
                { vpcId: "vpc-1", subnetIds: ["a", "b"], certificateArn: "arn:aws:acm:us-east-1:1:certificate/c" },
                e,
            ) as never,
        ),
    XrayTransactionSearch: (e) => resolveTransactionSearchArgs(e as never),
    WindowsContainerGroup: (e) => resolveContainerGroupArgs(merge({ windowsVersion: "ltsc2019" }, e) as never),
    AzureContainerRegistry: (e) => resolveAzureContainerRegistryArgs(merge({ resourceGroupName: "rg" }, e) as never),
    "program config": (e) => {
        const values = merge({ registryServer: "localhost:5000" }, e) as Record<string, string>;
        return readProgramConfig((key) => values[key]);
    },
};

describe("the bad input table (docs/reference/bad-input.md)", () => {
    const rows = tableRows();

    it("has rows for every component and the program's config", () => {
        assert.deepStrictEqual([...new Set(rows.map((r) => r.component))].sort(), Object.keys(validators).sort());
        assert.ok(rows.length >= 70, `${rows.length} rows`);
    });

    for (const row of rows) {
        it(`${row.component}: \`${row.argument}\` ${JSON.stringify(row.example)}`, () => {
            assert.throws(
                () => validators[row.component](row.example),
                (e: unknown) => {
                    const name = e instanceof ArgumentError ? e.argument : e instanceof ConfigError ? e.key : undefined;
                    assert.strictEqual(name, row.argument, String(e));
                    assert.ok((e as Error).message.includes(`\`${row.argument}\``), (e as Error).message);
                    assert.ok((e as Error).message.includes(row.says), `"${(e as Error).message}" says "${row.says}"`);
                    return true;
                },
            );
        });
    }

    it("lists every argument the validators name literally", () => {
        const listed = new Set(
            rows.map((r) => `${r.component === "program config" ? "config" : "component"}:${r.argument}`),
        );
        const checks =
            /(?:fail|missing|oneOf|checkWindowsVersion|checkWindowsVersionList|checkWholeNumber|checkNumber|checkVariableName|checkPlainEnvironment|checkHost|checkHealthCheckPath|checkTenths)\(\s*"([^"]+)"/g;
        const componentSources = ["image", "registries", "ecs", "aci"]
            .map((area) => `components/${area}/resolve.ts`)
            .concat(
                "components/image/resolveSource.ts",
                "components/core/hostChecks.ts",
                "components/core/imageReleases.ts",
                "components/ecs/clusterArgs.ts",
                "components/ecs/loadBalancerArgs.ts",
                "components/ecs/testGate.ts",
                "components/ecs/chaosDrill.ts",
                "components/ecs/traces.ts",
                "components/ecs/xrayTransactionSearch.ts",
            );
        const sources: [string, string, RegExp][] = [
            ...componentSources.map((file): [string, string, RegExp] => ["component", file, checks]),
            [
                "config",
                "config.ts",
                /(?:oneOf|required|requiredList|wholeNumber|decimal|stringList|arn|flag)\(\s*"([^"]+)"/g,
            ],
        ];
        const missing: string[] = [];
        for (const [kind, file, pattern] of sources) {
            for (const [, argument] of fs.readFileSync(path.join(repoRoot, file), "utf8").matchAll(pattern)) {
                if (!listed.has(`${kind}:${argument}`)) missing.push(`${file}: ${argument}`);
            }
        }
        // A host release without a collector image: every release ECS runs today has one (Server 2025 runs 2022's).
        const unreachable = ["components/ecs/traces.ts: traces"];
        assert.deepStrictEqual(
            [...new Set(missing)].filter((m) => !unreachable.includes(m)),
            [],
        );
    });
});
