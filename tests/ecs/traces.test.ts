// Traces' pure pieces: the collector image for each host release (refusing one without a tag), the collector
// configuration (a snapshot, and its structure read back as YAML), the sidecar's container definition, the
// application's environment, and the IAM for X-Ray's OTLP endpoint and Transaction Search.
import * as assert from "assert";
import { parse } from "yaml";
import {
    applicationTraceEnvironment,
    collectorConfig,
    collectorContainerDefinition,
    collectorImageRef,
    collectorRelease,
    resolveTraces,
    traceWritePolicy,
    transactionSearchLogPolicy,
    xrayOtlpEndpoint,
} from "../../components/ecs/traces";
import { matchSnapshot } from "../support/files";

describe("traces: the collector image", () => {
    it("runs the collector tag of the host's release, and the 2022 one on Server 2025 hosts", () => {
        assert.deepStrictEqual(["ltsc2019", "ltsc2022", "ltsc2025"].map(collectorRelease), [
            "ltsc2019",
            "ltsc2022",
            "ltsc2022",
        ]);
        assert.strictEqual(
            collectorImageRef("ltsc2019"),
            "otel/opentelemetry-collector-contrib:0.159.0-windows-2019-amd64",
        );
        assert.strictEqual(
            collectorImageRef("ltsc2025", "0.150.1"),
            "otel/opentelemetry-collector-contrib:0.150.1-windows-2022-amd64",
        );
    });

    it("refuses a host release with no collector image it runs, naming the release", () => {
        assert.throws(
            () => collectorRelease("ltsc2016"),
            /`traces` is "ltsc2016"; the OpenTelemetry collector publishes Windows images for ltsc2019 and ltsc2022 only \(tags windows-2019-amd64, windows-2022-amd64\), and a ltsc2016 host runs neither\. Give `traces.collectorImageRef`/,
        );
    });
});

describe("traces: arguments", () => {
    it("defaults to the component's name, the pinned collector version and a small sidecar", () => {
        assert.deepStrictEqual(resolveTraces({}, "api", "ltsc2022"), {
            serviceName: "api",
            collectorImageRef: "otel/opentelemetry-collector-contrib:0.159.0-windows-2022-amd64",
            collectorCpu: 256,
            collectorMemory: 512,
        });
        assert.strictEqual(
            resolveTraces(
                { collectorImageRef: "123456789012.dkr.ecr.us-east-1.amazonaws.com/otel:w" },
                "api",
                "ltsc2016",
            ).collectorImageRef,
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/otel:w",
            "an image of the user's own needs no published tag",
        );
    });

    for (const [what, given, message] of [
        ["a service name with a space", { serviceName: "my api" }, /`traces.serviceName` is "my api"/],
        [
            "a collector version that is not a release",
            { collectorVersion: "latest" },
            /`traces.collectorVersion` is "latest"; it must be a collector release/,
        ],
        [
            "a version and an image",
            { collectorVersion: "0.150.0", collectorImageRef: "x/otel:1" },
            /give it or `traces.collectorImageRef`, not both/,
        ],
        [
            "a collector of 64 CPU units",
            { collectorCpu: 64 },
            /`traces.collectorCpu` is 64; it must be a whole number from 128 to 4096/,
        ],
        ["a collector of 100 MiB", { collectorMemory: 100 }, /`traces.collectorMemory` is 100/],
    ] as const) {
        it(`refuses ${what}, naming the argument`, () => {
            assert.throws(() => resolveTraces(given, "api", "ltsc2022"), message);
        });
    }
});

describe("traces: the collector's configuration", () => {
    it("matches the reviewed snapshot", () => {
        matchSnapshot("otel-collector-us-east-1.yaml", collectorConfig("us-east-1", 512));
    });

    it("receives OTLP/HTTP on localhost only and exports to X-Ray's OTLP endpoint signed for xray", () => {
        const config = parse(collectorConfig("eu-west-1", 1000));
        assert.deepStrictEqual(config.receivers, { otlp: { protocols: { http: { endpoint: "localhost:4318" } } } });
        assert.deepStrictEqual(config.extensions, { sigv4auth: { region: "eu-west-1", service: "xray" } });
        assert.deepStrictEqual(config.exporters.otlphttp, {
            traces_endpoint: "https://xray.eu-west-1.amazonaws.com/v1/traces",
            compression: "gzip",
            auth: { authenticator: "sigv4auth" },
        });
        assert.deepStrictEqual(config.processors.memory_limiter, {
            check_interval: "1s",
            limit_mib: 800,
            spike_limit_mib: 200,
        });
        assert.deepStrictEqual(config.service.extensions, ["sigv4auth"]);
        assert.deepStrictEqual(config.service.pipelines, {
            traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlphttp"] },
        });
        assert.ok(config.processors.batch.send_batch_max_size <= 10000, "X-Ray takes at most 10,000 spans a request");
    });

    it("uses each region's endpoint and refuses what is not a region", () => {
        assert.strictEqual(xrayOtlpEndpoint("ap-southeast-2"), "https://xray.ap-southeast-2.amazonaws.com/v1/traces");
        assert.strictEqual(xrayOtlpEndpoint("cn-north-1"), "https://xray.cn-north-1.amazonaws.com.cn/v1/traces");
        assert.strictEqual(xrayOtlpEndpoint("us-gov-west-1"), "https://xray.us-gov-west-1.amazonaws.com/v1/traces");
        assert.throws(() => xrayOtlpEndpoint("us-east-1\nexporters: {}"), /is not an AWS region name/);
    });
});

describe("traces: the sidecar and the application", () => {
    it("runs the collector beside the application, not essential, configured from its environment", () => {
        const config = collectorConfig("us-east-1", 512);
        assert.deepStrictEqual(
            collectorContainerDefinition({
                image: "otel/opentelemetry-collector-contrib:0.159.0-windows-2022-amd64@sha256:" + "a".repeat(64),
                config,
                cpu: 256,
                memory: 512,
                logGroup: "api-logs-1a2b3c4",
                region: "us-east-1",
            }),
            {
                name: "otel-collector",
                image: "otel/opentelemetry-collector-contrib:0.159.0-windows-2022-amd64@sha256:" + "a".repeat(64),
                essential: false,
                cpu: 256,
                memory: 512,
                command: ["--config=env:OTEL_COLLECTOR_CONFIG"],
                environment: [{ name: "OTEL_COLLECTOR_CONFIG", value: config }],
                logConfiguration: {
                    logDriver: "awslogs",
                    options: {
                        "awslogs-group": "api-logs-1a2b3c4",
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "otel-collector",
                    },
                },
            },
        );
    });

    it("tells the application the collector's endpoint and its service name", () => {
        assert.deepStrictEqual(applicationTraceEnvironment("api"), {
            OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
            OTEL_SERVICE_NAME: "api",
        });
    });

    it("lets the task role write spans and nothing else", () => {
        assert.deepStrictEqual(JSON.parse(traceWritePolicy()).Statement, [
            {
                Sid: "WriteSpansToXRay",
                Effect: "Allow",
                Action: ["xray:PutSpans", "xray:PutSpansForIndexing", "xray:PutTraceSegments"],
                Resource: "*",
            },
        ]);
    });

    it("lets X-Ray write the account's spans to CloudWatch Logs for Transaction Search", () => {
        const statement = JSON.parse(transactionSearchLogPolicy("123456789012", "us-east-1")).Statement[0];
        assert.deepStrictEqual(statement.Principal, { Service: "xray.amazonaws.com" });
        assert.strictEqual(statement.Action, "logs:PutLogEvents");
        assert.deepStrictEqual(statement.Resource, [
            "arn:aws:logs:us-east-1:123456789012:log-group:aws/spans:*",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/application-signals/data:*",
        ]);
        // As AWS's "Using Transaction Search with AWS CloudFormation" page writes the policy (checked in phase B).
        assert.deepStrictEqual(statement.Condition, {
            ArnLike: { "aws:SourceArn": "arn:aws:xray:us-east-1:123456789012:*" },
            StringEquals: { "aws:SourceAccount": "123456789012" },
        });
        assert.strictEqual(statement.Sid, "TransactionSearchXRayAccess");
        assert.match(
            transactionSearchLogPolicy("1", "cn-north-1", "aws-cn"),
            /"arn:aws-cn:logs:cn-north-1:1:log-group:aws\/spans:\*"/,
        );
    });
});
