// The README's TypeScript examples, type-checked against the package as a user's program would import it: an
// argument renamed or removed, or an output that no longer exists, fails here before a reader copies it.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { repoRoot } from "../support/files";

/** The package's exports an example may use without importing them (a snippet that shows only the call). */
const packageNames = ["GoWindowsImage", "EcsWindowsService", "WindowsContainerGroup", "ImageIndex"];

/** What the examples take from the rest of the user's program, declared with the types such values have. */
const programValues: Record<string, string> = {
    image: "GoWindowsImage",
    config: "pulumi.Config",
    key: "{ arn: pulumi.Output<string> }",
    group: "{ name: pulumi.Output<string> }",
    vpc: "{ id: pulumi.Output<string> }",
    vpcId: "pulumi.Output<string>",
    subnetIds: "pulumi.Output<string>[]",
    privateSubnetIds: "pulumi.Output<string>[]",
    publicSubnetIds: "pulumi.Output<string>[]",
    dbPassword: "{ arn: pulumi.Output<string> }",
    oncall: "{ arn: pulumi.Output<string> }",
    ecrToken: "{ password: pulumi.Output<string> }",
};

/** The ```ts blocks of README.md with the line each starts on. */
function examples(): { line: number; code: string }[] {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const found: { line: number; code: string }[] = [];
    for (const match of readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
        found.push({ line: readme.slice(0, match.index).split("\n").length, code: match[1] });
    }
    return found;
}

/** The example as a module: imports and declarations for what it uses but does not define, then its code. */
function asModule(code: string): { text: string; preambleLines: number } {
    const imports = [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"go-windows-containers"/g)];
    const imported = new Set(imports.flatMap((m) => m[1].split(",").map((name) => name.trim())));
    const defined = new Set([...code.matchAll(/\b(?:const|let|var)\s+(\w+)/g)].map((m) => m[1]));
    const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(code);
    const declarations = Object.entries(programValues)
        .filter(([name]) => uses(name) && !defined.has(name))
        .map(([name, type]) => `declare const ${name}: ${type};`);
    const needed = (name: string) => !imported.has(name) && (uses(name) || declarations.some((d) => d.includes(name)));
    const missing = packageNames.filter(needed);
    const lines = [
        ...(/import \* as pulumi from/.test(code) ? [] : ['import * as pulumi from "@pulumi/pulumi";']),
        ...(missing.length ? [`import { ${missing.join(", ")} } from "go-windows-containers";`] : []),
        ...declarations,
        "void pulumi;",
    ];
    return { text: `${lines.join("\n")}\n${code}\nexport {};\n`, preambleLines: lines.length };
}

describe("the README's TypeScript examples", function () {
    this.timeout(120000);

    it("type-check against the package, as a program importing go-windows-containers", () => {
        const blocks = examples();
        assert.ok(blocks.length >= 10, `found ${blocks.length} examples`);
        const modules = new Map(
            blocks.map((b) => [
                path.join(repoRoot, "tests", "package", `readme-example-${b.line}.ts`),
                { line: b.line, ...asModule(b.code) },
            ]),
        );
        const files = new Map([...modules].map(([file, m]) => [file, m.text]));
        const options: ts.CompilerOptions = {
            strict: true,
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true,
            skipLibCheck: true,
            resolveJsonModule: true,
            noEmit: true,
            baseUrl: repoRoot,
            paths: { "go-windows-containers": ["components/index.ts"] },
        };
        const host = ts.createCompilerHost(options);
        const { getSourceFile, fileExists, readFile } = host;
        host.fileExists = (file) => files.has(file) || fileExists(file);
        host.readFile = (file) => files.get(file) ?? readFile(file);
        host.getSourceFile = (file, language, ...rest) => {
            const text = files.get(file);
            return text !== undefined
                ? ts.createSourceFile(file, text, language)
                : getSourceFile(file, language, ...rest);
        };
        const program = ts.createProgram([...files.keys()], options, host);
        const problems = ts.getPreEmitDiagnostics(program).flatMap((d) => {
            const block = d.file && modules.get(d.file.fileName);
            if (!d.file || !block) return [];
            const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
            // The code starts on the line after the fence; the preamble comes before it in the module.
            const readmeLine = block.line + 1 + line - block.preambleLines;
            return [`README.md:${readmeLine}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`];
        });
        assert.deepStrictEqual(problems, []);
    });
});
