// Argument validation: every bad input gets an error that names the argument, what was given and what is allowed.
import * as assert from "assert";
import { GoWindowsImageArgs, resolveImageArgs } from "../../components/image";
import { ecrLogicalName } from "../../components/registries/resolve";
import { expectArgumentError } from "../support/errors";
import { minimalModule, sampleApp, writeModule, tempDir } from "../support/files";

const good: GoWindowsImageArgs = { context: sampleApp, registry: { server: "localhost:5000" } };

function expectError(args: Partial<GoWindowsImageArgs>, argument: string, message: RegExp, name = "api"): void {
    expectArgumentError(() => resolveImageArgs({ ...good, ...args } as GoWindowsImageArgs, name), argument, message);
}

describe("resolveImageArgs", () => {
    it("resolves defaults for the sample app", () => {
        const r = resolveImageArgs(good, "api");
        assert.strictEqual(r.spec.strategy, "cross");
        assert.strictEqual(r.spec.windows.name, "ltsc2022");
        assert.strictEqual(r.spec.baseImage, "nanoserver");
        assert.strictEqual(r.spec.goVersion, "1.23");
        assert.strictEqual(r.spec.packagePath, ".");
        assert.strictEqual(r.spec.binaryName, "hello.exe");
        assert.strictEqual(r.registry.kind, "existing");
        assert.strictEqual(r.registry.repositoryName, "api");
        assert.deepStrictEqual(r.buildArgs, {
            VERSION: "dev",
            REVISION: "unknown",
            SOURCE: "unknown",
            SOURCE_DATE_EPOCH: "0",
        });
    });

    it("declares a health check that runs the binary by default, and none when turned off", () => {
        assert.deepStrictEqual(resolveImageArgs(good, "api").spec.healthCheck, {
            args: ["healthcheck"],
            intervalSeconds: 30,
            timeoutSeconds: 5,
            startPeriodSeconds: 10,
            retries: 3,
        });
        assert.strictEqual(
            resolveImageArgs({ ...good, healthCheck: { enabled: false } }, "api").spec.healthCheck,
            undefined,
        );
    });

    it("accepts an ECR count of tagged images that covers the live image: releases, index, cache", () => {
        const ecr = (keepTaggedImages: number, more: Partial<GoWindowsImageArgs> = {}) =>
            resolveImageArgs({ ...good, registry: undefined, ecr: { keepTaggedImages }, ...more }, "api").registry;
        assert.strictEqual(ecr(1).kind, "ecr");
        assert.strictEqual(ecr(4, { windowsVersions: ["ltsc2019", "ltsc2022", "ltsc2025"] }).kind, "ecr");
        assert.strictEqual(ecr(4, { windowsVersions: ["ltsc2022", "ltsc2025"], registryCache: true }).kind, "ecr");
    });

    it("resolves a main package in a subfolder and names the binary after it", () => {
        const mod = minimalModule({ "cmd/api-server/main.go": "package main\n\nfunc main() {}\n" });
        const r = resolveImageArgs({ ...good, context: mod, package: "./cmd/api-server" }, "api");
        assert.strictEqual(r.spec.packagePath, "./cmd/api-server");
        assert.strictEqual(r.spec.binaryName, "api-server.exe");
    });

    const cases: [string, Partial<GoWindowsImageArgs>, string, RegExp][] = [
        [
            "an ECR count of tagged images that would expire images the live index names",
            {
                registry: undefined,
                ecr: { keepTaggedImages: 4 },
                windowsVersions: ["ltsc2019", "ltsc2022", "ltsc2025"],
                registryCache: true,
            },
            "ecr.keepTaggedImages",
            /is 4; the live image keeps 5 tagged images .*3 release images of `windowsVersions`, the image index, the build cache.*Give at least 5/,
        ],
        [
            "an ECR count of tagged images below one image and its cache",
            { registry: undefined, ecr: { keepTaggedImages: 1 }, registryCache: true },
            "ecr.keepTaggedImages",
            /is 1; the live image keeps 2 tagged images in its repository \(the image, the build cache/,
        ],
        [
            "a base image registry with a scheme",
            { baseImageRegistries: [{ address: "https://mirror.example.com", username: "u", password: "p" }] },
            "baseImageRegistries[0].address",
            /"https:\/\/mirror.example.com".*without a scheme/,
        ],
        [
            "a base image registry given twice",
            {
                baseImageRegistries: [
                    { address: "mirror.example.com", username: "u", password: "p" },
                    { address: "mirror.example.com", username: "v", password: "q" },
                ],
            },
            "baseImageRegistries[1].address",
            /given once/,
        ],
        [
            "a base image registry without a password",
            { baseImageRegistries: [{ address: "mirror.example.com", username: "u" } as never] },
            "baseImageRegistries[0].password",
            /go together/,
        ],
        [
            "unknown Windows version",
            { windowsVersion: "ltsc2016" },
            "windowsVersion",
            /"ltsc2016".*ltsc2019, ltsc2022, ltsc2025/,
        ],
        ["unknown base image flavour", { baseImage: "windows" }, "baseImage", /nanoserver, servercore/],
        ["unknown strategy", { strategy: "buildx" }, "strategy", /cross, native/],
        ["Go version that is not a version", { goVersion: "latest" }, "goVersion", /"latest".*Go release/],
        ["missing context directory", { context: "/does/not/exist" }, "context", /no folder exists/],
        ["empty context", { context: "" }, "context", /path of a folder that holds the Go module/],
        ["context without go.mod", { context: tempDir("nomod") }, "context", /no go\.mod/],
        ["package outside the module", { package: "../other" }, "package", /outside the module/],
        ["absolute package path", { package: "/abs/cmd" }, "package", /relative to the module/],
        ["package without a main package", { package: "./lib" }, "package", /no `package main`/],
        ["no registry", { registry: undefined }, "ecr", /Exactly one of .*none was/],
        ["several registries", { ecr: {} }, "ecr", /`ecr` and `registry` were/],
        [
            "invalid ECR repository name",
            { registry: undefined, ecr: { repositoryName: "Bad_Name!" } },
            "ecr.repositoryName",
            /lowercase/,
        ],
        [
            "invalid ECR expiry",
            { registry: undefined, ecr: { untaggedExpiryDays: 0 } },
            "ecr.untaggedExpiryDays",
            /whole number from 1/,
        ],
        [
            "invalid ECR keep count",
            { registry: undefined, ecr: { keepTaggedImages: 2.5 } },
            "ecr.keepTaggedImages",
            /whole number/,
        ],
        [
            "invalid ACR registry name",
            { registry: undefined, acr: { resourceGroupName: "rg", registryName: "my-registry" } },
            "acr.registryName",
            /5 to 50 letters and digits/,
        ],
        [
            "unknown ACR SKU",
            { registry: undefined, acr: { resourceGroupName: "rg", registryName: "myregistry", sku: "Gold" } },
            "acr.sku",
            /Basic, Standard, Premium/,
        ],
        [
            "zone redundancy below Premium",
            { registry: undefined, acr: { resourceGroupName: "rg", registryName: "myregistry", zoneRedundancy: true } },
            "acr.zoneRedundancy",
            /Premium/,
        ],
        [
            "retention below Premium",
            { registry: undefined, acr: { resourceGroupName: "rg", registryName: "myregistry", retentionDays: 7 } },
            "acr.retentionDays",
            /Premium/,
        ],
        [
            "invalid ACR repository",
            { registry: undefined, acr: { resourceGroupName: "rg", registryName: "myregistry", repositoryName: "UP" } },
            "acr.repositoryName",
            /lowercase/,
        ],
        [
            "registry server with a scheme",
            { registry: { server: "https://localhost:5000" } },
            "registry.server",
            /without a scheme/,
        ],
        [
            "invalid registry repository",
            { registry: { server: "localhost:5000", repositoryName: "a//b" } },
            "registry.repositoryName",
            /lowercase/,
        ],
        [
            "a registry user name without a password",
            { registry: { server: "localhost:5000", username: "me" } },
            "registry.password",
            /go together/,
        ],
        ["port out of range", { ports: [8080, 70000] }, "ports[1]", /70000.*1 to 65535/],
        ["port zero", { ports: [0] }, "ports[0]", /1 to 65535/],
        ["duplicate ports", { ports: [80, 80] }, "ports", /once/],
        [
            "cross build asked to RUN on Windows",
            { runtimeSetup: ["mkdir C:\\data"] },
            "runtimeSetup",
            /cross.*cannot RUN.*native/,
        ],
        [
            "empty native setup command",
            { strategy: "native", runtimeSetup: [" "] },
            "runtimeSetup[0]",
            /one non-empty line/,
        ],
        ["PATH in env", { env: { Path: "C:\\bin" } }, "env", /PATH cannot be set/],
        ["invalid env name", { env: { "1BAD": "x" } }, "env", /variable names/],
        ["multi-line env value", { env: { A: "x\ny" } }, "env.A", /one line/],
        ["invalid build tag", { buildTags: ["ok", "no space"] }, "buildTags[1]", /build tags/],
        ["ldflags with a quote", { ldflags: ['-X main.x="y"'] }, "ldflags[0]", /quotes/],
        ["invalid version variable", { versionVariable: "version" }, "versionVariable", /main\.version/],
        ["invalid version", { version: "1.0 beta" }, "version", /passed to the linker/],
        ["invalid builder override", { builderImageRef: "Not A Ref" }, "builderImageRef", /image reference/],
        ["invalid base override", { baseImageRef: "http://x/y" }, "baseImageRef", /image reference/],
        ["health check interval", { healthCheck: { intervalSeconds: 0 } }, "healthCheck.intervalSeconds", /1 to 86400/],
        ["health check retries", { healthCheck: { retries: -1 } }, "healthCheck.retries", /1 to 100/],
        [
            "both windowsVersion and windowsVersions",
            { windowsVersion: "ltsc2022", windowsVersions: ["ltsc2022"] },
            "windowsVersions",
            /give exactly one of them/,
        ],
        ["an empty list of releases", { windowsVersions: [] }, "windowsVersions", /non-empty list/],
        ["an unknown release in the list", { windowsVersions: ["ltsc2016"] }, "windowsVersions", /"ltsc2016" is not/],
        ["a release listed twice", { windowsVersions: ["ltsc2019", "ltsc2019"] }, "windowsVersions", /listed once/],
        [
            "several releases built natively",
            { strategy: "native", windowsVersions: ["ltsc2022"] },
            "windowsVersions",
            /only the `cross` and `daemonless` strategies/,
        ],
        [
            "Windows-stage commands with daemonless",
            { strategy: "daemonless", runtimeSetup: ["mkdir C:\\data"] },
            "runtimeSetup",
            /`daemonless` strategy has no Windows stage.*Use `strategy: "native"`/,
        ],
        ["cgo with daemonless", { strategy: "daemonless", cgo: true }, "cgo", /cgo off on this machine.*"cross"/],
        [
            "a builder image with daemonless",
            { strategy: "daemonless", builderImageRef: "golang:1.23" },
            "builderImageRef",
            /in no builder image.*"cross"/,
        ],
        [
            "a builder with daemonless",
            { strategy: "daemonless", builderName: "windows" },
            "builderName",
            /only the `cross` strategy uses/,
        ],
        [
            "a registry cache with daemonless",
            { strategy: "daemonless", registryCache: true },
            "registryCache",
            /this machine's Go build cache/,
        ],
        [
            "module credentials with daemonless",
            { strategy: "daemonless", moduleAuth: { sshAgent: true } },
            "moduleAuth",
            /this machine's own credentials/,
        ],
        [
            "one base for several releases",
            { windowsVersions: ["ltsc2022"], baseImageRef: "mirror.example.com/nanoserver:ltsc2022" },
            "baseImageRef",
            /Give each release's base in `baseImageRefs`/,
        ],
        [
            "bases per release without windowsVersions",
            { baseImageRefs: { ltsc2022: "mirror.example.com/nanoserver:ltsc2022" } },
            "baseImageRefs",
            /`windowsVersions`, which is not given/,
        ],
        [
            "a base for a release the list does not have",
            { windowsVersions: ["ltsc2022"], baseImageRefs: { ltsc2019: "mirror.example.com/nanoserver:1809" } },
            "baseImageRefs",
            /"ltsc2019" is not a release of `windowsVersions`/,
        ],
        [
            "a base per release that is no reference",
            { windowsVersions: ["ltsc2022"], baseImageRefs: { ltsc2022: "http://x/y" } },
            "baseImageRefs.ltsc2022",
            /image reference/,
        ],
        [
            "bases per release as a list",
            { windowsVersions: ["ltsc2022"], baseImageRefs: ["x/y:1"] as unknown as Record<string, string> },
            "baseImageRefs",
            /map releases to image references/,
        ],
    ];
    for (const [what, args, argument, message] of cases) {
        it(`rejects ${what}, naming \`${argument}\``, () => {
            const context = args.package === "./lib" ? minimalModule({ "lib/lib.go": "package lib\n" }) : good.context;
            expectError({ context, ...args }, argument, message);
        });
    }

    it("resolves windowsVersions to one spec per release, oldest first, each on its base; the newest is the image's", () => {
        const mirror = "mirror.example.com/windows/nanoserver:ltsc2022";
        const r = resolveImageArgs(
            { ...good, windowsVersions: ["ltsc2025", "ltsc2022"], baseImageRefs: { ltsc2022: mirror } },
            "api",
        );
        assert.deepStrictEqual(
            r.releaseSpecs?.map((spec) => [spec.windows.name, spec.baseImageRef]),
            [
                ["ltsc2022", mirror],
                ["ltsc2025", undefined],
            ],
        );
        assert.strictEqual(r.spec.windows.name, "ltsc2025");
        for (const spec of r.releaseSpecs ?? [])
            assert.deepStrictEqual({ ...spec, windows: r.spec.windows, baseImageRef: undefined }, r.spec);
        assert.strictEqual(resolveImageArgs(good, "api").releaseSpecs, undefined, "none for windowsVersion");
    });

    it("fits the ECR repository's logical name to ECR's rules whatever the component's name", () => {
        assert.strictEqual(ecrLogicalName("api"), "api-repo");
        for (const name of ["My API", "Api", "x".repeat(300)]) {
            const logical = ecrLogicalName(name);
            assert.match(`${logical}-1a2b3c4`, /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, name);
            assert.ok(`${logical}-1a2b3c4`.length <= 256, name);
        }
        assert.notStrictEqual(ecrLogicalName("My API"), ecrLogicalName("My-API"), "different names stay different");
    });

    it("rejects a module whose go.mod names no Go version when none is given", () => {
        const mod = writeModule(tempDir("nogo"), {
            "go.mod": "module example.com/x\n",
            "main.go": "package main\nfunc main() {}\n",
        });
        expectError({ context: mod }, "goVersion", /no `go` or `toolchain` line/);
    });

    it("accepts each registry kind alone", () => {
        assert.strictEqual(resolveImageArgs({ context: sampleApp, ecr: {} }, "api").registry.kind, "ecr");
        assert.strictEqual(
            resolveImageArgs(
                { context: sampleApp, acr: { resourceGroupName: "rg", registryName: "myregistry" } },
                "api",
            ).registry.kind,
            "acr",
        );
    });
});
