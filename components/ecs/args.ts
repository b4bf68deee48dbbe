// The arguments of EcsWindowsService, defined once: the component takes them, the resolver checks them.
import * as pulumi from "@pulumi/pulumi";

/** An Application Load Balancer of the service's own in front of it (to share one, see `EcsListenerArgs`). */
export interface EcsLoadBalancerArgs {
    /** Subnets for the load balancer, in at least two Availability Zones (public subnets for an internet-facing one). */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Make the load balancer internal (reachable inside the VPC only).
     * @default false
     */
    readonly internal?: boolean;
    /**
     * The HTTP listener port (with `certificateArn`, the port that redirects to HTTPS on 443).
     * @default 80
     */
    readonly listenerPort?: number;
    /**
     * An ACM certificate for an HTTPS listener on 443; HTTP then redirects to it. Left out, the load balancer speaks
     * HTTP only (to share one HTTPS load balancer between services, see `EcsApplicationLoadBalancer`).
     * @default HTTP only
     */
    readonly certificateArn?: pulumi.Input<string>;
    /**
     * The path the target group checks.
     * @default "/healthz"
     */
    readonly healthCheckPath?: string;
    /**
     * Networks allowed to reach the listener.
     * @default ["0.0.0.0/0"]
     */
    readonly ingressCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * A rule on a listener the service shares with others: an `EcsApplicationLoadBalancer`'s (`listenerArn`,
 * `securityGroupId`) or an existing one's. The service adds its own rule and target groups, and opens its tasks'
 * port to the load balancer's security group.
 */
export interface EcsListenerArgs {
    /** The listener: `EcsApplicationLoadBalancer`'s `listenerArn`, or an existing listener's ARN. */
    readonly listenerArn: pulumi.Input<string>;
    /** The load balancer's security group: the tasks' port is opened to it. */
    readonly securityGroupId: pulumi.Input<string>;
    /**
     * Host names the rule matches (`Host` header), e.g. `["orders.example.com"]`, up to 5 with `pathPatterns`.
     * Give this, `pathPatterns`, or both.
     * @default any host
     */
    readonly hostHeaders?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Paths the rule matches, e.g. `["/orders", "/orders/*"]`.
     * @default any path
     */
    readonly pathPatterns?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The rule's priority on the listener, 1 to 50000 (lower wins where rules overlap). Left out, it is derived from
     * the service's name, so adding or removing another service never changes it; two services of one program that
     * get the same priority on one listener are refused, naming both. Set it where services' rules overlap (a path
     * inside another's) or collide.
     * @default 1 to 50000 from the service's name
     */
    readonly priority?: number;
    /**
     * The path the target groups check.
     * @default "/healthz"
     */
    readonly healthCheckPath?: string;
    /**
     * The load balancer's test listener (`EcsApplicationLoadBalancer`'s `testListenerArn`), for `deployment.tests`:
     * the service adds a rule there with the same conditions and priority as its production rule.
     * @default none (required with `deployment.tests`)
     */
    readonly testListenerArn?: pulumi.Input<string | undefined>;
    /**
     * The test listener's base URL, e.g. `https://edge-123.us-east-1.elb.amazonaws.com:9000/`
     * (`EcsApplicationLoadBalancer`'s `testListenerUrl`): where the smoke test sends its requests.
     * @default none (required with `deployment.tests`)
     */
    readonly testListenerUrl?: pulumi.Input<string | undefined>;
    /**
     * The security group the test listener admits (`EcsApplicationLoadBalancer`'s `testClientSecurityGroupId`): the
     * smoke test runs in it.
     * @default none (required with `deployment.tests` unless `deployment.tests.functionArn` is given)
     */
    readonly testClientSecurityGroupId?: pulumi.Input<string | undefined>;
}

/** EC2 capacity: an Auto Scaling group of ECS-optimized Windows instances. */
export interface EcsEc2CapacityArgs {
    /**
     * The instance type.
     * @default "m5.large"
     */
    readonly instanceType?: string;
    /**
     * The fewest instances.
     * @default 1
     */
    readonly minSize?: number;
    /**
     * The most instances.
     * @default 2, or minSize if larger
     */
    readonly maxSize?: number;
    /**
     * The instances to start with.
     * @default minSize
     */
    readonly desiredCapacity?: number;
    /**
     * Pin the instances' AMI (an ECS-optimized Windows AMI of `hostWindowsVersion`): instances are replaced only when
     * you change it. Left out, every `pulumi up` reads the latest ECS-optimized Windows Server Core AMI from SSM, and
     * when it has changed (Amazon publishes one a month) an instance refresh replaces the instances one at a time.
     * @default the latest ECS-optimized Windows Server Core AMI, read from SSM on every run
     */
    readonly amiId?: string;
}

/** One request the smoke test sends to the new revision through the test listener, and what it must answer. */
export interface EcsSmokeCheckArgs {
    /** The URL path (and query) to request with GET, starting with `/`, e.g. `/healthz`. */
    readonly path: string;
    /**
     * The statuses that pass (redirects are not followed).
     * @default [200]
     */
    readonly statuses?: number[];
    /**
     * Text the first 64 KiB of the response body must contain.
     * @default no body check
     */
    readonly bodyIncludes?: string;
    /**
     * Seconds the whole request may take, 1 to 60.
     * @default 5
     */
    readonly timeoutSeconds?: number;
}

/**
 * The test gate: before production traffic moves, ECS sends test traffic to the new revision through a test
 * listener, and a smoke test (a Lambda function the component declares, or your own) checks it; a failing test rolls
 * the deployment back. Canary, linear and blue/green deployments only.
 */
export interface EcsTestGateArgs {
    /**
     * The requests the smoke test sends; all must pass. Required unless `functionArn` is given.
     * @default none
     */
    readonly checks?: EcsSmokeCheckArgs[];
    /**
     * Seconds from the first attempt after which a still-failing test fails the deployment, 0 to 3600. Windows tasks
     * take minutes to answer after they register: keep it above that.
     * @default 600
     */
    readonly deadlineSeconds?: number;
    /**
     * Seconds ECS waits before asking the smoke test again while it fails (the hook's `callBackDelay`), 1 to 900.
     * @default 30
     */
    readonly retryDelaySeconds?: number;
    /**
     * The `Host` header (and TLS server name) the smoke test sends. Needed where the listener serves HTTPS with a
     * certificate for your domain, since the test reaches the load balancer by its own DNS name.
     * @default the service's first `listener.hostHeaders`; else the load balancer's DNS name
     */
    readonly hostHeader?: string;
    /**
     * Extra request headers the smoke test sends. Not secret: they are stored in the service's definition.
     * @default {}
     */
    readonly headers?: { [name: string]: string };
    /**
     * With `loadBalancer` (the service's own) only: the test listener's port, which ECS's test traffic uses.
     * Listeners on a shared load balancer are its owner's (`EcsApplicationLoadBalancer`'s `testListener`).
     * @default 9000
     */
    readonly listenerPort?: number;
    /**
     * With `loadBalancer` (the service's own) only: networks allowed to reach the test listener besides the smoke
     * test's security group. Required for an internet-facing load balancer: the smoke test runs in the service's
     * subnets and reaches the load balancer's public address through your NAT gateways, so give their public
     * addresses (e.g. `["203.0.113.10/32"]`).
     * @default none (an internal load balancer admits the smoke test's security group)
     */
    readonly sourceCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * A Lambda function of your own to run as the hook instead of the smoke test: ECS invokes it at
     * POST_TEST_TRAFFIC_SHIFT with the same `hookDetails` (`{"smokeTest": {...}}`), and it must answer `hookStatus`.
     * Give it the test listener's client security group (`testClientSecurityGroupId`) to reach the test listener.
     * @default the component's smoke-test function
     */
    readonly functionArn?: pulumi.Input<string>;
}

/** How a new task definition replaces the running tasks, with ECS's own deployment strategies. */
export interface EcsDeploymentArgs {
    /**
     * `rolling` replaces tasks a few at a time; `canary` moves `canaryPercent` of the traffic to the new tasks, waits
     * `canaryBakeMinutes`, then moves the rest; `linear` moves `linearStepPercent` of the traffic every
     * `linearStepBakeMinutes`; `blue-green` starts a full set of new tasks and moves all traffic at once. All but
     * `rolling` need `loadBalancer`: ECS shifts traffic between two target groups through a listener rule. In every
     * strategy the circuit breaker and the alarms roll a failed deployment back.
     * @default "rolling"
     */
    readonly strategy?: string;
    /**
     * `canary` only: the percentage of traffic the new tasks get first, 0.1 to 100 in steps of 0.1.
     * @default 10
     */
    readonly canaryPercent?: number;
    /**
     * `canary` only: minutes to watch the canary before moving the rest of the traffic, 0 to 1440.
     * @default 10
     */
    readonly canaryBakeMinutes?: number;
    /**
     * `linear` only: the percentage of traffic moved at each step, 3 to 100 in steps of 0.1.
     * @default 25
     */
    readonly linearStepPercent?: number;
    /**
     * `linear` only: minutes between steps, 0 to 1440.
     * @default 5
     */
    readonly linearStepBakeMinutes?: number;
    /**
     * `canary`, `linear` and `blue-green`: minutes ECS keeps the old tasks and watches the alarms after all traffic
     * has moved, before it finishes the deployment, 0 to 1440.
     * @default 10
     */
    readonly bakeMinutes?: number;
    /**
     * A test gate before production traffic moves (`canary`, `linear` and `blue-green`): a test listener rule that
     * ECS points at the new revision, and a smoke test at POST_TEST_TRAFFIC_SHIFT that rolls the deployment back
     * when it fails.
     * @default no test gate
     */
    readonly tests?: EcsTestGateArgs;
}

/** CloudWatch alarms that roll a deployment back, and where they send notifications. */
export interface EcsAlarmsArgs {
    /**
     * Create alarms on the target groups' 5xx rate, p99 response time and unhealthy hosts (they need
     * `loadBalancer`), and wire them into the service's deployment alarms with rollback on.
     * @default true with a load balancer
     */
    readonly enabled?: boolean;
    /**
     * The 5xx responses, as a percentage of the requests of the worse target group, above which the alarm fires.
     * @default 5
     */
    readonly http5xxPercent?: number;
    /**
     * The p99 target response time, in seconds, above which the alarm fires.
     * @default 2
     */
    readonly p99LatencySeconds?: number;
    /**
     * Unhealthy targets in a target group at which the alarm fires.
     * @default 1
     */
    readonly unhealthyHosts?: number;
    /**
     * Consecutive minutes a threshold must be crossed before the alarm fires, 1 to 60.
     * @default 3
     */
    readonly evaluationMinutes?: number;
    /**
     * Names of CloudWatch alarms you already have that should also roll a deployment back (works without a load
     * balancer too): another service's `rollbackAlarmNames` fits as it is.
     * @default []
     */
    readonly alarmNames?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * An SNS topic the created alarms notify when they fire and when they recover.
     * @default no notifications
     */
    readonly notifyTopicArn?: pulumi.Input<string>;
}

/** The drill an ECS service can declare (`chaosDrill` on EcsWindowsService). */
export interface EcsChaosDrillArgs {
    /**
     * The share of the service's running tasks the drill stops, in percent (at least one task), 1 to 100.
     * @default 50
     */
    readonly stopTaskPercent?: number;
    /**
     * EC2 capacity only: what happens to one container instance after the tasks have recovered. `terminate` ends
     * one instance of the service's Auto Scaling group (node loss: the group starts a new one); `drain` sets one
     * instance to DRAINING for `drainMinutes` (ECS moves its tasks); `none` leaves instances alone. On a shared
     * cluster (`clusterArn`) an instance carries other services' tasks too, so only `none` is allowed there.
     * @default "terminate" on EC2 capacity
     */
    readonly instanceFault?: string;
    /**
     * Minutes between stopping tasks and the instance fault, so that each fault is watched on its own, 0 to 60.
     * @default 5
     */
    readonly recoveryMinutes?: number;
    /**
     * `instanceFault: "drain"` only: minutes the instance stays draining, 1 to 60.
     * @default 10
     */
    readonly drainMinutes?: number;
}

/** Tracing on an ECS service (`traces` on EcsWindowsService). */
export interface EcsTracesArgs {
    /**
     * The name the service's spans carry (`OTEL_SERVICE_NAME`, the `service.name` resource attribute).
     * @default the component's name
     */
    readonly serviceName?: string;
    /**
     * The version of `otel/opentelemetry-collector-contrib` whose Windows image runs beside the application; the
     * image is pinned by digest on every run.
     * @default "0.159.0"
     */
    readonly collectorVersion?: string;
    /**
     * A collector image to run instead, e.g. a copy in your own ECR; it must be a Windows image of a release the host
     * runs and include the otlp receiver, otlphttp exporter, batch and memory_limiter processors and sigv4auth. A
     * reference with a digest is used as it is; a tag is looked up anonymously on every run and pinned to the digest
     * it names, so give an image in a private registry by digest.
     * @default `otel/opentelemetry-collector-contrib:<collectorVersion>-windows-<2019|2022>-amd64`, by the host's release
     */
    readonly collectorImageRef?: string;
    /**
     * CPU units for the collector container. On Fargate they are taken from the task's `cpu` (the application keeps
     * the rest, at least 512); on EC2 they come on top of the application's.
     * @default 256
     */
    readonly collectorCpu?: number;
    /**
     * Memory in MiB for the collector container (its memory limiter stays at 80% of it). On Fargate it is taken from
     * the task's `memory` (the application keeps the rest, at least 1024); on EC2 it comes on top of the application's.
     * @default 512
     */
    readonly collectorMemory?: number;
}

/** Arguments of EcsWindowsService. */
export interface EcsWindowsServiceArgs {
    /** The image to run, pinned by digest (GoWindowsImage's `imageRef`). */
    readonly imageRef: pulumi.Input<string>;
    /**
     * The image's Windows release (`ltsc2019`, `ltsc2022`, `ltsc2025`); checked against the host before anything is
     * created. Give this or `windowsVersions`, not both.
     */
    readonly windowsVersion?: string;
    /**
     * For an image index (`imageRef` names an index with one image per release): the releases it holds, e.g.
     * `["ltsc2019", "ltsc2022", "ltsc2025"]`. The host pulls the entry containerd picks for its release, and the
     * check fails, naming the release, when the index has none the host runs. Give this or `windowsVersion`.
     * @default none: `windowsVersion` is used
     */
    readonly windowsVersions?: string[];
    /**
     * The image's health check command, e.g. `["CMD", "C:\\app\\hello.exe", "healthcheck"]`: pass GoWindowsImage's
     * `healthCheckCommand` as it is (undefined or empty means none). ECS ignores the image's HEALTHCHECK unless the
     * task declares one.
     * @default no container health check
     */
    readonly healthCheckCommand?: pulumi.Input<string[] | undefined>;
    /**
     * Where tasks run: `fargate` or `ec2`.
     * @default "fargate"
     */
    readonly capacity?: string;
    /**
     * The Windows release of the EC2 instances (EC2 only), e.g. `EcsWindowsCluster`'s `windowsVersion`; required
     * with `capacityProviderName`, since the image is checked against it. A Server 2025 host also runs ltsc2022 images.
     * @default the image's windowsVersion; for an index, the newest release in `windowsVersions`
     */
    readonly hostWindowsVersion?: string;
    /**
     * A cluster to run in: `EcsWindowsCluster`'s `clusterArn`, or an existing cluster's. With `capacity: "ec2"`, give
     * its capacity provider (`capacityProviderName`) and its instances' release (`hostWindowsVersion`) too.
     * @default a new cluster with Container Insights (and, with EC2, the service's own instances)
     */
    readonly clusterArn?: pulumi.Input<string>;
    /**
     * EC2 capacity the service shares (`capacity: "ec2"` with `clusterArn`): `EcsWindowsCluster`'s
     * `capacityProviderName`, or the name of an existing cluster's capacity provider of Windows instances.
     * @default the service's own instances
     */
    readonly capacityProviderName?: pulumi.Input<string>;
    /** The VPC of the subnets. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the tasks (private subnets with a route to ECR are best). */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Give tasks public IPs. Scanners flag this; use a load balancer instead.
     * @default false
     */
    readonly assignPublicIp?: boolean;
    /**
     * Networks allowed to reach the tasks' port directly (besides the load balancer).
     * @default none
     */
    readonly ingressCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The port the service listens on.
     * @default 8080
     */
    readonly port?: number;
    /**
     * CPU units (1024 = 1 vCPU). Fargate Windows takes 1024, 2048 or 4096.
     * @default 1024
     */
    readonly cpu?: number;
    /**
     * Memory in MiB. Fargate Windows: 2-8 GB with 1 vCPU, 4-16 GB with 2, 8-30 GB with 4.
     * @default 2048
     */
    readonly memory?: number;
    /**
     * How many tasks to run.
     * @default 1
     */
    readonly desiredCount?: number;
    /**
     * Days to keep logs (a CloudWatch Logs retention value).
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * Plain environment variables. Names that look like credentials are refused: use `secrets`.
     * @default {}
     */
    readonly environment?: { [key: string]: pulumi.Input<string> };
    /**
     * Secrets as environment variables: name → ARN of an SSM parameter or Secrets Manager secret.
     * @default {}
     */
    readonly secrets?: { [key: string]: pulumi.Input<string> };
    /**
     * An Application Load Balancer of the service's own that gives it a URL. Give this or `listener`, not both.
     * @default none
     */
    readonly loadBalancer?: EcsLoadBalancerArgs;
    /**
     * A rule on a shared listener (an `EcsApplicationLoadBalancer`'s or an existing one). Give this or
     * `loadBalancer`, not both.
     * @default none
     */
    readonly listener?: EcsListenerArgs;
    /**
     * What the application may do: an IAM policy document (JSON, e.g. `aws.iam.getPolicyDocumentOutput(...).json`),
     * attached inline to this service's task role only.
     * @default no permissions
     */
    readonly taskPolicy?: pulumi.Input<string>;
    /**
     * Managed policies for the application, attached to this service's task role only (and nothing else: the role's
     * managed policies are exactly these).
     * @default none
     */
    readonly taskPolicyArns?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * EC2 capacity settings (`capacity: "ec2"` only).
     * @default one m5.large, up to two
     */
    readonly ec2?: EcsEc2CapacityArgs;
    /**
     * How deployments replace tasks: `rolling`, `canary`, `linear` or `blue-green`.
     * @default a rolling deployment
     */
    readonly deployment?: EcsDeploymentArgs;
    /**
     * Alarms that roll deployments back and notify.
     * @default alarms on the target groups when there is a load balancer, without notifications
     */
    readonly alarms?: EcsAlarmsArgs;
    /**
     * Create a CloudWatch dashboard for the service (CPU and memory, requests, 5xx and latency, tasks, deployments).
     * @default true
     */
    readonly dashboard?: boolean;
    /**
     * An AWS Fault Injection Service experiment template that drills the service: stop a share of its tasks and, on
     * EC2 capacity of its own, terminate or drain one instance, stopped by the service's rollback alarms. Run it with
     * `aws fis start-experiment --experiment-template-id <chaosExperimentTemplateId>`.
     * @default no drill
     */
    readonly chaosDrill?: EcsChaosDrillArgs;
    /**
     * An OpenTelemetry collector beside the application that sends its spans to X-Ray's OTLP endpoint as the task
     * role. The application is told `OTEL_EXPORTER_OTLP_ENDPOINT` and `OTEL_SERVICE_NAME`. X-Ray takes OTLP once the
     * account has Transaction Search on (`XrayTransactionSearch`, once per account and region).
     * @default no traces
     */
    readonly traces?: EcsTracesArgs;
}
