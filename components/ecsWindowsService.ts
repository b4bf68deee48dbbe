// EcsWindowsService: runs a Windows image on Amazon ECS (Fargate or EC2), checked against the host's Windows version first.
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as lb from "@pulumi/aws/lb";
import * as ssm from "@pulumi/aws/ssm";
import { containerDefinition, ecsOptimizedAmiParameter, ecsWindowsUserData, operatingSystemFamily } from "./ecs";
import { ResolvedEcsService, resolveEcsServiceArgs } from "./hostValidation";
import { resolveArgsFor } from "./resolveArgs";

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
}

/** Arguments of EcsWindowsService. */
export interface EcsWindowsServiceArgs {
    /** The image to run, pinned by digest (GoWindowsImage's `imageRef`). */
    readonly imageRef: pulumi.Input<string>;
    /** The image's Windows release (`ltsc2019`, `ltsc2022`, `ltsc2025`); checked against the host before anything is created. */
    readonly windowsVersion: string;
    /**
     * The image's health check command, e.g. `["CMD", "C:\\app\\hello.exe", "healthcheck"]` (GoWindowsImage's
     * `healthCheckCommand`). ECS ignores the image's HEALTHCHECK unless the task declares one.
     * @default no container health check
     */
    readonly healthCheckCommand?: pulumi.Input<string[]>;
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

const assumeRole = (service: string) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });

const containerName = "app";

/** A Windows service on Amazon ECS, with its own execution and task roles, logs, security group and optional load balancer. */
export class EcsWindowsService extends pulumi.ComponentResource {
    /** The cluster the service runs in. */
    public readonly clusterArn: pulumi.Output<string>;
    /** The ECS service's name. */
    public readonly serviceName: pulumi.Output<string>;
    /** The task definition's ARN. */
    public readonly taskDefinitionArn: pulumi.Output<string>;
    /** The log group the containers write to. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The tasks' security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The operating system family of the tasks, e.g. `WINDOWS_SERVER_2022_CORE`. */
    public readonly operatingSystemFamily: pulumi.Output<string>;
    /** `http://<load balancer>/` when there is a load balancer; undefined otherwise. */
    public readonly url: pulumi.Output<string | undefined>;

    constructor(name: string, args: EcsWindowsServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:EcsWindowsService", name, {}, opts);
        const resolved = resolveArgsFor("EcsWindowsService", name, this, () => resolveEcsServiceArgs(args));
        if (resolved.compatibility.verdict === "unknown") void pulumi.log.warn(resolved.compatibility.message, this);
        // ECS places tasks on instances of the task's family: the host's release (the image's on Fargate).
        const family = operatingSystemFamily(resolved.hostWindowsVersion);

        const cluster = args.clusterArn
            ? undefined
            : new ecs.Cluster(
                  `${name}-cluster`,
                  { settings: [{ name: "containerInsights", value: "enabled" }] },
                  { parent: this },
              );
        const clusterArn = cluster ? cluster.arn : pulumi.output(args.clusterArn!);

        const logGroup = new cloudwatch.LogGroup(
            `${name}-logs`,
            { retentionInDays: resolved.logRetentionDays },
            { parent: this },
        );

        // The execution role pulls the image and writes logs; the task role is what the application may do. They differ.
        const executionRole = new iam.Role(
            `${name}-execution`,
            { assumeRolePolicy: assumeRole("ecs-tasks.amazonaws.com") },
            { parent: this },
        );
        const executionPolicies: pulumi.Resource[] = [
            new iam.RolePolicyAttachment(
                `${name}-execution-policy`,
                {
                    role: executionRole.name,
                    policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
                },
                { parent: this },
            ),
        ];
        const secretArns = Object.values(args.secrets ?? {});
        if (secretArns.length > 0) {
            executionPolicies.push(
                new iam.RolePolicy(
                    `${name}-execution-secrets`,
                    {
                        role: executionRole.id,
                        policy: pulumi.all(secretArns).apply((arns) =>
                            JSON.stringify({
                                Version: "2012-10-17",
                                Statement: [
                                    {
                                        Effect: "Allow",
                                        Action: ["ssm:GetParameters", "secretsmanager:GetSecretValue"],
                                        Resource: [...arns].sort(),
                                    },
                                ],
                            }),
                        ),
                    },
                    { parent: this },
                ),
            );
        }
        const taskRole = new iam.Role(
            `${name}-task`,
            { assumeRolePolicy: assumeRole("ecs-tasks.amazonaws.com") },
            { parent: this },
        );

        const loadBalancerSecurityGroup = args.loadBalancer
            ? new ec2.SecurityGroup(
                  `${name}-lb-sg`,
                  {
                      vpcId: args.vpcId,
                      description: `HTTP to ${name}`,
                      ingress: [
                          {
                              protocol: "tcp",
                              fromPort: args.loadBalancer.listenerPort ?? 80,
                              toPort: args.loadBalancer.listenerPort ?? 80,
                              cidrBlocks: args.loadBalancer.ingressCidrBlocks ?? ["0.0.0.0/0"],
                          },
                      ],
                      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                  },
                  { parent: this },
              )
            : undefined;
        const ingress: ec2.SecurityGroupArgs["ingress"] = [
            ...(loadBalancerSecurityGroup
                ? [
                      {
                          protocol: "tcp",
                          fromPort: resolved.port,
                          toPort: resolved.port,
                          securityGroups: [loadBalancerSecurityGroup.id],
                      },
                  ]
                : []),
            ...(args.ingressCidrBlocks
                ? [
                      {
                          protocol: "tcp",
                          fromPort: resolved.port,
                          toPort: resolved.port,
                          cidrBlocks: args.ingressCidrBlocks,
                      },
                  ]
                : []),
        ];
        const securityGroup = new ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Tasks of ${name}`,
                ingress,
                // Tasks reach ECR, CloudWatch Logs and Secrets Manager over HTTPS.
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            },
            { parent: this },
        );

        const region = logGroup.arn.apply((arn) => arn.split(":")[3]);
        const containers = pulumi
            .all([
                args.imageRef,
                logGroup.name,
                region,
                pulumi.output(args.environment ?? {}),
                pulumi.output(args.secrets ?? {}),
                pulumi.output(args.healthCheckCommand),
            ])
            .apply(([image, logGroupName, regionName, environment, secrets, healthCheckCommand]) =>
                JSON.stringify([
                    containerDefinition({
                        name: containerName,
                        image,
                        port: resolved.port,
                        cpu: resolved.cpu,
                        memory: resolved.memory,
                        environment,
                        secrets,
                        logGroup: logGroupName,
                        region: regionName,
                        healthCheckCommand,
                    }),
                ]),
            );
        const fargate = resolved.capacity === "fargate";
        const taskDefinition = new ecs.TaskDefinition(
            `${name}-task`,
            {
                family: name.replace(/[^A-Za-z0-9_-]/g, "-"),
                requiresCompatibilities: [fargate ? "FARGATE" : "EC2"],
                networkMode: "awsvpc",
                // EC2 Windows tasks ignore task-level sizes; the container carries them.
                cpu: fargate ? String(resolved.cpu) : undefined,
                memory: fargate ? String(resolved.memory) : undefined,
                runtimePlatform: { operatingSystemFamily: family, cpuArchitecture: "X86_64" },
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                containerDefinitions: containers,
            },
            { parent: this, dependsOn: executionPolicies },
        );

        let targetGroup: lb.TargetGroup | undefined;
        let listener: lb.Listener | undefined;
        let url: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (args.loadBalancer && loadBalancerSecurityGroup) {
            const balancer = new lb.LoadBalancer(
                `${name}-alb`,
                {
                    loadBalancerType: "application",
                    internal: args.loadBalancer.internal ?? false,
                    subnets: args.loadBalancer.subnetIds,
                    securityGroups: [loadBalancerSecurityGroup.id],
                    dropInvalidHeaderFields: true,
                },
                { parent: this },
            );
            targetGroup = new lb.TargetGroup(
                `${name}-tg`,
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    port: resolved.port,
                    protocol: "HTTP",
                    deregistrationDelay: 30,
                    healthCheck: {
                        path: args.loadBalancer.healthCheckPath ?? "/healthz",
                        matcher: "200",
                        interval: 30,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                },
                { parent: this },
            );
            listener = new lb.Listener(
                `${name}-http`,
                {
                    loadBalancerArn: balancer.arn,
                    port: args.loadBalancer.listenerPort ?? 80,
                    protocol: "HTTP",
                    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                },
                { parent: this },
            );
            const listenerPort = args.loadBalancer.listenerPort ?? 80;
            url = balancer.dnsName.apply((dns) =>
                listenerPort === 80 ? `http://${dns}/` : `http://${dns}:${listenerPort}/`,
            );
        }

        const capacity = fargate ? undefined : this.declareEc2Capacity(name, args, resolved, cluster!, securityGroup);
        const service = new ecs.Service(
            `${name}-service`,
            {
                cluster: clusterArn,
                taskDefinition: taskDefinition.arn,
                desiredCount: resolved.desiredCount,
                launchType: fargate ? "FARGATE" : undefined,
                platformVersion: fargate ? "LATEST" : undefined,
                capacityProviderStrategies: capacity ? [{ capacityProvider: capacity.name, weight: 1 }] : undefined,
                networkConfiguration: {
                    subnets: args.subnetIds,
                    securityGroups: [securityGroup.id],
                    assignPublicIp: args.assignPublicIp ?? false,
                },
                loadBalancers: targetGroup
                    ? [{ targetGroupArn: targetGroup.arn, containerName, containerPort: resolved.port }]
                    : undefined,
                // Windows tasks take minutes to pull and start; the load balancer must not kill them meanwhile.
                healthCheckGracePeriodSeconds: targetGroup ? 600 : undefined,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                propagateTags: "SERVICE",
            },
            { parent: this, dependsOn: [...(listener ? [listener] : []), ...(capacity ? [capacity.attachment] : [])] },
        );

        this.clusterArn = clusterArn;
        this.serviceName = service.name;
        this.taskDefinitionArn = taskDefinition.arn;
        this.logGroupName = logGroup.name;
        this.securityGroupId = securityGroup.id;
        this.operatingSystemFamily = pulumi.output(family);
        this.url = url;
        this.registerOutputs({
            clusterArn: this.clusterArn,
            serviceName: this.serviceName,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            operatingSystemFamily: this.operatingSystemFamily,
            url: this.url,
        });
    }

    /** ECS-optimized Windows instances in an Auto Scaling group, joined to the cluster through a capacity provider. */
    private declareEc2Capacity(
        name: string,
        args: EcsWindowsServiceArgs,
        resolved: ResolvedEcsService,
        cluster: ecs.Cluster,
        taskSecurityGroup: ec2.SecurityGroup,
    ): { name: pulumi.Output<string>; attachment: pulumi.Resource } {
        const instanceRole = new iam.Role(
            `${name}-instance`,
            { assumeRolePolicy: assumeRole("ec2.amazonaws.com") },
            { parent: this },
        );
        const attachments = [
            "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        ].map(
            (policyArn, i) =>
                new iam.RolePolicyAttachment(
                    `${name}-instance-policy-${i}`,
                    { role: instanceRole.name, policyArn },
                    { parent: this },
                ),
        );
        const profile = new iam.InstanceProfile(
            `${name}-instance`,
            { role: instanceRole.name },
            { parent: this, dependsOn: attachments },
        );
        const ami = ssm.getParameterOutput(
            { name: ecsOptimizedAmiParameter(resolved.hostWindowsVersion) },
            { parent: this },
        );
        const launchTemplate = new ec2.LaunchTemplate(
            `${name}-lt`,
            {
                imageId: ami.value,
                instanceType: resolved.ec2.instanceType,
                iamInstanceProfile: { arn: profile.arn },
                vpcSecurityGroupIds: [taskSecurityGroup.id],
                userData: cluster.name.apply((clusterName) =>
                    Buffer.from(ecsWindowsUserData(clusterName)).toString("base64"),
                ),
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                updateDefaultVersion: true,
            },
            { parent: this },
        );
        const group = new autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: args.subnetIds,
                minSize: resolved.ec2.minSize,
                maxSize: resolved.ec2.maxSize,
                desiredCapacity: resolved.ec2.desiredCapacity,
                launchTemplate: { id: launchTemplate.id, version: "$Latest" },
                tags: [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }],
            },
            // The capacity provider scales the group; Pulumi must not fight it over the desired capacity.
            { parent: this, ignoreChanges: ["desiredCapacity"] },
        );
        const provider = new ecs.CapacityProvider(
            `${name}-capacity`,
            {
                autoScalingGroupProvider: {
                    autoScalingGroupArn: group.arn,
                    managedScaling: { status: "ENABLED", targetCapacity: 100 },
                    managedTerminationProtection: "DISABLED",
                },
            },
            { parent: this },
        );
        const attachment = new ecs.ClusterCapacityProviders(
            `${name}-capacity-providers`,
            {
                clusterName: cluster.name,
                capacityProviders: [provider.name],
                defaultCapacityProviderStrategies: [{ capacityProvider: provider.name, weight: 1 }],
            },
            { parent: this },
        );
        return { name: provider.name, attachment };
    }
}
