// Traces for an ECS Windows service as pure declarations: the OpenTelemetry collector sidecar (its Windows image, its
// configuration, its container definition), what the application is told, and the IAM the task role needs to write
// to X-Ray's OTLP endpoint. No resources: EcsWindowsService wires them.
import { checkCompatibility, checkWholeNumber, fail, findWindowsRelease } from "../core";
import type { EcsTracesArgs } from "./args";
import { traceWriteActions } from "./wildcardActions";

/** The first collector release with Windows images. */
export const firstWindowsCollectorVersion = "0.122.1";

/** Whether a `major.minor.patch` version is `minimum` or later. */
function versionAtLeast(version: string, minimum: string): boolean {
    const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return true;
}

/** The collector version this project was checked against (its Windows tags exist from 0.122.1 on). */
export const defaultCollectorVersion = "0.159.0";

/**
 * The collector's Windows tags: the releases repository builds `-windows-2019-amd64` and `-windows-2022-amd64`
 * (nanoserver bases) outside the multi-platform manifest, and nothing for Windows Server 2025.
 */
export const collectorWindowsTags: Readonly<Record<string, string>> = {
    ltsc2019: "windows-2019-amd64",
    ltsc2022: "windows-2022-amd64",
};

/** Where the application sends spans: the collector in the same task, on localhost. */
export const collectorOtlpEndpoint = "http://localhost:4318";
/** The environment variable the collector reads its configuration from (`--config=env:...`). */
export const collectorConfigVariable = "OTEL_COLLECTOR_CONFIG";
/** The collector's container name in the task definition. */
export const collectorContainerName = "otel-collector";

/** The tracing settings with defaults decided. */
export interface ResolvedTraces {
    readonly serviceName: string;
    readonly collectorImageRef: string;
    readonly collectorCpu: number;
    readonly collectorMemory: number;
}

/**
 * The collector release a host runs: the newest release with a Windows collector tag that the host runs with process
 * isolation (ECS uses no other). A Server 2025 host runs the 2022 image, as it runs ltsc2022 images; a host that runs
 * none of the tagged releases is refused, naming its release.
 */
export function collectorRelease(hostWindowsVersion: string): string {
    const tagged = Object.keys(collectorWindowsTags).reverse();
    const runnable = tagged.filter(
        (release) =>
            checkCompatibility(release, { kind: "ecs-ec2", windowsVersion: hostWindowsVersion }).verdict === "process",
    );
    if (runnable.length === 0 || !findWindowsRelease(hostWindowsVersion))
        fail(
            "traces",
            hostWindowsVersion,
            `the OpenTelemetry collector publishes Windows images for ${tagged.reverse().join(" and ")} only ` +
                `(tags ${Object.values(collectorWindowsTags).join(", ")}), and a ${hostWindowsVersion} host runs neither`,
            "Give `traces.collectorImageRef` a collector image built for this release, or leave `traces` out.",
        );
    return runnable[0];
}

/** `otel/opentelemetry-collector-contrib:<version>-windows-<year>-amd64` for the host's release. */
export function collectorImageRef(hostWindowsVersion: string, version = defaultCollectorVersion): string {
    return `otel/opentelemetry-collector-contrib:${version}-${collectorWindowsTags[collectorRelease(hostWindowsVersion)]}`;
}

/** Checks `traces` (named under `traces.`) and fills in defaults; the host's release picks the collector image. */
export function resolveTraces(given: EcsTracesArgs, componentName: string, hostWindowsVersion: string): ResolvedTraces {
    const serviceName = given.serviceName ?? componentName;
    if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}$/.test(serviceName))
        fail(
            "traces.serviceName",
            serviceName,
            "it must be 1 to 255 letters, digits and . _ : / -, starting with a letter or digit",
        );
    if (given.collectorVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(given.collectorVersion))
        fail("traces.collectorVersion", given.collectorVersion, "it must be a collector release such as `0.159.0`");
    if (given.collectorVersion !== undefined && !versionAtLeast(given.collectorVersion, firstWindowsCollectorVersion))
        fail(
            "traces.collectorVersion",
            given.collectorVersion,
            `the collector's Windows images are published from ${firstWindowsCollectorVersion} on`,
        );
    if (given.collectorVersion !== undefined && given.collectorImageRef !== undefined)
        fail("traces.collectorVersion", given.collectorVersion, "give it or `traces.collectorImageRef`, not both");
    checkWholeNumber("traces.collectorCpu", given.collectorCpu, 128, 4096);
    checkWholeNumber("traces.collectorMemory", given.collectorMemory, 128, 8192);
    return {
        serviceName,
        collectorImageRef: given.collectorImageRef ?? collectorImageRef(hostWindowsVersion, given.collectorVersion),
        collectorCpu: given.collectorCpu ?? 256,
        collectorMemory: given.collectorMemory ?? 512,
    };
}

/** X-Ray's OTLP traces endpoint in a region (China regions are under amazonaws.com.cn). */
export function xrayOtlpEndpoint(region: string): string {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new Error(`"${region}" is not an AWS region name`);
    const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return `https://xray.${region}.${domain}/v1/traces`;
}

/**
 * The collector's configuration: OTLP/HTTP received on localhost only (the task's own containers), a memory
 * limiter and batches, and OTLP/HTTP to X-Ray signed with SigV4 as the task role. It carries no secret.
 */
export function collectorConfig(region: string, memoryMiB: number): string {
    const limit = Math.floor(memoryMiB * 0.8);
    const spike = Math.floor(memoryMiB * 0.2);
    return [
        "extensions:",
        "  sigv4auth:",
        `    region: ${region}`,
        "    service: xray",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      http:",
        "        endpoint: localhost:4318",
        "processors:",
        "  memory_limiter:",
        "    check_interval: 1s",
        `    limit_mib: ${limit}`,
        `    spike_limit_mib: ${spike}`,
        "  batch:",
        "    timeout: 5s",
        "    send_batch_size: 512",
        "    send_batch_max_size: 1000",
        "exporters:",
        "  otlphttp:",
        `    traces_endpoint: ${xrayOtlpEndpoint(region)}`,
        "    compression: gzip",
        "    auth:",
        "      authenticator: sigv4auth",
        "service:",
        "  extensions: [sigv4auth]",
        "  telemetry:",
        "    metrics:",
        "      level: none",
        "  pipelines:",
        "    traces:",
        "      receivers: [otlp]",
        "      processors: [memory_limiter, batch]",
        "      exporters: [otlphttp]",
        "",
    ].join("\n");
}

/**
 * The variables that decide where the application's spans go and under which name: the component sets the first
 * two, and the others would send them past the collector (another endpoint or protocol for traces).
 */
export const tracesEnvironmentNames = [
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
];

/** What the application container is given: where to send spans and under which name. */
export function applicationTraceEnvironment(serviceName: string): Record<string, string> {
    return { OTEL_EXPORTER_OTLP_ENDPOINT: collectorOtlpEndpoint, OTEL_SERVICE_NAME: serviceName };
}

/**
 * The collector's container definition. It is not essential: if it stops, the application keeps serving and its
 * spans are dropped. The configuration comes from an environment variable because a Windows task definition cannot
 * bind-mount a file the task definition writes; the collector reads it with `--config=env:OTEL_COLLECTOR_CONFIG`.
 */
export function collectorContainerDefinition(spec: {
    image: string;
    config: string;
    cpu: number;
    memory: number;
    logGroup: string;
    region: string;
}): Record<string, unknown> {
    return {
        name: collectorContainerName,
        image: spec.image,
        essential: false,
        cpu: spec.cpu,
        memory: spec.memory,
        command: [`--config=env:${collectorConfigVariable}`],
        environment: [{ name: collectorConfigVariable, value: spec.config }],
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": spec.logGroup,
                "awslogs-region": spec.region,
                "awslogs-stream-prefix": collectorContainerName,
            },
        },
    };
}

/**
 * What the task role needs to write spans to X-Ray's OTLP endpoint. The managed X-Ray write policies do not carry
 * `xray:PutSpans`, which authorizes `POST /v1/traces`; `xray:PutSpansForIndexing` lets Transaction Search index the
 * spans, and `xray:PutTraceSegments` is reported as also checked by the endpoint. None of them takes a resource ARN.
 */
export function traceWritePolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteSpansToXRay",
                Effect: "Allow",
                Action: [...traceWriteActions],
                Resource: "*",
            },
        ],
    });
}

/**
 * The CloudWatch Logs resource policy Transaction Search needs before the account's trace destination becomes
 * CloudWatch Logs (`aws.xray.TraceSegmentDestination`): X-Ray may write the account's spans to `aws/spans` and
 * Application Signals' log group. An account-wide setting: declare it once per account and region, not per service.
 */
export function transactionSearchLogPolicy(accountId: string, region: string, partition = "aws"): string {
    const logGroup = (name: string) => `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "TransactionSearchXRayAccess",
                Effect: "Allow",
                Principal: { Service: "xray.amazonaws.com" },
                Action: "logs:PutLogEvents",
                Resource: [logGroup("aws/spans"), logGroup("/aws/application-signals/data")],
                Condition: {
                    ArnLike: { "aws:SourceArn": `arn:${partition}:xray:${region}:${accountId}:*` },
                    StringEquals: { "aws:SourceAccount": accountId },
                },
            },
        ],
    });
}
