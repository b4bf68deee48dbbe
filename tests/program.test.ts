// The program under mocks, once per stack file, with config loaded from that file; and its config errors.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { ConfigError, readProgramConfig } from "../config";
import { repoRoot } from "./helpers";
import * as mocks from "./mocks";

const stacksDir = path.join(repoRoot, "stacks");

/** Loads a stack file's config the way the CLI hands it to a program. */
function stackConfig(file: string): Record<string, string> {
    const doc = parse(fs.readFileSync(path.join(stacksDir, file), "utf8")) as { config?: Record<string, unknown> };
    return Object.fromEntries(
        Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

/** Runs index.ts as `pulumi up` would, with the given config; returns its exports once resolved. */
async function runProgram(config: Record<string, string>, stack: string): Promise<Record<string, unknown>> {
    mocks.setupMocks(false, stack);
    pulumi.runtime.setAllConfig(config);
    const entry = require.resolve("../index");
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(entry) as Record<string, pulumi.Output<unknown>>;
    const values: Record<string, unknown> = {};
    for (const [key, output] of Object.entries(program)) values[key] = await mocks.valueOf(output);
    await mocks.settle();
    return values;
}

describe("the program", () => {
    const stackFiles = fs.readdirSync(stacksDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

    it("has a local stack", () => assert.ok(stackFiles.includes("Pulumi.local.yaml")));

    for (const file of stackFiles) {
        const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
        it(`deploys stack ${stack} from ${file}`, async () => {
            const config = stackConfig(file);
            const exports = await runProgram(config, stack);
            const settings = readProgramConfig((key) => config[`go-windows-containers:${key}`]);
            const component = mocks.ofType("go-windows-containers:index:GoWindowsImage");
            assert.deepStrictEqual(
                component.map((r) => r.name),
                ["hello"],
            );
            const image = mocks.resources.find((r) => r.name === "hello-image");
            assert.ok(image, "the image is declared");
            assert.strictEqual(
                image.type,
                settings.strategy === "cross" ? "docker-build:index:Image" : "docker:index/image:Image",
            );
            assert.deepStrictEqual(Object.keys(exports).sort(), [
                "imageRef",
                "repositoryUrl",
                "tag",
                "windowsBuild",
                "windowsVersion",
            ]);
            assert.match(String(exports.imageRef), /@sha256:[a-f0-9]{64}$/);
            assert.strictEqual(exports.windowsVersion, settings.windowsVersion);
            assert.deepStrictEqual(mocks.exposedCredentials(), []);
        });
    }

    it("pushes the local stack to localhost:5000 with no cloud resources", async () => {
        const exports = await runProgram(stackConfig("Pulumi.local.yaml"), "local");
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type),
            ["go-windows-containers:index:GoWindowsImage", "docker-build:index:Image"],
        );
        assert.strictEqual(exports.repositoryUrl, "localhost:5000/samples/hello");
        const image = mocks.ofType("docker-build:index:Image")[0];
        assert.deepStrictEqual(image.inputs.context, { location: "app" });
        assert.strictEqual(image.inputs.registries, undefined);
    });

    it("creates an ECR repository when the stack asks for ecr", async () => {
        await runProgram({ "go-windows-containers:registryKind": "ecr", "aws:region": "us-east-1" }, "ecr");
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type),
            [
                "go-windows-containers:index:GoWindowsImage",
                "aws:ecr/repository:Repository",
                "aws:ecr/lifecyclePolicy:LifecyclePolicy",
                "docker-build:index:Image",
            ],
        );
    });
});

describe("readProgramConfig", () => {
    const read = (values: Record<string, string>) => () => readProgramConfig((k) => values[k]);
    const cases: [string, Record<string, string>, string, RegExp][] = [
        [
            "an unknown registry kind",
            { registryKind: "gcr" },
            "registryKind",
            /"gcr"; allowed values: existing, ecr, acr/,
        ],
        [
            "an existing registry without a server",
            { registryKind: "existing" },
            "registryServer",
            /not set.*localhost:5000/,
        ],
        [
            "ACR without a resource group",
            { registryKind: "acr", acrRegistryName: "contoso" },
            "acrResourceGroup",
            /resource group/,
        ],
        [
            "ACR without a registry name",
            { registryKind: "acr", acrResourceGroup: "rg" },
            "acrRegistryName",
            /registry name/,
        ],
        [
            "an unknown Windows version",
            { registryServer: "localhost:5000", windowsVersion: "2022" },
            "windowsVersion",
            /ltsc2019, ltsc2022, ltsc2025/,
        ],
        [
            "an unknown base image",
            { registryServer: "localhost:5000", baseImage: "core" },
            "baseImage",
            /nanoserver, servercore/,
        ],
        ["an unknown strategy", { registryServer: "localhost:5000", strategy: "kaniko" }, "strategy", /cross, native/],
    ];
    for (const [what, values, key, message] of cases) {
        it(`rejects ${what}, naming \`${key}\``, () => {
            assert.throws(
                read(values),
                (e: unknown) =>
                    e instanceof ConfigError &&
                    e.key === key &&
                    e.message.includes(`\`${key}\``) &&
                    message.test(e.message),
            );
        });
    }
    it("defaults to an existing registry, ltsc2022, nanoserver and the cross strategy", () => {
        assert.deepStrictEqual(read({ registryServer: "localhost:5000" })(), {
            registryKind: "existing",
            registryServer: "localhost:5000",
            acrResourceGroup: undefined,
            acrRegistryName: undefined,
            windowsVersion: "ltsc2022",
            baseImage: "nanoserver",
            strategy: "cross",
            version: "dev",
            builderImageRef: undefined,
            baseImageRef: undefined,
        });
    });
});
