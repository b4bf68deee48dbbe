// The container definition of a Windows ECS task, as a pure function of what the service resolved.

/** What goes into the one container of the task definition. */
export interface ContainerSpec {
    readonly name: string;
    readonly image: string;
    readonly port: number;
    readonly cpu: number;
    readonly memory: number;
    readonly environment: Readonly<Record<string, string>>;
    /** Secret name → ARN of an SSM parameter or Secrets Manager secret. */
    readonly secrets: Readonly<Record<string, string>>;
    readonly logGroup: string;
    readonly region: string;
    /** The image's health check, e.g. `["CMD", "C:\\app\\hello.exe", "healthcheck"]`. */
    readonly healthCheckCommand?: readonly string[];
}

/**
 * The container definition for a Windows task. It leaves out what ECS rejects on Windows (user, privileged,
 * readonlyRootFilesystem, linuxParameters, links, extraHosts, dnsServers, ulimits) and sets cpu and memory on the
 * container, since EC2 Windows tasks ignore the task-level values.
 */
export function containerDefinition(spec: ContainerSpec): Record<string, unknown> {
    const sorted = (record: Readonly<Record<string, string>>) => Object.keys(record).sort();
    return {
        name: spec.name,
        image: spec.image,
        essential: true,
        cpu: spec.cpu,
        memory: spec.memory,
        portMappings: [{ containerPort: spec.port, hostPort: spec.port, protocol: "tcp" }],
        environment: sorted(spec.environment).map((name) => ({ name, value: spec.environment[name] })),
        secrets: sorted(spec.secrets).map((name) => ({ name, valueFrom: spec.secrets[name] })),
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": spec.logGroup,
                "awslogs-region": spec.region,
                "awslogs-stream-prefix": spec.name,
            },
        },
        ...(spec.healthCheckCommand && spec.healthCheckCommand.length > 0
            ? {
                  // Windows containers start slowly: give them time before failures count.
                  healthCheck: {
                      command: [...spec.healthCheckCommand],
                      interval: 30,
                      timeout: 5,
                      retries: 3,
                      startPeriod: 120,
                  },
              }
            : {}),
    };
}
