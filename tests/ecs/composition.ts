// A platform program wired the way users wire ours: every output that feeds DNS, WAF, IAM or another service is
// passed to the consuming argument as it is, with no `apply` and no cast, and lists from other resources are passed
// where lists are taken. `tsc --noEmit` (npm test's typecheck) compiles this file, so an output typed so that it
// no longer feeds its consumer (an `Output<string | undefined>`, a plain string list) fails the build;
// composition.test.ts runs it under the mocks to check the values arrive.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as route53 from "@pulumi/aws/route53";
import * as vpc from "@pulumi/aws/vpc";
import * as wafv2 from "@pulumi/aws/wafv2";
import { EcsApplicationLoadBalancer, EcsWindowsCluster, EcsWindowsService } from "../../components";

const imageRef = `123456789012.dkr.ecr.us-east-1.amazonaws.com/orders@sha256:${"b".repeat(64)}`;

/** Declares the platform; returns what the test reads. */
export function composition() {
    // Lists that come from other resources: the VPC's subnets looked up, a CIDR from a stack reference's output.
    const subnets = ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: ["vpc-1"] }] });
    const officeCidrs: pulumi.Output<string[]> = pulumi.output(["10.20.0.0/16"]);

    const hosts = new EcsWindowsCluster("hosts", { vpcId: "vpc-1", subnetIds: subnets.ids });
    const edge = new EcsApplicationLoadBalancer("edge", {
        vpcId: "vpc-1",
        subnetIds: subnets.ids,
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        ingressCidrBlocks: officeCidrs,
    });
    // Another service: the shared cluster, its capacity provider and release, the shared listener.
    const shared = {
        capacity: "ec2",
        clusterArn: hosts.clusterArn,
        capacityProviderName: hosts.capacityProviderName,
        hostWindowsVersion: hosts.windowsVersion,
        listener: {
            listenerArn: edge.listenerArn,
            securityGroupId: edge.securityGroupId,
            hostHeaders: ["orders.example.com"],
        },
    };
    const orders = new EcsWindowsService("orders", {
        imageRef,
        windowsVersion: "ltsc2022",
        vpcId: "vpc-1",
        subnetIds: subnets.ids,
        ingressCidrBlocks: officeCidrs,
        ...shared,
        deployment: { strategy: "canary" },
    });
    const billing = new EcsWindowsService("billing", {
        imageRef,
        windowsVersion: "ltsc2022",
        vpcId: "vpc-1",
        subnetIds: subnets.ids,
        ...shared,
        listener: { ...shared.listener, hostHeaders: ["billing.example.com"] },
        // One service's rollback alarms roll another back too.
        alarms: { alarmNames: orders.rollbackAlarmNames },
        // The application's permissions, from a policy document another resource renders.
        taskPolicy: iam.getPolicyDocumentOutput({
            statements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:invoices"] }],
        }).json,
        taskPolicyArns: [iam.ManagedPolicy.ReadOnlyAccess],
    });

    // DNS: an alias record to the shared load balancer.
    const record = new route53.Record("orders-dns", {
        zoneId: "Z0123456789",
        name: "orders.example.com",
        type: "A",
        aliases: [{ name: edge.dnsName, zoneId: edge.zoneId, evaluateTargetHealth: true }],
    });
    // WAF: a web ACL on the load balancer.
    new wafv2.WebAclAssociation("edge-waf", {
        resourceArn: edge.loadBalancerArn,
        webAclArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/0",
    });
    // IAM: a grant to one service's application, by its task role.
    new iam.RolePolicyAttachment("orders-reads-s3", {
        role: orders.taskRoleName,
        policyArn: iam.ManagedPolicy.AmazonS3ReadOnlyAccess,
    });
    new iam.RolePolicy("orders-execution-kms", {
        role: orders.executionRoleName,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:123456789012:key/k" },
            ],
        }),
    });
    // A bucket policy naming the application's role as its principal.
    const principal: pulumi.Input<string> = orders.taskRoleArn;
    // Another service: billing's tasks may call orders' tasks directly.
    new vpc.SecurityGroupIngressRule("billing-to-orders", {
        securityGroupId: orders.securityGroupId,
        referencedSecurityGroupId: billing.securityGroupId,
        ipProtocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
    });
    // Listener, cluster, target groups and hosts as other resources take them.
    const certificates: pulumi.Input<string>[] = [edge.listenerArn, billing.clusterArn, billing.clusterName];
    const targetGroups: pulumi.Input<pulumi.Input<string>[]> = orders.targetGroupArns;
    const instanceRole: pulumi.Input<string> = hosts.instanceRoleName;
    const asg: pulumi.Input<string> = hosts.autoScalingGroupName;
    return { hosts, edge, orders, billing, record, certificates, targetGroups, instanceRole, asg, principal };
}
