// The generated Dockerfiles: snapshots, parser diagnostics, valid exec-form JSON, and no RUN on Windows for cross builds.
import * as assert from "assert";
import { DockerfileParser, Env } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { DockerfileSpec, renderDockerfile, renderDockerignore } from "../../components/image";
import { findWindowsRelease, windowsReleases } from "../../components/core";
import { matchSnapshot, sampleApp } from "../support/files";
import * as fs from "fs";
import * as path from "path";

function spec(overrides: Partial<DockerfileSpec> = {}): DockerfileSpec {
    return {
        strategy: "cross",
        goVersion: "1.23",
        windows: findWindowsRelease("ltsc2022")!,
        baseImage: "nanoserver",
        packagePath: ".",
        binaryName: "hello.exe",
        buildTags: [],
        ldflags: [],
        versionVariable: "main.version",
        env: {},
        ports: [8080],
        args: [],
        healthCheck: {
            args: ["healthcheck"],
            intervalSeconds: 30,
            timeoutSeconds: 5,
            startPeriodSeconds: 10,
            retries: 3,
        },
        runtimeSetup: [],
        ...overrides,
    };
}

const execFormKeywords = new Set(["ENTRYPOINT", "CMD", "SHELL", "RUN"]);

/** Checks what dockerfile-utils does not: every exec-form array is valid JSON of strings. */
function assertExecFormJson(text: string): number {
    const dockerfile = DockerfileParser.parse(text);
    let checked = 0;
    for (const instruction of dockerfile.getInstructions()) {
        const keyword = instruction.getKeyword();
        let args = instruction.getRawArgumentsContent() ?? "";
        if (keyword === "HEALTHCHECK") args = args.replace(/^.*?\bCMD\s+/, "");
        else if (!execFormKeywords.has(keyword)) continue;
        if (!args.trimStart().startsWith("[")) continue;
        const parsed: unknown = JSON.parse(args);
        assert.ok(Array.isArray(parsed) && parsed.every((w) => typeof w === "string"), `${keyword} ${args}`);
        checked++;
    }
    return checked;
}

/** The instructions of the last stage, the Windows runtime image. */
function runtimeStageKeywords(text: string): string[] {
    const dockerfile = DockerfileParser.parse(text);
    const froms = dockerfile.getFROMs();
    const lastFromLine = froms[froms.length - 1].getRange().start.line;
    return dockerfile
        .getInstructions()
        .filter((i) => i.getRange().start.line >= lastFromLine)
        .map((i) => i.getKeyword());
}

describe("renderDockerfile", () => {
    for (const strategy of ["cross", "native"] as const) {
        for (const release of windowsReleases) {
            for (const baseImage of ["nanoserver", "servercore"]) {
                const name = `${strategy}-${release.name}-${baseImage}.Dockerfile`;
                it(`${name}: parses clean, valid JSON, matches its snapshot`, () => {
                    const text = renderDockerfile(spec({ strategy, windows: release, baseImage }));
                    assert.deepStrictEqual(validate(text), [], "dockerfile-utils diagnostics");
                    assert.ok(assertExecFormJson(text) >= 2, "ENTRYPOINT and HEALTHCHECK checked");
                    matchSnapshot(name, text);
                });
            }
        }
    }

    it("names the Microsoft base image per flavour; nanoserver 2019 is tagged 1809", () => {
        const base = (windows: string, baseImage: string) =>
            DockerfileParser.parse(renderDockerfile(spec({ windows: findWindowsRelease(windows)!, baseImage })))
                .getFROMs()[1]
                .getImage();
        assert.strictEqual(base("ltsc2019", "nanoserver"), "mcr.microsoft.com/windows/nanoserver:1809");
        assert.strictEqual(base("ltsc2019", "servercore"), "mcr.microsoft.com/windows/servercore:ltsc2019");
        assert.strictEqual(base("ltsc2022", "nanoserver"), "mcr.microsoft.com/windows/nanoserver:ltsc2022");
        assert.strictEqual(base("ltsc2025", "servercore"), "mcr.microsoft.com/windows/servercore:ltsc2025");
    });

    it("cross: Go builds on the build platform with CGO off, static and trimmed; the Windows stage has no RUN", () => {
        const text = renderDockerfile(spec());
        const froms = DockerfileParser.parse(text).getFROMs();
        assert.strictEqual(froms[0].getPlatformFlag()?.getValue(), "$BUILDPLATFORM");
        assert.strictEqual(froms[0].getImage(), "golang:1.23");
        assert.match(text, /CGO_ENABLED=0 GOOS=windows GOARCH=amd64/);
        assert.match(
            text,
            /go build -trimpath -buildvcs=false -ldflags "-s -w -X main\.version=\$\{VERSION\}" -o \/out\/app\/hello\.exe \. && /,
        );
        assert.match(text, /RUN --mount=type=cache,target=\/go\/pkg\/mod go mod download/);
        assert.ok(
            text.indexOf("COPY go.mod go.sum* ./") < text.indexOf("COPY . ."),
            "modules download before sources are copied",
        );
        assert.ok(!runtimeStageKeywords(text).includes("RUN"));
    });

    it("cross: the binary and its folder get SOURCE_DATE_EPOCH as their time, and are copied with it", () => {
        const text = renderDockerfile(spec());
        assert.match(text, /^ARG SOURCE_DATE_EPOCH=0$/m);
        assert.match(text, /touch -d "@\$\{SOURCE_DATE_EPOCH\}" \/out\/app \/out\/app\/hello\.exe$/m);
        // Copying the output folder onto the root keeps the app folder's time; a COPY into /app/ would not.
        assert.match(text, /^COPY --from=build \/out\/ \/$/m);
    });

    it("native: escape directive, Windows Server Core builder, classic builder (no cache mounts)", () => {
        const text = renderDockerfile(spec({ strategy: "native", windows: findWindowsRelease("ltsc2025")! }));
        const dockerfile = DockerfileParser.parse(text);
        assert.strictEqual(dockerfile.getEscapeCharacter(), "`");
        assert.strictEqual(dockerfile.getFROMs()[0].getImage(), "golang:1.23-windowsservercore-ltsc2025");
        assert.ok(!text.includes("--mount"), "the classic builder has no cache mounts");
        assert.ok(!text.includes("$BUILDPLATFORM"));
        assert.match(text, /-X main\.version=%VERSION%/);
    });

    it("runtime stage: non-administrator user, exec-form entrypoint at an absolute path, ports, env, labels, args", () => {
        const text = renderDockerfile(
            spec({ env: { GREETING: 'say "hi" $HOME', LEVEL: "info" }, ports: [8080, 9090], args: ["--serve", "x y"] }),
        );
        const keywords = runtimeStageKeywords(text);
        assert.deepStrictEqual(keywords, [
            "FROM",
            "ARG",
            "ARG",
            "ARG",
            "LABEL",
            "COPY",
            "ENV",
            "ENV",
            "EXPOSE",
            "EXPOSE",
            "USER",
            "HEALTHCHECK",
            "ENTRYPOINT",
            "CMD",
        ]);
        assert.match(text, /^USER ContainerUser$/m);
        assert.match(text, /^ENTRYPOINT \["C:\\\\app\\\\hello\.exe"\]$/m);
        assert.match(text, /^CMD \["--serve", "x y"\]$/m);
        assert.match(text, /^ENV GREETING="say \\"hi\\" \\\$HOME"$/m);
        assert.match(text, /^EXPOSE 9090\/tcp$/m);
        assert.match(text, /org\.opencontainers\.image\.revision="\$\{REVISION\}"/);
        assert.match(
            text,
            /^HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD \["C:\\\\app\\\\hello\.exe", "healthcheck"\]$/m,
        );
        assert.ok(!/ENV PATH/i.test(text));
        // The parser reads the quoted ENV value back as written.
        const env = DockerfileParser.parse(text)
            .getInstructions()
            .filter((i): i is Env => i instanceof Env)
            .flatMap((i) => i.getProperties().map((p) => [p.getName(), p.getValue()]));
        // Docker's lexer reads \" and \$ inside double quotes as the bare characters (checked in the pushed config by
        // the integration test); dockerfile-ast keeps the escape before $, so only the names and the plain value are compared.
        assert.deepStrictEqual(
            env.slice(-2).map(([k]) => k),
            ["GREETING", "LEVEL"],
        );
        assert.strictEqual(env[env.length - 1][1], "info");
        assert.deepStrictEqual(validate(text), []);
    });

    it("no HEALTHCHECK unless one is configured; build tags, extra ldflags and a package in a subfolder", () => {
        const text = renderDockerfile(
            spec({
                healthCheck: undefined,
                buildTags: ["netgo", "prod"],
                ldflags: ["-X main.commit=abc"],
                packagePath: "./cmd/api",
                binaryName: "api.exe",
            }),
        );
        assert.ok(!text.includes("HEALTHCHECK"));
        assert.match(
            text,
            /go build -trimpath -buildvcs=false -tags "netgo,prod" -ldflags "-s -w -X main\.version=\$\{VERSION\} -X main\.commit=abc" -o \/out\/app\/api\.exe \.\/cmd\/api && /,
        );
        matchSnapshot("cross-ltsc2022-nanoserver-subpackage.Dockerfile", text);
    });

    it("uses builder and base image overrides and nothing else changes", () => {
        const plain = renderDockerfile(spec());
        const mirrored = renderDockerfile(
            spec({ builderImageRef: "127.0.0.1:5000/golang:1.23", baseImageRef: "127.0.0.1:5000/nanoserver:ltsc2022" }),
        );
        assert.strictEqual(
            mirrored,
            plain
                .replace("golang:1.23 AS build", "127.0.0.1:5000/golang:1.23 AS build")
                .replace("mcr.microsoft.com/windows/nanoserver:ltsc2022", "127.0.0.1:5000/nanoserver:ltsc2022"),
        );
    });

    it("native runtime setup commands become RUN lines in the Windows stage", () => {
        const text = renderDockerfile(
            spec({ strategy: "native", baseImage: "servercore", runtimeSetup: ["mkdir C:\\data"] }),
        );
        assert.ok(runtimeStageKeywords(text).includes("RUN"));
        assert.deepStrictEqual(validate(text), []);
    });

    it("the sample app's .dockerignore is the rendered one", () => {
        const committed = fs.readFileSync(path.join(sampleApp, ".dockerignore"), "utf8");
        assert.strictEqual(committed, renderDockerignore());
    });
});
