// The package as a user installs it: a clean clone, packed with `npm pack`, installed from a git URL and from a folder
// into fresh projects. Each install loads with plain node and shares the project's @pulumi/pulumi; the tarball's is
// type-checked by the project's own tsc, runs the testing guide's example under plain mocks, and gives the component
// schema `pulumi package add` reads. Part of `npm run test:integration`: it takes minutes (npm installs the providers).
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { codeBlocks } from "../support/docs";
import { exportedClassNames } from "../support/components";
import { repoRoot, tempDir } from "../support/files";

/** Runs a command to completion; rejects with its output unless it exits 0. */
function exec(command: string, args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error) reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) failed:\n${stdout}\n${stderr}`));
            else resolve(stdout);
        });
    });
}

/** npm as a user runs it, from the machine's cache where it can (CI fills it with `npm ci`). */
const npm = (args: string[], cwd: string) => exec("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], cwd);

/** The version of a package this repository has installed: the consumer's tools are the same releases. */
const installedVersion = (name: string) =>
    (
        JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")) as {
            version: string;
        }
    ).version;

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    name: string;
    version: string;
    files: string[];
};

/**
 * A clean clone: `git clone` of this checkout's HEAD, with the working tree's changes to files git tracks or would
 * track laid over it and committed, so that an uncommitted change is tested too. No build output, no node_modules.
 */
async function cleanClone(): Promise<string> {
    const clone = path.join(tempDir("package"), "go-windows-containers");
    await exec("git", ["clone", "--quiet", repoRoot, clone], repoRoot);
    const listed = await exec("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], repoRoot);
    for (const file of listed.split("\0").filter(Boolean)) {
        const source = path.join(repoRoot, file);
        const target = path.join(clone, file);
        if (!fs.existsSync(source)) fs.rmSync(target, { force: true });
        else {
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.copyFileSync(source, target);
        }
    }
    await exec("git", ["add", "-A"], clone);
    const git = ["-c", "user.name=test", "-c", "user.email=test@example.com"];
    await exec("git", [...git, "commit", "--quiet", "--allow-empty", "-m", "working tree"], clone);
    assert.ok(!fs.existsSync(path.join(clone, "bin")), "a clean clone has no bin/");
    return clone;
}

/** A fresh project with `npm install <what>`; returns its folder. */
async function consumer(kind: string, install: string[]): Promise<string> {
    const dir = path.join(tempDir(`consumer-${kind}`), "program");
    fs.mkdirSync(dir);
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "program", version: "1.0.0", private: true }),
    );
    await npm(["install", ...install], dir);
    return dir;
}

/** What plain node sees when a program in `dir` requires the package. */
async function loaded(
    dir: string,
): Promise<{ exports: string[]; pulumi: string; pulumiOfPackage: string; component: boolean; deepImport: string }> {
    const script = `
        const path = require("path");
        const pulumi = require("@pulumi/pulumi");
        const library = require(${JSON.stringify(packageJson.name)});
        const packageDir = path.dirname(require.resolve(${JSON.stringify(packageJson.name)}));
        console.log(JSON.stringify({
            exports: Object.keys(library).filter((name) => typeof library[name] === "function").sort(),
            pulumi: require.resolve("@pulumi/pulumi"),
            pulumiOfPackage: require.resolve("@pulumi/pulumi", { paths: [packageDir] }),
            component: library.GoWindowsImage.prototype instanceof pulumi.ComponentResource,
            deepImport: (() => {
                try { require(${JSON.stringify(packageJson.name + "/bin/components/image")}); return "loaded"; }
                catch (e) { return e.code; }
            })(),
        }));`;
    return JSON.parse(await exec(process.execPath, ["-e", script], dir));
}

/** The package as this checkout's source has it. */
function sourceLibrary(): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(repoRoot, "components")) as Record<string, unknown>;
}

/** The functions and classes the package exports, as this checkout's source has them. */
function sourceExports(): string[] {
    const library = sourceLibrary();
    return Object.keys(library)
        .filter((name) => typeof library[name] === "function")
        .sort();
}

/** The consumer's own TypeScript settings: Pulumi's TypeScript template (default lib, skipLibCheck off). */
const templateTsconfig = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: false,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts", "index.test.ts", "more.ts"],
};

/** More of the package's surface than the guide's example uses, as a program would use it. */
const moreOfThePackage = `
import * as pulumi from "@pulumi/pulumi";
import { EcrAccountSettings, GoWindowsImage, ImageIndex, WindowsContainerGroup, checkCompatibility } from "${packageJson.name}";

const image = new GoWindowsImage("web", { context: "app", acr: { resourceGroupName: "rg" }, windowsVersion: "ltsc2019" });
export const group = new WindowsContainerGroup("web", {
    imageRef: image.imageRef,
    windowsVersion: "ltsc2019",
    resourceGroupName: "rg",
    registryServer: image.registryServer,
    registryId: image.acrRegistryId,
});
export const index = new ImageIndex("web-index", {
    registry: "registry.example.com",
    repository: "web",
    tag: "multi",
    entries: [{ digest: "sha256:0", mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1, osVersion: "10.0.17763.1" }],
});
export const scanning = new EcrAccountSettings("account");
export const verdict: string = checkCompatibility("ltsc2022", { kind: "ecs-fargate" }).verdict;
export const ref: pulumi.Output<string> = image.imageRef;
`;

describe("the package installed as a user installs it", function () {
    this.timeout(30 * 60 * 1000);
    let clone: string;
    let tarball: Promise<string>;
    const installs: Record<string, Promise<string>> = {};

    before(async () => {
        clone = await cleanClone();
        // npm clones the git URL, installs its dependencies and runs `prepare` there, on its own, meanwhile.
        installs["a git URL"] = consumer("git", [`git+file://${clone}`]);
        await npm(["ci"], clone);
        tarball = npm(["pack", "--pack-destination", path.dirname(clone)], clone).then((out) =>
            path.join(path.dirname(clone), out.trim().split("\n").pop()!),
        );
        const tools = ["typescript", "@types/node", "@types/mocha"].map((name) => `${name}@${installedVersion(name)}`);
        installs["a tarball from npm pack"] = tarball.then((file) => consumer("tarball", [file, ...tools]));
        // After the pack: both run `prepare` in the clone.
        installs["a folder (--install-links)"] = installs["a tarball from npm pack"].then(() =>
            consumer("folder", ["--install-links", clone]),
        );
        for (const install of Object.values(installs)) install.catch(() => undefined);
    });

    it("packs the built library and functions, their sources, the plugin file and the docs, and nothing else", async () => {
        const entries = (await exec("tar", ["tzf", await tarball], repoRoot)).split("\n").filter(Boolean);
        const topLevel = new Set(entries.map((entry) => entry.split("/")[1]));
        assert.deepStrictEqual([...topLevel].sort(), [...packageJson.files, "package.json"].sort());
        for (const file of [
            "bin/components/index.js",
            "bin/components/index.d.ts",
            "components/index.ts",
            // The smoke-test Lambda the test gate ships (compiled), and the sources the TypeScript entry imports.
            "bin/functions/smokeTest/handler.js",
            "functions/smokeTest/config.ts",
            "PulumiPlugin.yaml",
            "docs/guides/testing.md",
        ]) {
            assert.ok(entries.includes(`package/${file}`), `${file} is not in the package`);
        }
    });

    for (const kind of ["a tarball from npm pack", "a git URL", "a folder (--install-links)"]) {
        it(`installed from ${kind}: plain node requires it, with every export, on the program's own @pulumi/pulumi`, async () => {
            const seen = await loaded(await installs[kind]);
            assert.deepStrictEqual(seen.exports, sourceExports());
            assert.strictEqual(seen.pulumiOfPackage, seen.pulumi, "the package loads a second @pulumi/pulumi");
            assert.ok(seen.component, "GoWindowsImage is not a ComponentResource of the program's @pulumi/pulumi");
            assert.strictEqual(seen.deepImport, "ERR_PACKAGE_PATH_NOT_EXPORTED", "a path inside the package loads");
        });
    }

    describe("in a TypeScript program (the tarball)", () => {
        let program: string;
        before(async () => {
            program = await installs["a tarball from npm pack"];
            // The testing guide's example, as printed, and more of the package's surface.
            for (const block of codeBlocks("docs/guides/testing.md", "ts").filter((b) => b.file)) {
                fs.writeFileSync(path.join(program, block.file!), block.code);
            }
            fs.writeFileSync(path.join(program, "more.ts"), moreOfThePackage);
            fs.mkdirSync(path.join(program, "app"));
            fs.writeFileSync(path.join(program, "app", "go.mod"), "module example.com/billing\n\ngo 1.23\n");
            fs.writeFileSync(path.join(program, "app", "main.go"), "package main\n\nfunc main() {}\n");
        });

        const tsc = (dir: string, config: string) =>
            exec(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", config], dir);

        it("type-checks with the program's own tsc: strict, default lib, skipLibCheck off (Pulumi's template)", async () => {
            fs.writeFileSync(path.join(program, "tsconfig.json"), JSON.stringify(templateTsconfig, null, 2));
            await tsc(program, "tsconfig.json");
            assert.ok(fs.existsSync(path.join(program, "bin", "index.test.js")));
        });

        it("type-checks with node16 module resolution, through the exports map", async () => {
            const node16 = {
                compilerOptions: { strict: true, noEmit: true, module: "node16", moduleResolution: "node16" },
                // The guide's test imports "./index" as a CommonJS program does; node16 would want "./index.js".
                files: ["more.ts"],
            };
            fs.writeFileSync(path.join(program, "tsconfig.node16.json"), JSON.stringify(node16, null, 2));
            await tsc(program, "tsconfig.node16.json");
        });

        it("runs the testing guide's example against the installed package under plain mocks", async () => {
            const mocha = path.join(repoRoot, "node_modules", "mocha", "bin", "mocha.js");
            const out = await exec(
                process.execPath,
                [mocha, "--no-config", "--timeout", "60000", "bin/index.test.js"],
                program,
            );
            assert.match(out, /\b4 passing\b/);
        });

        it("serializes its dynamic providers so that they load where the engine runs them, from node_modules", async () => {
            // The closure serializer requires the package's own modules by path (`<package>/bin/components/...js`),
            // which the exports map must let through; the provider is then loaded as the engine's host loads it.
            const script = `
                const pulumi = require("@pulumi/pulumi");
                const vm = require("vm");
                const providers = {};
                pulumi.runtime.setMocks({
                    newResource: (a) => {
                        if (a.inputs.__provider) providers[a.type.split(":").pop()] = String(a.inputs.__provider);
                        return { id: a.name + "-id", state: { ...a.inputs, pushed: { x: { digest: "sha256:" + "1".repeat(64) } } } };
                    },
                    call: () => ({}),
                }, "p", "s", false);
                const { GoWindowsImage, ImageIndex } = require("${packageJson.name}");
                const digest = "sha256:" + "0".repeat(64);
                new GoWindowsImage("web", { context: "app", strategy: "daemonless", registry: { server: "localhost:5000" },
                    baseImageRef: "mcr.microsoft.com/windows/nanoserver:ltsc2022@" + digest });
                new ImageIndex("web-index", { registry: "localhost:5000", repository: "web", tag: "t",
                    entries: [{ digest, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1, osVersion: "10.0.17763.1" }] });
                process.on("unhandledRejection", () => undefined);
                setTimeout(async () => {
                    const checked = {};
                    for (const [type, text] of Object.entries(providers)) {
                        const module = { exports: {} };
                        vm.runInThisContext("(function (exports, require, module) {" + text + "\\n})")(module.exports, require, module);
                        const failures = (await module.exports.handler().check({}, { registry: "https://x" })).failures;
                        checked[type] = failures.map((f) => f.property)[0];
                    }
                    console.log(JSON.stringify(checked));
                    process.exit(0);
                }, 5000);`;
            const checked = JSON.parse(
                (await exec(process.execPath, ["-e", script], program)).trim().split("\n").pop()!,
            );
            assert.deepStrictEqual(checked, { DaemonlessWindowsImage: "registry", ImageIndex: "registry" });
        });

        it("builds the smoke-test Lambda's package from the installed compiled code, and it loads by itself", async () => {
            // What EcsWindowsService's test gate uploads, written out as Lambda unpacks it, then loaded as Lambda does.
            const script = `
                const fs = require("fs");
                const os = require("os");
                const path = require("path");
                const packageDir = path.dirname(require.resolve(${JSON.stringify(packageJson.name)}));
                const { smokeTestCodeFiles } = require(path.join(packageDir, "ecs", "testGate.js"));
                const files = smokeTestCodeFiles();
                const task = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-task-"));
                for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(task, name), text);
                const handler = require(path.join(task, "handler.js")).handler;
                console.log(JSON.stringify({ files: Object.keys(files).sort(), handler: typeof handler, packageDir }));`;
            const seen = JSON.parse(await exec(process.execPath, ["-e", script], program)) as {
                files: string[];
                handler: string;
                packageDir: string;
            };
            assert.deepStrictEqual(seen.files, ["config.js", "handler.js"]);
            assert.strictEqual(seen.handler, "function");
            assert.ok(seen.packageDir.startsWith(path.join(program, "node_modules")), seen.packageDir);
        });

        it("gives the component schema `pulumi package add` generates from the installed folder", async () => {
            // Every component this checkout exports, as the installed package must describe each.
            const components = exportedClassNames(sourceLibrary());
            assert.ok(components.length >= 7, components.join(", "));
            const script = `
                const path = require("path");
                const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer");
                const manifest = require("${packageJson.name}/package.json");
                const dir = path.dirname(require.resolve("${packageJson.name}/package.json"));
                const names = new Set(${JSON.stringify(components)});
                const schema = new Analyzer(dir, manifest.name, manifest, names).analyze();
                console.log(JSON.stringify(Object.keys(schema.components).sort()));`;
            const described = JSON.parse(await exec(process.execPath, ["-e", script], program));
            assert.deepStrictEqual(described, components);
            assert.ok(fs.existsSync(path.join(program, "node_modules", packageJson.name, "PulumiPlugin.yaml")));
        });
    });
});
