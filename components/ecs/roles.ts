// The IAM roles of an ECS service: an execution role (pull, logs, the given secrets) separate from the task role.
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { childName } from "../core";
import { awsNameRules } from "./names";

/** A trust policy letting one AWS service assume the role. */
export function assumeRolePolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

export interface TaskRoles {
    readonly executionRole: iam.Role;
    readonly taskRole: iam.Role;
    /** Policies the task definition must wait for. */
    readonly executionPolicies: pulumi.Resource[];
    /** The application's permissions, which the service must wait for (its tasks start with the role). */
    readonly taskPolicies: pulumi.Resource[];
}

/** What the application may do: an inline policy document and managed policies, on this service's task role only. */
export interface TaskPermissions {
    readonly taskPolicy?: pulumi.Input<string>;
    readonly taskPolicyArns?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The application's grants on its task role: the policy document inline (it lives and dies with the role), the
 * managed policies as the role's exclusive set (attached to this role only; others attached by hand are removed).
 */
function declareTaskPolicies(
    name: string,
    taskRole: iam.Role,
    permissions: TaskPermissions,
    parent: pulumi.Resource,
): pulumi.Resource[] {
    return [
        ...(permissions.taskPolicy !== undefined
            ? [
                  new iam.RolePolicy(
                      childName(name, "-task-policy", awsNameRules.medium),
                      { role: taskRole.id, policy: permissions.taskPolicy },
                      { parent },
                  ),
              ]
            : []),
        ...(permissions.taskPolicyArns !== undefined
            ? [
                  new iam.RolePolicyAttachmentsExclusive(
                      `${name}-task-policies`,
                      { roleName: taskRole.name, policyArns: permissions.taskPolicyArns },
                      { parent },
                  ),
              ]
            : []),
    ];
}

/** The execution role pulls the image and writes logs; the task role is what the application may do. They differ. */
export function declareTaskRoles(
    name: string,
    secrets: Record<string, pulumi.Input<string>>,
    permissions: TaskPermissions,
    parent: pulumi.Resource,
): TaskRoles {
    const executionRole = new iam.Role(
        childName(name, "-execution", awsNameRules.role),
        { assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com") },
        { parent },
    );
    const executionPolicies: pulumi.Resource[] = [
        new iam.RolePolicyAttachment(
            `${name}-execution-policy`,
            {
                role: executionRole.name,
                policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            },
            { parent },
        ),
    ];
    const secretArns = Object.values(secrets);
    if (secretArns.length > 0) {
        executionPolicies.push(
            new iam.RolePolicy(
                childName(name, "-execution-secrets", awsNameRules.medium),
                { role: executionRole.id, policy: pulumi.all(secretArns).apply(readSecretsPolicy) },
                { parent },
            ),
        );
    }
    const taskRole = new iam.Role(
        childName(name, "-task", awsNameRules.role),
        { assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com") },
        { parent },
    );
    const taskPolicies = declareTaskPolicies(name, taskRole, permissions, parent);
    return { executionRole, taskRole, executionPolicies, taskPolicies };
}

/**
 * The resource a `valueFrom` reads: an SSM parameter's ARN as it is; for Secrets Manager, the secret's ARN without
 * the `:json-key:version-stage:version-id` that may follow it (IAM knows the secret, not the key).
 */
export function secretResourceArn(valueFrom: string): string {
    const parts = valueFrom.split(":");
    return parts[2] === "secretsmanager" ? parts.slice(0, 7).join(":") : valueFrom;
}

/**
 * Read access to exactly the given SSM parameters and Secrets Manager secrets: each action on its own service's
 * ARNs only. Parameters encrypted with a customer-managed KMS key also need `kms:Decrypt` on that key.
 */
export function readSecretsPolicy(valueFroms: string[]): string {
    const arns = [...new Set(valueFroms.map(secretResourceArn))].sort();
    const statements = [
        { action: "ssm:GetParameters", service: "ssm" },
        { action: "secretsmanager:GetSecretValue", service: "secretsmanager" },
    ]
        .map(({ action, service }) => ({
            Effect: "Allow",
            Action: action,
            Resource: arns.filter((arn) => arn.split(":")[2] === service),
        }))
        .filter((statement) => statement.Resource.length > 0);
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The role ECS assumes to move traffic between the target groups during canary, linear and blue/green deployments:
 * AWS's managed policy for load balancers, nothing else.
 */
export function declareInfrastructureRole(name: string, parent: pulumi.Resource): InfrastructureRole {
    const role = new iam.Role(
        childName(name, "-ecs-infrastructure", awsNameRules.role),
        { assumeRolePolicy: assumeRolePolicy("ecs.amazonaws.com") },
        { parent },
    );
    const attachment = new iam.RolePolicyAttachment(
        `${name}-ecs-infrastructure-policy`,
        {
            role: role.name,
            policyArn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
        },
        { parent },
    );
    return { role, attachment };
}

export interface InfrastructureRole {
    readonly role: iam.Role;
    /** The service must wait for the policy, or its first deployment cannot touch the listener. */
    readonly attachment: iam.RolePolicyAttachment;
}
