// Real-world Go modules under the mocks: vendored, private, monorepo, cgo, a shared cache, and the toolchain go.mod asks for.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { goBuildInputs } from "../../components/image";
import { tempDir, writeModule } from "../support/files";
import { cgoModule, goBinary, monorepo, vendoredModule, windowsBuildEnv } from "../support/goModules";
import * as mocks from "../support/mocks";

interface Declared {
    dockerfile: string;
    build: mocks.RecordedResource;
    tag: string;
}

async function declare(args: Partial<GoWindowsImageArgs> & { context: string }): Promise<Declared> {
    mocks.setupMocks();
    const image = new GoWindowsImage("api", { registry: { server: "localhost:5000" }, ...args });
    const dockerfile = await mocks.valueOf(image.dockerfile);
    const tag = await mocks.valueOf(image.tag);
    await mocks.valueOf(image.imageRef);
    await mocks.settle();
    return { dockerfile, tag, build: mocks.ofType("docker-build:index:Image")[0] };
}

/** The build stage's and the runtime stage's lines. */
function stages(dockerfile: string): { build: string; runtime: string } {
    const at = dockerfile.lastIndexOf("\nFROM ");
    return { build: dockerfile.slice(0, at), runtime: dockerfile.slice(at) };
}

function refused(args: Partial<GoWindowsImageArgs> & { context: string }, argument: string, message: RegExp): void {
    mocks.setupMocks();
    assert.throws(
        () => new GoWindowsImage("api", { registry: { server: "localhost:5000" }, ...args }),
        (e: unknown) =>
            pulumi.ResourceError.isInstance(e) &&
            (e as Error).message.includes(`\`${argument}\``) &&
            message.test((e as Error).message),
    );
}

describe("vendored modules", () => {
    it("download nothing and build from vendor/ with -mod=vendor", async () => {
        const { dockerfile } = await declare({ context: vendoredModule() });
        const { build } = stages(dockerfile);
        assert.doesNotMatch(build, /go mod download/);
        assert.match(build, /go build -trimpath -buildvcs=false -mod=vendor /);
    });

    it("in a workspace, follow the workspace's vendor folder and not the module's, as Go does", async () => {
        const root = tempDir("workspace");
        vendoredModule(path.join(root, "svc"));
        fs.writeFileSync(path.join(root, "go.work"), "go 1.23\n\nuse ./svc\n");
        // Go itself ignores svc/vendor under the go.work: -mod=vendor looks for the workspace's vendor folder.
        const go = spawnSync(goBinary(), ["build", "-mod=vendor", "-o", os.devNull, "."], {
            cwd: path.join(root, "svc"),
            env: windowsBuildEnv(),
            encoding: "utf8",
        });
        assert.notStrictEqual(go.status, 0);
        assert.match(go.stderr, /inconsistent vendoring in /);
        const moduleVendor = stages((await declare({ context: root, module: "svc" })).dockerfile).build;
        assert.match(moduleVendor, /go mod download/);
        assert.doesNotMatch(moduleVendor, /-mod=vendor/);

        // `go work vendor` writes the workspace's own vendor/modules.txt: then nothing downloads.
        fs.mkdirSync(path.join(root, "vendor"));
        fs.writeFileSync(path.join(root, "vendor", "modules.txt"), "## workspace\n");
        const workspaceVendor = stages((await declare({ context: root, module: "svc" })).dockerfile).build;
        assert.doesNotMatch(workspaceVendor, /go mod download/);
        assert.match(workspaceVendor, /go build -trimpath -buildvcs=false -mod=vendor /);
    });

    it("refuse GOFLAGS that would leave vendor/ and need the network, naming the argument", () => {
        refused({ context: vendoredModule(), goEnv: { GOFLAGS: "-mod=mod" } }, "goEnv.GOFLAGS", /vendor/);
    });
});

describe("the Go environment and private modules", () => {
    const app = () =>
        writeModule(tempDir("app"), {
            "go.mod": "module example.com/app\n\ngo 1.23\n",
            "main.go": "package main\n\nfunc main() {}\n",
        });

    it("set GOPROXY, GOPRIVATE and GOFLAGS in the build stage only, and change the tag", async () => {
        const context = app();
        const plain = await declare({ context });
        const { dockerfile, tag } = await declare({
            context,
            goEnv: {
                GOPROXY: "https://goproxy.corp.example.com,direct",
                GOPRIVATE: "corp.example.com/*",
                GOFLAGS: "-buildvcs=false",
            },
        });
        const { build, runtime } = stages(dockerfile);
        assert.match(
            build,
            /^ENV GOFLAGS="-buildvcs=false" GOPRIVATE="corp\.example\.com\/\*" GOPROXY="https:\/\/goproxy\.corp\.example\.com,direct"$/m,
        );
        assert.doesNotMatch(runtime, /GOPROXY|GOPRIVATE/);
        assert.notStrictEqual(tag, plain.tag);
    });

    it("reach the module steps as a BuildKit secret, a secret in the state too, and never as a build argument", async () => {
        const { dockerfile, build } = await declare({
            context: app(),
            moduleAuth: {
                netrc: pulumi.secret(
                    `machine goproxy.corp.example.com login ci password ${mocks.fakeCredentials.registryPassword}`,
                ),
                gitToken: pulumi.secret(mocks.fakeCredentials.ecrPassword),
                gitHost: "git.corp.example.com",
            },
        });
        const secretMount = "--mount=type=secret,id=netrc,target=/root/.netrc";
        assert.match(
            dockerfile,
            new RegExp(`^RUN --mount=type=cache,target=/go/pkg/mod ${secretMount} go mod download$`, "m"),
        );
        assert.match(
            dockerfile,
            new RegExp(`^RUN --mount=type=cache,target=/go/pkg/mod ${secretMount} --mount=type=cache`, "m"),
        );
        const netrc = mocks.unwrapSecrets(build.inputs.secrets) as { netrc: string };
        assert.strictEqual(
            netrc.netrc,
            `machine goproxy.corp.example.com login ci password ${mocks.fakeCredentials.registryPassword}\n` +
                `machine git.corp.example.com login x-access-token password ${mocks.fakeCredentials.ecrPassword}\n`,
        );
        assert.deepStrictEqual(build.inputs.ignoreSecretsInDiffCalculation, ["netrc"], "a new token does not rebuild");
        assert.deepStrictEqual(mocks.exposedCredentials(), [], "wrapped as a secret wherever it is recorded");
        const plainText = JSON.stringify({ dockerfile, buildArgs: build.inputs.buildArgs, tags: build.inputs.tags });
        for (const credential of Object.values(mocks.fakeCredentials)) assert.ok(!plainText.includes(credential));
    });

    it("forward the SSH agent for git over SSH", async () => {
        const { dockerfile, build } = await declare({ context: app(), moduleAuth: { sshAgent: true } });
        assert.deepStrictEqual(build.inputs.ssh, [{ id: "default" }]);
        assert.match(dockerfile, /^RUN --mount=type=cache,target=\/go\/pkg\/mod --mount=type=ssh go mod download$/m);
        assert.match(dockerfile, /^ENV GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=accept-new"$/m);
        assert.strictEqual(build.inputs.secrets, undefined);
    });

    it("refuse credentials given as plain text, naming the argument", () => {
        refused(
            { context: app(), moduleAuth: { netrc: "machine x login y password z" } },
            "moduleAuth.netrc",
            /secret/,
        );
        refused({ context: app(), moduleAuth: { gitToken: "ghp_plain" } }, "moduleAuth.gitToken", /secret/);
    });

    it("refuse names Go does not read, and GOFLAGS the component decides, naming the argument", () => {
        refused({ context: app(), goEnv: { GOPATH: "/x" } as never }, "goEnv", /allowed names/);
        refused({ context: app(), goEnv: { GOFLAGS: "-ldflags=-X=a" } }, "goEnv.GOFLAGS", /ldflags/);
        refused({ context: app(), goEnv: { GOFLAGS: "-mod=vendor" } }, "goEnv.GOFLAGS", /vendor\/modules\.txt/);
    });
});

describe("monorepos", () => {
    it("send the context, build in the module, and copy every module file before the download", async () => {
        const { dockerfile } = await declare({ context: monorepo(), module: "services/api" });
        const { build } = stages(dockerfile);
        assert.match(build, /^WORKDIR \/src\/services\/api$/m);
        assert.match(build, /^COPY \["services\/api\/go\.mod", "\/src\/services\/api\/go\.mod"\]$/m);
        assert.match(build, /^COPY \["shared\/go\.mod", "\/src\/shared\/go\.mod"\]$/m);
        assert.match(build, /^COPY \. \/src\/$/m);
    });

    it("stage and hash only what the build reads, across the module boundary", async () => {
        const context = monorepo();
        const target = { goos: "windows", goarch: "amd64", cgo: false, goVersion: "1.23", tags: [] };
        const layout = {
            contextDir: context,
            moduleDir: path.join(context, "services/api"),
            packageDir: path.join(context, "services/api"),
            target,
        };
        assert.deepStrictEqual(goBuildInputs(layout), [
            "services/api/go.mod",
            "services/api/main.go",
            "shared/go.mod",
            "shared/greeting/greeting.go",
        ]);
        const { tag } = await declare({ context, module: "services/api" });
        fs.writeFileSync(path.join(context, "shared/unused/unused.go"), "package unused\n\nconst X = 1\n");
        assert.strictEqual((await declare({ context, module: "services/api" })).tag, tag, "an unused package");
        fs.writeFileSync(
            path.join(context, "shared/greeting/greeting.go"),
            'package greeting\n\nfunc Text() string { return "hi" }\n',
        );
        assert.notStrictEqual((await declare({ context, module: "services/api" })).tag, tag, "a used one");
    });

    it("refuse a module outside the context, naming the argument", () => {
        refused({ context: path.join(monorepo(), "services"), module: "../shared" }, "module", /outside `context`/);
    });
});

describe("cgo", () => {
    it("cross-compiles with MinGW-w64, statically linked, installing it only if the builder lacks it", async () => {
        const { dockerfile } = await declare({ context: cgoModule(), cgo: true });
        const { build, runtime } = stages(dockerfile);
        assert.match(build, /^ENV CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g\+\+ GOOS=windows/m);
        assert.match(
            build,
            /^RUN command -v x86_64-w64-mingw32-gcc >\/dev\/null \|\| \(apt-get update && apt-get install -y --no-install-recommends gcc-mingw-w64-x86-64/m,
        );
        assert.match(build, /-ldflags "-s -w -X main\.version=\$\{VERSION\} -extldflags=-static"/);
        assert.doesNotMatch(runtime, /RUN/);
    });

    it("counts the cgo files a cgo build reads", () => {
        const context = cgoModule();
        const layout = { contextDir: context, moduleDir: context, packageDir: context };
        const target = { goos: "windows", goarch: "amd64", goVersion: "1.23", tags: [] };
        assert.deepStrictEqual(goBuildInputs({ ...layout, target: { ...target, cgo: true } }), ["go.mod", "main.go"]);
        assert.deepStrictEqual(goBuildInputs({ ...layout, target: { ...target, cgo: false } }), ["go.mod"]);
    });

    it("is refused with the native strategy, naming the argument", () => {
        refused({ context: cgoModule(), cgo: true, strategy: "native" }, "cgo", /only the `cross` strategy/);
    });
});

describe("a registry cache CI runners share", () => {
    it("imports and exports every step to the image's repository, in the form ECR accepts", async () => {
        const { build } = await declare({ context: "app", registryCache: true });
        const ref = "localhost:5000/api:buildcache";
        assert.deepStrictEqual(build.inputs.cacheFrom, [{ registry: { ref } }]);
        assert.deepStrictEqual(build.inputs.cacheTo, [
            { registry: { ref, mode: "max", imageManifest: true, ociMediaTypes: true, ignoreError: true } },
        ]);
    });

    it("is off by default, and refused with the native strategy", async () => {
        const { build } = await declare({ context: "app" });
        assert.strictEqual(build.inputs.cacheTo, undefined);
        refused(
            { context: "app", registryCache: true, strategy: "native" },
            "registryCache",
            /only the `cross` strategy/,
        );
    });
});

describe("the toolchain go.mod asks for", () => {
    it("chooses the builder image, and the build never downloads another toolchain", async () => {
        const context = writeModule(tempDir("toolchain"), {
            "go.mod": "module example.com/t\n\ngo 1.22\n\ntoolchain go1.23.4\n",
            "main.go": "package main\n\nfunc main() {}\n",
        });
        const { dockerfile } = await declare({ context, trackBaseImages: false });
        assert.match(dockerfile, /^FROM --platform=\$BUILDPLATFORM golang:1\.23\.4 AS build$/m);
        assert.match(dockerfile, /^ENV CGO_ENABLED=0 .* GOTOOLCHAIN=local$/m);
    });
});
