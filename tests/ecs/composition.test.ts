// The platform program of composition.ts (type-checked by tsc) run under the mocks: the values wired without `apply`
// arrive where they were wired, and the application's permissions land on its own task role only.
import * as assert from "assert";
import { autoNamedAs } from "../support/autonaming";
import * as mocks from "../support/mocks";
import { composition } from "./composition";

describe("outputs wired into DNS, WAF, IAM and other services", () => {
    let wired: ReturnType<typeof composition>;
    before(async () => {
        mocks.setupMocks();
        wired = composition();
        await mocks.valueOf(wired.billing.serviceName);
        await mocks.valueOf(wired.orders.serviceName);
        await mocks.settle();
    });

    const named = (type: string, name: string) => mocks.ofType(type).find((r) => r.name === name)!;

    it("points the DNS alias and the WAF association at the shared load balancer", () => {
        assert.deepStrictEqual(named("aws:route53/record:Record", "orders-dns").inputs.aliases, [
            { name: "edge-alb-123.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true },
        ]);
        assert.match(
            String(named("aws:wafv2/webAclAssociation:WebAclAssociation", "edge-waf").inputs.resourceArn),
            /:loadbalancer\/app\/edge-alb\//,
        );
    });

    it("takes lists from other resources: subnets looked up, CIDRs from an output, another service's alarms", () => {
        const svc = named("aws:ecs/service:Service", "billing-service").inputs as {
            networkConfiguration: { subnets: string[] };
            alarms: { alarmNames: string[] };
        };
        assert.deepStrictEqual(svc.networkConfiguration.subnets, ["subnet-looked-up-a", "subnet-looked-up-b"]);
        assert.deepStrictEqual(
            svc.alarms.alarmNames,
            [
                "billing-5xx",
                "billing-latency",
                "billing-unhealthy",
                "orders-5xx",
                "orders-latency",
                "orders-unhealthy",
            ].map((alarm) => autoNamedAs("aws:cloudwatch/metricAlarm:MetricAlarm", alarm)),
            "billing's own alarms, then orders'",
        );
        assert.deepStrictEqual(named("aws:ec2/securityGroup:SecurityGroup", "orders-sg").inputs.ingress, [
            { protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["edge-lb-sg-id"] },
            { protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.20.0.0/16"] },
        ]);
        assert.deepStrictEqual(named("aws:autoscaling/group:Group", "hosts-asg").inputs.vpcZoneIdentifiers, [
            "subnet-looked-up-a",
            "subnet-looked-up-b",
        ]);
    });

    it("grants the application its permissions on its own task role, and nothing to the execution role", () => {
        const billingTaskRole = autoNamedAs("aws:iam/role:Role", "billing-task");
        const inline = named("aws:iam/rolePolicy:RolePolicy", "billing-task-policy").inputs;
        assert.strictEqual(inline.role, "billing-task-id");
        assert.ok(String(inline.policy).includes("sqs:SendMessage"));
        assert.deepStrictEqual(
            named("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "billing-task-policies")
                .inputs,
            { roleName: billingTaskRole, policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
        );
        assert.deepStrictEqual(
            mocks
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .map((r) => r.name)
                .sort(),
            ["billing-task-policy", "orders-execution-kms"],
            "orders, given none, has no application policy of its own",
        );
        const svc = named("aws:ecs/service:Service", "billing-service");
        for (const grant of ["billing-task-policy", "billing-task-policies"])
            assert.ok(
                svc.dependencies.some((d) => d.endsWith(`::${grant}`)),
                `the service waits for ${grant}`,
            );
        assert.strictEqual(
            named("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "orders-reads-s3").inputs.role,
            autoNamedAs("aws:iam/role:Role", "orders-task"),
        );
    });

    it("outputs the task role, execution role, target groups and hosts as other resources take them", async () => {
        assert.strictEqual(
            await mocks.valueOf(wired.orders.taskRoleArn),
            "arn:aws:iam:us-east-1:123456789012:orders-task",
        );
        assert.deepStrictEqual((await mocks.valueOf(wired.orders.targetGroupArns)).length, 2);
        assert.strictEqual(
            named("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "billing-to-orders").inputs
                .referencedSecurityGroupId,
            "billing-sg-id",
        );
    });
});
