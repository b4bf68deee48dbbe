// The test gate's resources: the smoke-test function in the service's VPC (or the user's own), its log group and role,
// the role ECS invokes it with, and the lifecycle hook entry the service carries. The pure pieces are in testGate.ts.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import { childName, providedString } from "../core";
import { EcsWindowsServiceArgs } from "./args";
import { DeclaredTestListener } from "./loadBalancer";
import { awsNameRules } from "./names";
import { ResolvedEcsService } from "./resolve";
import {
    ResolvedTestGate,
    hookInvokePolicy,
    hookRoleTrustPolicy,
    smokeTestArchive,
    smokeTestConfigFor,
    smokeTestExecutionPolicy,
    smokeTestFunctionSettings,
    smokeTestLifecycleHook,
    smokeTestRoleTrustPolicy,
} from "./testGate";

/** The service's lifecycle hook entry, as `deploymentConfiguration.lifecycleHooks[]` takes it. */
export type LifecycleHook = ReturnType<typeof smokeTestLifecycleHook>;

export interface DeclaredTestGate {
    /** The hook the service runs at POST_TEST_TRAFFIC_SHIFT. */
    readonly hook: pulumi.Output<LifecycleHook>;
    /** What the service's first deployment must wait for: ECS must be allowed to invoke the function. */
    readonly waitFor: pulumi.Resource[];
    /** The smoke-test function's name and log group; undefined with a function of the user's own. */
    readonly functionName: pulumi.Output<string | undefined>;
    readonly logGroupName: pulumi.Output<string | undefined>;
}

/** A role that `trust` lets assume it, with one inline policy; both named `<name><suffix>` (auto-named in AWS). */
function roleWithPolicy(
    name: string,
    suffix: string,
    trust: string,
    policy: pulumi.Input<string>,
    parent: pulumi.Resource,
): { role: iam.Role; policy: iam.RolePolicy } {
    const role = new iam.Role(childName(name, suffix, awsNameRules.role), { assumeRolePolicy: trust }, { parent });
    const rolePolicy = new iam.RolePolicy(
        childName(name, suffix, awsNameRules.medium),
        { role: role.id, policy },
        { parent },
    );
    return { role, policy: rolePolicy };
}

/** The smoke-test function, its log group and its role (its own log streams, and its network interfaces). */
function declareSmokeTestFunction(...[name, args, resolved, gate, test, parent]: Parameters<typeof declareTestGate>): {
    fn: lambda.Function;
    logGroup: cloudwatch.LogGroup;
} {
    const logGroup = new cloudwatch.LogGroup(
        childName(name, "-smoke-test", awsNameRules.long),
        { retentionInDays: resolved.logRetentionDays },
        { parent },
    );
    const { role, policy } = roleWithPolicy(
        name,
        "-smoke-test",
        smokeTestRoleTrustPolicy(),
        logGroup.arn.apply((arn) => smokeTestExecutionPolicy(arn, true)),
        parent,
    );
    const fn = new lambda.Function(
        childName(name, "-smoke-test", awsNameRules.lambdaFunction),
        {
            description: `Smoke test of ${name}'s new revisions, run by ECS before production traffic moves`,
            role: role.arn,
            code: smokeTestArchive(),
            ...smokeTestFunctionSettings({ checks: gate.checks ?? [] }),
            // In the service's subnets, so that an internal test listener answers; in the test listener's client
            // security group, which is all it may reach.
            vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [providedString(test.clientSecurityGroupId)] },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        },
        // The function logs from its first call, and Lambda needs the network interface actions to create it.
        { parent, dependsOn: [policy] },
    );
    return { fn, logGroup };
}

/**
 * Declares the test gate: the smoke-test function (unless `functionArn` is the user's own), the hook role that may
 * invoke only that function, and the hook entry whose `hookDetails` carry the smoke test's configuration. The entry
 * is computed from outputs (the function's ARN, the test listener's URL): values only, no resources in the apply.
 */
export function declareTestGate(
    name: string,
    args: EcsWindowsServiceArgs,
    resolved: ResolvedEcsService,
    gate: ResolvedTestGate,
    test: DeclaredTestListener,
    parent: pulumi.Resource,
): DeclaredTestGate {
    const own =
        gate.functionArn === undefined ? declareSmokeTestFunction(name, args, resolved, gate, test, parent) : undefined;
    const functionArn = own ? own.fn.arn : pulumi.output(gate.functionArn!);
    const { role: hookRole, policy: invoke } = roleWithPolicy(
        name,
        "-ecs-hook",
        hookRoleTrustPolicy(),
        functionArn.apply(hookInvokePolicy),
        parent,
    );
    // The rule's first host (a shared listener's), which names the certificate an HTTPS test listener shows.
    const serviceHost = pulumi
        .output(args.listener?.hostHeaders)
        .apply((hosts) => (Array.isArray(hosts) && hosts.length > 0 ? hosts[0] : undefined));
    const hook = pulumi
        .all([functionArn, hookRole.arn, test.url, serviceHost])
        .apply(([fn, role, url, host]) => smokeTestLifecycleHook(fn, role, smokeTestConfigFor(gate, url, host)));
    return {
        hook,
        waitFor: [invoke, ...(own ? [own.fn] : [])],
        functionName: own ? own.fn.name : pulumi.output(undefined),
        logGroupName: own ? own.logGroup.name : pulumi.output(undefined),
    };
}
