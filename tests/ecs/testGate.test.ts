// The test gate's pure pieces: the smoke-test Lambda's shipped code (what tsc builds, running alone with Node's modules
// only), the hook and function roles' policies, the lifecycle hook entry the handler reads back, and the settings.
import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import {
    hookInvokePolicy,
    hookRoleTrustPolicy,
    smokeTestArchive,
    smokeTestCodeFiles,
    smokeTestExecutionPolicy,
    smokeTestFunctionSettings,
    smokeTestLifecycleHook,
    smokeTestProblems,
    smokeTestRoleTrustPolicy,
} from "../../components/ecs/testGate";
import { runSmokeTest } from "../../functions/smokeTest";
import { repoRoot } from "../support/files";

/**
 * Compiles the test gate and the smoke test with tsconfig.build.json's options, as `npm run build` does, into a folder
 * under the repository (so the compiled modules find node_modules); returns that folder.
 */
function compileAsTheBuildDoes(): string {
    const configPath = path.join(repoRoot, "tsconfig.build.json");
    const parsed = ts.parseJsonConfigFileContent(
        ts.readConfigFile(configPath, ts.sys.readFile).config,
        ts.sys,
        repoRoot,
    );
    fs.mkdirSync(path.join(repoRoot, ".build"), { recursive: true });
    const outDir = fs.mkdtempSync(path.join(repoRoot, ".build", "test-gate-"));
    const roots = ["components/ecs/testGate.ts", "functions/smokeTest/handler.ts"].map((f) => path.join(repoRoot, f));
    const program = ts.createProgram(roots, { ...parsed.options, outDir, declaration: false, noEmitOnError: true });
    const emitted = program.emit();
    const diagnostics = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
    assert.deepStrictEqual(
        diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
        [],
    );
    return outDir;
}

describe("test gate: the smoke-test Lambda's code", function () {
    this.timeout(120000);
    let buildDir: string;
    before(() => {
        buildDir = compileAsTheBuildDoes();
    });
    after(() => fs.rmSync(buildDir, { recursive: true, force: true }));

    it("is what the build compiles, module by module, without the source map comment", () => {
        const built = path.join(buildDir, "functions/smokeTest");
        const files = smokeTestCodeFiles();
        assert.deepStrictEqual(Object.keys(files).sort(), ["config.js", "handler.js"]);
        for (const [name, text] of Object.entries(files)) {
            const expected = fs
                .readFileSync(path.join(built, name), "utf8")
                .replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
            assert.strictEqual(text, expected, name);
            assert.ok(!text.includes("sourceMappingURL"), name);
        }
    });

    it("needs nothing but Node's http and https and its own modules", () => {
        const required = Object.values(smokeTestCodeFiles()).flatMap((text) =>
            [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
        );
        assert.deepStrictEqual([...new Set(required)].sort(), ["./config", "http", "https"]);
    });

    it("runs on its own in a folder with nothing else, as Lambda runs it, and answers the hook", async () => {
        const server = http.createServer((req, res) => res.writeHead(req.url === "/healthz" ? 200 : 404).end("ok"));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const port = (server.address() as AddressInfo).port;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-lambda-"));
        try {
            for (const [name, text] of Object.entries(smokeTestCodeFiles()))
                fs.writeFileSync(path.join(dir, name), text);
            const hook = smokeTestLifecycleHook("arn:fn", "arn:role", {
                baseUrl: `http://127.0.0.1:${port}`,
                checks: [{ path: "/healthz" }],
            });
            const event = JSON.stringify({
                lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
                hookDetails: JSON.parse(hook.hookDetails),
            });
            // A separate Node with the folder as its only code: `handler.handler` as Lambda resolves it.
            const script =
                `require(${JSON.stringify(path.join(dir, "handler.js"))}).handler(${event})` +
                ".then((r) => process.stderr.write('RESULT ' + JSON.stringify(r)))";
            const output = await new Promise<string>((resolve, reject) => {
                const child = spawn(process.execPath, ["-e", script], { cwd: dir, env: { PATH: process.env.PATH } });
                let text = "";
                child.stdout.on("data", (d) => (text += d));
                child.stderr.on("data", (d) => (text += d));
                child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(text))));
            });
            assert.match(output, /RESULT \{"hookStatus":"SUCCEEDED"\}/);
            assert.match(output, /"outcome":"SUCCEEDED"/, "it logs one JSON line");
        } finally {
            server.close();
        }
    });

    it("is packaged as text assets, the same on every run", async () => {
        const first = smokeTestArchive();
        const second = smokeTestArchive();
        const assets = (await first.assets) as Record<string, { text: Promise<string> }>;
        const again = (await second.assets) as Record<string, { text: Promise<string> }>;
        assert.deepStrictEqual(Object.keys(assets).sort(), ["config.js", "handler.js"]);
        for (const name of Object.keys(assets)) {
            assert.strictEqual(await assets[name].text, smokeTestCodeFiles()[name]);
            assert.strictEqual(await assets[name].text, await again[name].text);
        }
    });

    it("is read from the compiled files when the package is built, without their source map comments", () => {
        // The installed layout: bin/components/ecs/testGate.js reads ../../functions/smokeTest/*.js, and no .ts is
        // there to fall back on.
        const compiled = path.join(buildDir, "functions/smokeTest");
        assert.deepStrictEqual(
            fs.readdirSync(compiled).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
            [],
        );
        const out = execFileSync(
            process.execPath,
            [
                "-e",
                'process.stdout.write(JSON.stringify(require("./components/ecs/testGate.js").smokeTestCodeFiles()))',
            ],
            { cwd: buildDir },
        ).toString();
        const files = JSON.parse(out) as Record<string, string>;
        for (const f of ["handler.js", "config.js"]) {
            const built = fs.readFileSync(path.join(compiled, f), "utf8");
            assert.match(built, /\/\/# sourceMappingURL=/, `${f} as tsc wrote it`);
            assert.ok(!files[f].includes("sourceMappingURL"), f);
            assert.strictEqual(files[f], built.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n"), f);
        }
    });
});

describe("test gate: roles, policies and the hook", () => {
    it("lets only ECS assume the hook role, which may invoke only the smoke-test function", () => {
        assert.deepStrictEqual(JSON.parse(hookRoleTrustPolicy()), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        const arn = "arn:aws:lambda:us-east-1:123456789012:function:api-smoke-test-1a2b3c4";
        assert.deepStrictEqual(JSON.parse(hookInvokePolicy(arn)), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arn }],
        });
    });

    it("lets only Lambda assume the function's role, which writes its own logs and, in a VPC, manages its interfaces", () => {
        assert.deepStrictEqual(JSON.parse(smokeTestRoleTrustPolicy()).Statement[0].Principal, {
            Service: "lambda.amazonaws.com",
        });
        const logGroup = "arn:aws:logs:us-east-1:123456789012:log-group:api-smoke-test-1a2b3c4";
        const outside = JSON.parse(smokeTestExecutionPolicy(logGroup, false));
        assert.deepStrictEqual(outside.Statement, [
            {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${logGroup}:*`,
            },
        ]);
        const inside = JSON.parse(smokeTestExecutionPolicy(logGroup, true));
        assert.strictEqual(inside.Statement.length, 2);
        assert.strictEqual(
            inside.Statement[1].Action.join(" "),
            "ec2:CreateNetworkInterface ec2:DescribeNetworkInterfaces ec2:DescribeSubnets ec2:DeleteNetworkInterface " +
                "ec2:AssignPrivateIpAddresses ec2:UnassignPrivateIpAddresses",
        );
        const actions = inside.Statement.flatMap((s: { Action: string[] }) => s.Action);
        assert.ok(
            !actions.some((a: string) => /^logs:CreateLogGroup$|\*/.test(a)),
            "no log group creation, no wildcards",
        );
    });

    it("declares the hook at POST_TEST_TRAFFIC_SHIFT with the configuration the handler reads back", async () => {
        const config = { baseUrl: "http://127.0.0.1:9", checks: [{ path: "/healthz" }], deadlineSeconds: 0 };
        const hook = smokeTestLifecycleHook("arn:aws:lambda:us-east-1:1:function:f", "arn:aws:iam::1:role/r", config);
        assert.deepStrictEqual(
            { ...hook, hookDetails: JSON.parse(hook.hookDetails) },
            {
                hookTargetArn: "arn:aws:lambda:us-east-1:1:function:f",
                roleArn: "arn:aws:iam::1:role/r",
                lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"],
                hookDetails: { smokeTest: config },
            },
        );
        // ECS hands hookDetails to the function; nothing listens on port 9, so the test fails (and says where).
        const original = console.log;
        const lines: string[] = [];
        console.log = (line: string) => lines.push(line);
        try {
            const answer = await runSmokeTest({ hookDetails: hook.hookDetails }, {}, Date.now);
            assert.deepStrictEqual(answer, { hookStatus: "FAILED" });
        } finally {
            console.log = original;
        }
        assert.match(lines[0], /ECONNREFUSED 127\.0\.0\.1:9/);
    });

    it("gives the function a timeout covering the slowest check, a pinned runtime and a small reserved concurrency", () => {
        assert.deepStrictEqual(
            smokeTestFunctionSettings({ checks: [{ path: "/" }, { path: "/slow", timeoutSeconds: 20 }] }),
            {
                runtime: "nodejs22.x",
                handler: "handler.handler",
                timeout: 30,
                memorySize: 128,
                reservedConcurrentExecutions: 2,
            },
        );
        assert.strictEqual(smokeTestFunctionSettings({ checks: [{ path: "/" }] }).timeout, 15);
    });

    it("names the component's argument in configuration problems", () => {
        assert.deepStrictEqual(
            smokeTestProblems("deployment.tests", { baseUrl: "http://alb", checks: [{ path: "x" }] }),
            ['`deployment.tests.checks[0].path` is "x"; it must be a URL path starting with `/`'],
        );
        assert.deepStrictEqual(
            smokeTestProblems("deployment.tests", { baseUrl: "http://alb", checks: [{ path: "/" }] }),
            [],
        );
    });
});
