// EcsApplicationLoadBalancer: one Application Load Balancer with an HTTPS listener that many EcsWindowsServices join.
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import { childName, resolveArgsFor } from "../core";
import { loadBalancer5xxAlarm } from "./alarmDefinitions";
import { declareMetricAlarm } from "./alarms";
import {
    EcsApplicationLoadBalancerArgs,
    ResolvedApplicationLoadBalancer,
    ResolvedTestListener,
    resolveApplicationLoadBalancerArgs,
} from "./loadBalancerArgs";
import { childOptions } from "./movedChildren";
import { awsNameRules } from "./names";
import { anywhereOut } from "./network";

type Options = (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

/** What a listener answers when no service's rule matches. */
const notFound = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }];

/**
 * An Application Load Balancer with an HTTPS listener (TLS 1.3/1.2) and an HTTP listener that redirects to it, or an
 * HTTP listener only when asked. Services join it with `listener: { listenerArn, securityGroupId, hostHeaders or
 * pathPatterns }`: each adds its own rule (at a priority derived from its name), its own two target groups, its own
 * canary, linear or blue/green strategy and alarms, and opens its tasks' port to this load balancer's security group.
 * What no rule matches gets 404.
 */
export class EcsApplicationLoadBalancer extends pulumi.ComponentResource {
    /** The load balancer's ARN (e.g. `aws.wafv2.WebAclAssociation`'s `resourceArn`). */
    public readonly loadBalancerArn: pulumi.Output<string>;
    /** The ARN suffix CloudWatch names it by (`LoadBalancer` dimension). */
    public readonly arnSuffix: pulumi.Output<string>;
    /** The load balancer's DNS name: a Route 53 alias record's `name`. */
    public readonly dnsName: pulumi.Output<string>;
    /** The load balancer's hosted zone: a Route 53 alias record's `zoneId`. */
    public readonly zoneId: pulumi.Output<string>;
    /** The load balancer's security group: services' `listener.securityGroupId`. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The listener services join: the HTTPS one, or the HTTP one with `httpOnly`. */
    public readonly listenerArn: pulumi.Output<string>;
    /** The HTTP listener (redirecting to HTTPS unless `httpOnly`). */
    public readonly httpListenerArn: pulumi.Output<string>;
    /** The HTTPS listener; undefined with `httpOnly`. */
    public readonly httpsListenerArn: pulumi.Output<string | undefined>;
    /** `https://<dns name>/` (or `http://...` with `httpOnly`). */
    public readonly url: pulumi.Output<string>;
    /** The alarm on the load balancer's own 5xx; undefined when turned off. */
    public readonly alarmArn: pulumi.Output<string | undefined>;
    /** The test listener (`testListener`), services' `listener.testListenerArn`; undefined without one. */
    public readonly testListenerArn: pulumi.Output<string | undefined>;
    /** `https://<dns name>:<port>/` of the test listener, services' `listener.testListenerUrl`; undefined without one. */
    public readonly testListenerUrl: pulumi.Output<string | undefined>;
    /**
     * The security group the test listener admits, services' `listener.testClientSecurityGroupId` (their smoke tests
     * run in it); undefined without a test listener.
     */
    public readonly testClientSecurityGroupId: pulumi.Output<string | undefined>;

    constructor(name: string, args: EcsApplicationLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:EcsApplicationLoadBalancer", name, {}, opts);
        const settings = resolveArgsFor("EcsApplicationLoadBalancer", name, this, () =>
            resolveApplicationLoadBalancerArgs(args),
        );
        const options: Options = (extra) => childOptions(this, opts, extra);

        const testClients = settings.testListener
            ? declareTestClientSecurityGroup(name, args, settings.testListener, options)
            : undefined;
        const securityGroup = declareSecurityGroup(name, args, settings, testClients, options);
        const balancer = new lb.LoadBalancer(
            childName(name, "-alb", awsNameRules.loadBalancer),
            {
                loadBalancerType: "application",
                internal: settings.internal,
                subnets: args.subnetIds,
                securityGroups: [securityGroup.id],
                dropInvalidHeaderFields: true,
                ...(settings.deletionProtection ? { enableDeletionProtection: true } : {}),
            },
            options(),
        );
        const http = new lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: balancer.arn,
                port: settings.httpPort,
                protocol: "HTTP",
                defaultActions: settings.https
                    ? [
                          {
                              type: "redirect",
                              redirect: { protocol: "HTTPS", port: String(settings.httpsPort), statusCode: "HTTP_301" },
                          },
                      ]
                    : notFound,
            },
            options(),
        );
        const https = settings.https
            ? new lb.Listener(
                  `${name}-https`,
                  {
                      loadBalancerArn: balancer.arn,
                      port: settings.httpsPort,
                      protocol: "HTTPS",
                      sslPolicy: settings.sslPolicy,
                      certificateArn: args.certificateArn,
                      defaultActions: notFound,
                  },
                  options(),
              )
            : undefined;
        const test = settings.testListener
            ? new lb.Listener(
                  `${name}-test`,
                  {
                      loadBalancerArn: balancer.arn,
                      port: settings.testListener.port,
                      protocol: settings.https ? "HTTPS" : "HTTP",
                      ...(settings.https ? { sslPolicy: settings.sslPolicy, certificateArn: args.certificateArn } : {}),
                      defaultActions: notFound,
                  },
                  options(),
              )
            : undefined;
        const alarm = settings.alarm
            ? declareMetricAlarm(
                  name,
                  loadBalancer5xxAlarm(balancer.arnSuffix, settings.alarm),
                  args.alarms?.notifyTopicArn,
                  options(),
              )
            : undefined;

        this.loadBalancerArn = balancer.arn;
        this.arnSuffix = balancer.arnSuffix;
        this.dnsName = balancer.dnsName;
        this.zoneId = balancer.zoneId;
        this.securityGroupId = securityGroup.id;
        this.listenerArn = (https ?? http).arn;
        this.httpListenerArn = http.arn;
        this.httpsListenerArn = https ? https.arn : pulumi.output(undefined);
        this.url = balancer.dnsName.apply((dns) => baseUrl(dns, settings));
        this.alarmArn = alarm ? alarm.arn : pulumi.output(undefined);
        this.testListenerArn = test ? test.arn : pulumi.output(undefined);
        this.testListenerUrl = settings.testListener
            ? balancer.dnsName.apply((dns) => testUrl(dns, settings, settings.testListener!.port))
            : pulumi.output(undefined);
        this.testClientSecurityGroupId = testClients ? testClients.id : pulumi.output(undefined);
        this.registerOutputs({
            loadBalancerArn: this.loadBalancerArn,
            arnSuffix: this.arnSuffix,
            dnsName: this.dnsName,
            zoneId: this.zoneId,
            securityGroupId: this.securityGroupId,
            listenerArn: this.listenerArn,
            httpListenerArn: this.httpListenerArn,
            httpsListenerArn: this.httpsListenerArn,
            url: this.url,
            alarmArn: this.alarmArn,
            testListenerArn: this.testListenerArn,
            testListenerUrl: this.testListenerUrl,
            testClientSecurityGroupId: this.testClientSecurityGroupId,
        });
    }
}

/** The load balancer's URL: the scheme and port its services are reached on. */
function baseUrl(dns: string, settings: ResolvedApplicationLoadBalancer): string {
    if (settings.https) return settings.httpsPort === 443 ? `https://${dns}/` : `https://${dns}:${settings.httpsPort}/`;
    return settings.httpPort === 80 ? `http://${dns}/` : `http://${dns}:${settings.httpPort}/`;
}

/** The test listener's URL: the load balancer's scheme, its DNS name and the test port. */
function testUrl(dns: string, settings: ResolvedApplicationLoadBalancer, port: number): string {
    return `${settings.https ? "https" : "http"}://${dns}:${port}/`;
}

/**
 * The test clients' security group: its members (the services' smoke tests) may reach the test listener. Out, the
 * test port anywhere: an internet-facing load balancer is reached at its public address.
 */
function declareTestClientSecurityGroup(
    name: string,
    args: EcsApplicationLoadBalancerArgs,
    testListener: ResolvedTestListener,
    options: Options,
): ec2.SecurityGroup {
    const port = testListener.port;
    return new ec2.SecurityGroup(
        childName(name, "-test-clients-sg", awsNameRules.securityGroup),
        {
            vpcId: args.vpcId,
            description: `Test clients of ${name}`,
            ingress: [],
            egress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"] }],
        },
        options(),
    );
}

/**
 * The load balancer's security group: its listeners' ports open to the given networks, and the test listener's to
 * its test clients' security group and `testListener.sourceCidrBlocks`.
 */
function declareSecurityGroup(
    name: string,
    args: EcsApplicationLoadBalancerArgs,
    settings: ResolvedApplicationLoadBalancer,
    testClients: ec2.SecurityGroup | undefined,
    options: Options,
): ec2.SecurityGroup {
    const ports = settings.https ? [settings.httpPort, settings.httpsPort] : [settings.httpPort];
    const test = settings.testListener;
    const testPort = test ? { protocol: "tcp", fromPort: test.port, toPort: test.port } : undefined;
    const testIngress =
        testPort && testClients
            ? [
                  { ...testPort, securityGroups: [testClients.id] },
                  ...(test?.sourceCidrBlocks !== undefined ? [{ ...testPort, cidrBlocks: test.sourceCidrBlocks }] : []),
              ]
            : [];
    return new ec2.SecurityGroup(
        childName(name, "-lb-sg", awsNameRules.securityGroup),
        {
            vpcId: args.vpcId,
            // The description is fixed at creation (a change replaces the group), so it stays what it was.
            description: settings.https ? `HTTP and HTTPS to ${name}` : `HTTP to ${name}`,
            ingress: [
                ...ports.map((port) => ({
                    protocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrBlocks: settings.ingressCidrBlocks,
                })),
                ...testIngress,
            ],
            egress: anywhereOut,
        },
        options(),
    );
}
