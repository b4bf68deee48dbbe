// A platform on AWS: three Go services built into Windows images in one ECR namespace, run on one cluster of shared
// Windows EC2 hosts behind one HTTPS load balancer, each by its own host name, each deployed by canary with alarms
// that roll it back, each with a DNS alias and an application policy of its own.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as route53 from "@pulumi/aws/route53";
import {
    EcsApplicationLoadBalancer,
    EcsWindowsCluster,
    EcsWindowsService,
    GoWindowsImage,
} from "go-windows-containers";

const config = new pulumi.Config();
const vpcId = config.require("vpcId");
const subnetIds = config.requireObject<string[]>("subnetIds");
const domain = config.require("domain");
const hostedZoneId = config.require("hostedZoneId");
const alarmTopicArn = config.require("alarmTopicArn");

/** One cluster of Windows Server 2022 hosts that every service joins; the capacity provider scales it. */
const hosts = new EcsWindowsCluster("hosts", {
    vpcId,
    subnetIds,
    windowsVersion: "ltsc2022",
    instanceType: "m5.xlarge",
    minSize: 2,
    maxSize: 6,
});

/** One load balancer for every service: HTTPS (TLS 1.3/1.2), HTTP redirecting to it, 404 for unknown hosts. */
const edge = new EcsApplicationLoadBalancer("edge", {
    vpcId,
    subnetIds: config.requireObject<string[]>("publicSubnetIds"),
    certificateArn: config.require("certificateArn"),
    alarms: { notifyTopicArn: alarmTopicArn },
});

/** The platform's images share one ECR namespace per stack (`<project>-<stack>/<service>`). */
const namespace = `${pulumi.getProject()}-${pulumi.getStack()}`;

/** What each service's application may do (an IAM policy document). */
const permissions: Record<string, pulumi.Input<string>> = {
    orders: iam.getPolicyDocumentOutput({
        statements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:*:*:orders-*"] }],
    }).json,
    payments: iam.getPolicyDocumentOutput({
        statements: [
            { actions: ["secretsmanager:GetSecretValue"], resources: ["arn:aws:secretsmanager:*:*:secret:payments/*"] },
        ],
    }).json,
    catalog: iam.getPolicyDocumentOutput({
        statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::catalog-images/*"] }],
    }).json,
};

export const urls: Record<string, string> = {};
export const rollbackAlarms: Record<string, pulumi.Output<string[]>> = {};
for (const service of Object.keys(permissions)) {
    const image = new GoWindowsImage(service, {
        // The three services share the sample module here; each of yours has its own folder.
        context: path.join(__dirname, "..", "..", "app"),
        windowsVersion: "ltsc2022",
        ecr: { repositoryName: `${namespace}/${service}` },
        healthCheck: { args: ["healthcheck"] },
    });
    const host = `${service}.${domain}`;
    const svc = new EcsWindowsService(service, {
        imageRef: image.imageRef,
        windowsVersion: image.windowsVersion,
        healthCheckCommand: image.healthCheckCommand,
        vpcId,
        subnetIds,
        // The shared hosts: the image's release is checked against theirs before anything is created.
        capacity: "ec2",
        clusterArn: hosts.clusterArn,
        capacityProviderName: hosts.capacityProviderName,
        hostWindowsVersion: hosts.windowsVersion,
        // A rule on the shared HTTPS listener for this host name, at a priority derived from the service's name.
        listener: { listenerArn: edge.listenerArn, securityGroupId: edge.securityGroupId, hostHeaders: [host] },
        deployment: { strategy: "canary", canaryPercent: 10, canaryBakeMinutes: 10 },
        alarms: { notifyTopicArn: alarmTopicArn },
        taskPolicy: permissions[service],
    });
    new route53.Record(service, {
        zoneId: hostedZoneId,
        name: host,
        type: "A",
        aliases: [{ name: edge.dnsName, zoneId: edge.zoneId, evaluateTargetHealth: true }],
    });
    urls[service] = `https://${host}/`;
    rollbackAlarms[service] = svc.rollbackAlarmNames;
}

export const loadBalancerDnsName = edge.dnsName;
export const clusterName = hosts.clusterName;
