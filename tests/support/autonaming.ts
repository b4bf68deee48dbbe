// Pulumi's auto-naming as the providers do it, for the mocks: a physical name from the logical name plus a random suffix.
import * as crypto from "crypto";

interface AutoNamedType {
    /** The input that holds the physical name. */
    readonly property: string;
    /** The longest name the provider (or the cloud) accepts. */
    readonly maxLength: number;
    /** How the provider appends randomness: the AWS bridge adds "-" and 7 hex digits, azure-native 8 hex digits. */
    readonly suffix: "-hex7" | "hex8";
}

/** The types this project creates that providers auto-name, with their limits (AWS's where the provider checks none). */
export const autoNamedTypes: Record<string, AutoNamedType> = {
    "aws:ecr/repository:Repository": { property: "name", maxLength: 256, suffix: "-hex7" },
    "aws:cloudwatch/logGroup:LogGroup": { property: "name", maxLength: 512, suffix: "-hex7" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { property: "name", maxLength: 255, suffix: "-hex7" },
    "aws:iam/role:Role": { property: "name", maxLength: 64, suffix: "-hex7" },
    "aws:iam/rolePolicy:RolePolicy": { property: "name", maxLength: 128, suffix: "-hex7" },
    "aws:iam/instanceProfile:InstanceProfile": { property: "name", maxLength: 128, suffix: "-hex7" },
    "aws:lb/loadBalancer:LoadBalancer": { property: "name", maxLength: 32, suffix: "-hex7" },
    "aws:lb/targetGroup:TargetGroup": { property: "name", maxLength: 32, suffix: "-hex7" },
    "aws:ecs/cluster:Cluster": { property: "name", maxLength: 255, suffix: "-hex7" },
    "aws:ecs/service:Service": { property: "name", maxLength: 255, suffix: "-hex7" },
    "aws:ecs/capacityProvider:CapacityProvider": { property: "name", maxLength: 255, suffix: "-hex7" },
    "aws:ec2/securityGroup:SecurityGroup": { property: "name", maxLength: 255, suffix: "-hex7" },
    "aws:ec2/launchTemplate:LaunchTemplate": { property: "name", maxLength: 128, suffix: "-hex7" },
    "aws:autoscaling/group:Group": { property: "name", maxLength: 255, suffix: "-hex7" },
    "aws:sns/topic:Topic": { property: "name", maxLength: 256, suffix: "-hex7" },
    "aws:lambda/function:Function": { property: "name", maxLength: 64, suffix: "-hex7" },
    "azure-native:containerregistry:Registry": { property: "registryName", maxLength: 50, suffix: "hex8" },
    "azure-native:containerinstance:ContainerGroup": { property: "containerGroupName", maxLength: 63, suffix: "hex8" },
    "azure-native:managedidentity:UserAssignedIdentity": { property: "resourceName", maxLength: 128, suffix: "hex8" },
    "azure-native:network:PrivateEndpoint": { property: "privateEndpointName", maxLength: 80, suffix: "hex8" },
    "azure-native:operationalinsights:Workspace": { property: "workspaceName", maxLength: 63, suffix: "hex8" },
};

/** Physical names that are not auto-named: the property holding each, for the types that have one. */
export const explicitNameProperties: Record<string, string> = {
    "aws:ecs/taskDefinition:TaskDefinition": "family",
    "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": "alarmName",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyName",
};

/**
 * The inputs with the physical name filled in as the provider would, when none is given. The random part is derived
 * from the stack, type and logical name: stable across runs of one stack (as state keeps it), different per stack.
 * A name over the limit fails as the provider (or the cloud, for load balancers) fails.
 */
export function autoName(
    stack: string,
    type: string,
    logicalName: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> {
    const rule = autoNamedTypes[type];
    if (!rule || inputs[rule.property] !== undefined) return inputs;
    const random = crypto.createHash("sha256").update(`${stack}/${type}/${logicalName}`).digest("hex");
    // With `namePrefix` the AWS bridge names the resource the prefix and 26 characters of a unique id.
    if (typeof inputs.namePrefix === "string")
        return { ...inputs, [rule.property]: `${inputs.namePrefix}${random.slice(0, 26)}` };
    const name =
        rule.suffix === "-hex7" ? `${logicalName}-${random.slice(0, 7)}` : `${logicalName}${random.slice(0, 8)}`;
    if (name.length > rule.maxLength) {
        throw new Error(
            `could not make instance of '${type}': name '${logicalName}' plus random characters is longer than maximum length ${rule.maxLength}`,
        );
    }
    return { ...inputs, [rule.property]: name };
}

/** The physical name a resource asks for, auto-named or explicit; undefined for types without one. */
export function physicalName(type: string, inputs: Record<string, unknown>): string | undefined {
    const property = autoNamedTypes[type]?.property ?? explicitNameProperties[type];
    const value = property ? inputs[property] : undefined;
    return typeof value === "string" ? value : undefined;
}

/** The name the mocks give a resource of `type` named `logicalName` in `stack`, as tests expect it. */
export function autoNamedAs(type: string, logicalName: string, stack = "test"): string {
    return String(physicalName(type, autoName(stack, type, logicalName, {})));
}
