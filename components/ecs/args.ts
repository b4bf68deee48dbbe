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
}
