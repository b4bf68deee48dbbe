// The arguments of EcsWindowsService, defined once: the component takes them, the resolver checks them.
import * as pulumi from "@pulumi/pulumi";

/** An Application Load Balancer in front of the service. */
export interface EcsLoadBalancerArgs {
    /** Subnets for the load balancer, in at least two Availability Zones (public subnets for an internet-facing one). */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * Make the load balancer internal (reachable inside the VPC only).
     * @default false
     */
    readonly internal?: boolean;
    /**
     * The HTTP listener port.
     * @default 80
     */
    readonly listenerPort?: number;
    /**
     * The path the target group checks.
     * @default "/healthz"
     */
    readonly healthCheckPath?: string;
    /**
     * Networks allowed to reach the listener.
     * @default ["0.0.0.0/0"]
     */
    readonly ingressCidrBlocks?: pulumi.Input<string>[];
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

/** Arguments of EcsWindowsService. */
export interface EcsWindowsServiceArgs {
    /** The image to run, pinned by digest (GoWindowsImage's `imageRef`). */
    readonly imageRef: pulumi.Input<string>;
    /** The image's Windows release (`ltsc2019`, `ltsc2022`, `ltsc2025`); checked against the host before anything is created. */
    readonly windowsVersion: string;
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
     * The Windows release of the EC2 instances (EC2 only). A Server 2025 host also runs ltsc2022 images.
     * @default the image's windowsVersion
     */
    readonly hostWindowsVersion?: string;
    /**
     * An existing cluster to run in (Fargate only).
     * @default a new cluster with Container Insights
     */
    readonly clusterArn?: pulumi.Input<string>;
    /** The VPC of the subnets. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the tasks (private subnets with a route to ECR are best). */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * Give tasks public IPs. Scanners flag this; use a load balancer instead.
     * @default false
     */
    readonly assignPublicIp?: boolean;
    /**
     * Networks allowed to reach the tasks' port directly (besides the load balancer).
     * @default none
     */
    readonly ingressCidrBlocks?: pulumi.Input<string>[];
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
     * An Application Load Balancer that gives the service a URL.
     * @default none
     */
    readonly loadBalancer?: EcsLoadBalancerArgs;
    /**
     * EC2 capacity settings (`capacity: "ec2"` only).
     * @default one m5.large, up to two
     */
    readonly ec2?: EcsEc2CapacityArgs;
}
