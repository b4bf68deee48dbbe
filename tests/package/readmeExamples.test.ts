// The TypeScript examples of README.md and of every page under docs/, type-checked against the package as a user's
// program would import it: an argument renamed or removed, or an output that no longer exists, fails here before a
// reader copies it. The error names the page and the line.
import * as assert from "assert";
import * as path from "path";
import ts from "typescript";
import { CodeBlock, codeBlocks, docPages } from "../support/docs";
import { repoRoot } from "../support/files";

/** The package's exports an example may use without importing them (a snippet that shows only the call). */
const packageNames = [
    "GoWindowsImage",
    "EcsWindowsService",
    "EcsWindowsCluster",
    "EcsApplicationLoadBalancer",
    "WindowsContainerGroup",
    "ImageIndex",
    "EcrAccountSettings",
    "XrayTransactionSearch",
];

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

/**
 * The example as a module. A block that names its file (`// file: index.ts`) is a whole module, as printed. Any other
 * block gets imports and declarations for what it uses but does not define, then its code.
 */
function asModule(block: CodeBlock): { text: string; preambleLines: number } {
    const code = block.code;
    if (block.file) return { text: code, preambleLines: 0 };
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

/**
 * Where a block is compiled: a folder per page, so that the named files of one page import each other (`./index`),
 * and a file per block, named after the file it stands for or the line it starts on.
 */
function virtualPath(block: CodeBlock): string {
    const folder = path.join(repoRoot, "tests", "package", "examples", block.page.replace(/\.md$/, ""));
    return path.join(folder, block.file ?? `example-${block.line}.ts`);
}

/** Parsed files of the package and its dependencies, shared by every check. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** Type-checks the blocks as one program; returns each problem as `page:line: message`. */
function typeCheck(blocks: CodeBlock[]): string[] {
    const modules = new Map(blocks.map((b) => [virtualPath(b), { block: b, ...asModule(b) }]));
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
    const { getSourceFile, fileExists, readFile, directoryExists } = host;
    const folders = new Set([...files.keys()].map((file) => path.dirname(file)));
    host.fileExists = (file) => files.has(file) || fileExists(file);
    host.directoryExists = (dir) => folders.has(dir) || (directoryExists?.(dir) ?? true);
    host.readFile = (file) => files.get(file) ?? readFile(file);
    host.getSourceFile = (file, language, ...rest) => {
        const text = files.get(file);
        if (text !== undefined) return ts.createSourceFile(file, text, language);
        if (!parsed.has(file)) parsed.set(file, getSourceFile(file, language, ...rest));
        return parsed.get(file);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    const diagnostics = [
        ...program.getOptionsDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...[...files.keys()].flatMap((file) => {
            const source = program.getSourceFile(file);
            return source ? ts.getPreEmitDiagnostics(program, source) : [];
        }),
    ];
    return diagnostics.flatMap((d) => {
        const found = d.file && modules.get(d.file.fileName);
        if (!d.file || !found) return [];
        const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
        // The code starts on the line after the fence; a preamble comes before it in the module.
        const pageLine = found.block.line + 1 + line - found.preambleLines;
        return [`${found.block.page}:${pageLine}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`];
    });
}

describe("the TypeScript examples in README.md and docs/", function () {
    this.timeout(120000);

    it("are found on the front page and in the reference and guides", () => {
        const pages = new Set(docPages().flatMap((page) => codeBlocks(page, "ts").map((b) => b.page)));
        for (const page of [
            "README.md",
            "docs/reference/go-windows-image.md",
            "docs/reference/ecs-windows-service.md",
            "docs/guides/testing.md",
        ]) {
            assert.ok(pages.has(page), `no TypeScript example found in ${page}`);
        }
    });

    it("type-check against the package, as a program importing go-windows-containers", () => {
        const blocks = docPages().flatMap((page) => codeBlocks(page, "ts"));
        assert.ok(blocks.length >= 15, `found ${blocks.length} examples`);
        assert.deepStrictEqual(typeCheck(blocks), []);
    });

    it("report a broken example with its page and line", () => {
        const broken: CodeBlock = {
            page: "docs/guides/example.md",
            line: 40,
            code: 'new GoWindowsImage("api", { context: "./app", ecr: {}, windowsVersoin: "ltsc2022" });\n',
        };
        const problems = typeCheck([broken]);
        assert.strictEqual(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^docs\/guides\/example\.md:41: .*'windowsVersoin' does not exist/);
    });
});
