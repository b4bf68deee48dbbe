// The reference pages list every argument: each component's arguments in the table of its page in docs/reference/,
// and every property of the other argument types the package exports (nested ones such as `ecr` or `deployment`)
// somewhere in those pages' code. An argument added without its documentation fails here.
import * as assert from "assert";
import * as path from "path";
import ts from "typescript";
import { docPages, readPage } from "../support/docs";
import { repoRoot } from "../support/files";

/** The argument interfaces the package exports, with their property names (inherited ones too). */
function exportedArgs(): { name: string; properties: string[] }[] {
    const entry = path.join(repoRoot, "components", "index.ts");
    const program = ts.createProgram([entry], { strict: true, skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    return checker
        .getExportsOfModule(module)
        .map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol))
        .filter((symbol) => symbol.flags & ts.SymbolFlags.Interface && symbol.name.endsWith("Args"))
        .map((symbol) => ({
            name: symbol.name,
            properties: checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((p) => p.name),
        }));
}

/** The names in backticks in the first column of a page's tables. */
function tableArguments(text: string): Set<string> {
    const names = new Set<string>();
    for (const row of text.split("\n").filter((line) => line.startsWith("| `"))) {
        for (const [, name] of row.split("|")[1].matchAll(/`(\w+)`/g)) names.add(name);
    }
    return names;
}

/** Every word inside code spans and code blocks of a page. */
function codeWords(text: string): Set<string> {
    const code = [...text.matchAll(/^```[\s\S]*?^```$|`[^`\n]+`/gm)].map((m) => m[0]).join(" ");
    return new Set(code.match(/\w+/g) ?? []);
}

const referencePages = () => docPages().filter((page) => page.startsWith(path.join("docs", "reference")));

/** The reference page of a component: the one whose title starts with its name. */
function pageOf(component: string): string | undefined {
    return referencePages().find((page) => new RegExp(`^# ${component}\\b`).test(readPage(page)));
}

describe("the reference pages", function () {
    this.timeout(120000);
    const args = exportedArgs();

    it("are found for the package's argument types", () => {
        const names = args.map((a) => a.name);
        for (const name of ["GoWindowsImageArgs", "EcsWindowsServiceArgs", "EcrRepositoryArgs", "EcsDeploymentArgs"]) {
            assert.ok(names.includes(name), `${name} is not exported`);
        }
    });

    it("list every argument of each component in the table of its page", () => {
        const missing: string[] = [];
        for (const { name, properties } of args) {
            const component = name.replace(/Args$/, "");
            const page = pageOf(component);
            if (!page) continue; // not a component's own arguments (checked below)
            const listed = tableArguments(readPage(page));
            for (const property of properties)
                if (!listed.has(property)) missing.push(`${page}: ${component} \`${property}\``);
        }
        assert.deepStrictEqual(missing, []);
        assert.ok(pageOf("GoWindowsImage") && pageOf("ImageIndex"), "the pages are titled after their components");
    });

    it("mention every property of the other argument types", () => {
        const words = new Set(referencePages().flatMap((page) => [...codeWords(readPage(page))]));
        const missing = args
            .filter((a) => !pageOf(a.name.replace(/Args$/, "")))
            .flatMap((a) => a.properties.filter((p) => !words.has(p)).map((p) => `${a.name}.${p}`));
        assert.deepStrictEqual(missing, []);
    });
});
