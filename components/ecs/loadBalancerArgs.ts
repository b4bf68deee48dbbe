// The arguments of EcsApplicationLoadBalancer, and their checks before anything is created.
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, checkNumber, checkWholeNumber, fail, missing } from "../core";

/** The load balancer's own 5xx alarm (it belongs to every service behind the load balancer, so it rolls none back). */
export interface EcsLoadBalancerAlarmArgs {
    /**
     * Alarm on the load balancer's own 5xx (502, 503, 504 it answers itself: no healthy target, a target that failed).
     * @default true
     */
    readonly enabled?: boolean;
    /**
     * The load balancer's own 5xx, as a percentage of its requests, above which the alarm fires.
     * @default 5
     */
    readonly http5xxPercent?: number;
    /**
     * Consecutive minutes the threshold must be crossed, 1 to 60.
     * @default 3
     */
    readonly evaluationMinutes?: number;
    /**
     * An SNS topic the alarm notifies when it fires and when it recovers.
     * @default no notifications
     */
    readonly notifyTopicArn?: pulumi.Input<string>;
}

/**
 * A test listener for the test gates of the services that join (`deployment.tests` on EcsWindowsService): ECS sends
 * test traffic through it to a deployment's new revision before production traffic moves. It speaks what the load
 * balancer speaks (HTTPS with the same certificate and TLS policy, or HTTP with `httpOnly`) and admits only the test
 * clients' security group (`testClientSecurityGroupId`, which the services' smoke tests run in) and `sourceCidrBlocks`.
 */
export interface EcsTestListenerArgs {
    /**
     * The test listener's port (not 3150, which Fargate reserves on Windows tasks, though that is the tasks' port and
     * this is the load balancer's: any free port of the load balancer works).
     * @default 9000
     */
    readonly port?: number;
    /**
     * Networks allowed to reach the test listener besides the test clients' security group. Required for an
     * internet-facing load balancer: a smoke test in the VPC reaches its public address through the NAT gateways, so
     * give their public addresses (e.g. `["203.0.113.10/32"]`).
     * @default none: an internal load balancer admits the test clients' security group only
     */
    readonly sourceCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Arguments of EcsApplicationLoadBalancer. */
export interface EcsApplicationLoadBalancerArgs {
    /** The VPC of the subnets (for the load balancer's security group). */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets in at least two Availability Zones (public subnets for an internet-facing load balancer). */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Make the load balancer internal (reachable inside the VPC only).
     * @default false
     */
    readonly internal?: boolean;
    /**
     * The ACM certificate of the HTTPS listener (more can be added with `aws.lb.ListenerCertificate` on
     * `httpsListenerArn`). Required unless `httpOnly`.
     */
    readonly certificateArn?: pulumi.Input<string>;
    /**
     * Serve HTTP only, with no HTTPS listener (then services join the HTTP listener). Scanners flag it.
     * @default false: HTTPS, with HTTP redirecting to it
     */
    readonly httpOnly?: boolean;
    /**
     * The HTTP listener's port (it redirects to HTTPS unless `httpOnly`).
     * @default 80
     */
    readonly httpPort?: number;
    /**
     * The HTTPS listener's port.
     * @default 443
     */
    readonly httpsPort?: number;
    /**
     * The HTTPS listener's TLS policy.
     * @default "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2)
     */
    readonly sslPolicy?: string;
    /**
     * Networks allowed to reach the listeners.
     * @default ["0.0.0.0/0"]
     */
    readonly ingressCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Refuse to delete the load balancer (a `pulumi destroy` fails until it is turned off).
     * @default false
     */
    readonly deletionProtection?: boolean;
    /**
     * The alarm on the load balancer's own 5xx.
     * @default on, without notifications
     */
    readonly alarms?: EcsLoadBalancerAlarmArgs;
    /**
     * A test listener for the test gates of the services that join (`deployment.tests`).
     * @default none
     */
    readonly testListener?: EcsTestListenerArgs;
}

/** The load balancer with its defaults decided. */
export interface ResolvedApplicationLoadBalancer {
    readonly internal: boolean;
    readonly https: boolean;
    readonly httpPort: number;
    readonly httpsPort: number;
    readonly sslPolicy: string;
    readonly ingressCidrBlocks: pulumi.Input<pulumi.Input<string>[]>;
    readonly deletionProtection: boolean;
    readonly alarm?: { readonly http5xxPercent: number; readonly evaluationMinutes: number };
    /** The test listener, when asked for. */
    readonly testListener?: ResolvedTestListener;
}

/** The test listener with its defaults decided. */
export interface ResolvedTestListener {
    readonly port: number;
    readonly sourceCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * Checks a test listener of a load balancer: its port differs from the listeners' and an internet-facing one names
 * the networks its clients come from. `prefix` names the arguments (`testListener.`, `deployment.tests.`).
 */
export function resolveTestListener(
    given: { readonly port?: number; readonly sourceCidrBlocks?: pulumi.Input<pulumi.Input<string>[]> },
    loadBalancer: { readonly internal: boolean; readonly ports: number[] },
    names: { readonly port: string; readonly sourceCidrBlocks: string },
): ResolvedTestListener {
    checkWholeNumber(names.port, given.port, 1, 65535);
    const port = given.port ?? 9000;
    if (loadBalancer.ports.includes(port))
        fail(
            names.port,
            port,
            `the load balancer's listeners use ${loadBalancer.ports.join(" and ")}; choose another port`,
        );
    const cidrs = given.sourceCidrBlocks;
    if (!loadBalancer.internal && (cidrs === undefined || (Array.isArray(cidrs) && cidrs.length === 0)))
        missing(
            names.sourceCidrBlocks,
            "the load balancer is internet-facing, so the smoke test (in the service's subnets) reaches its public address " +
                "through your NAT gateways and arrives from their public addresses, not from a security group. Give those " +
                'addresses, e.g. `["203.0.113.10/32"]`, or make the load balancer internal',
        );
    if (Array.isArray(cidrs))
        cidrs.forEach((cidr, i) => {
            if (typeof cidr === "string" && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr))
                fail(`${names.sourceCidrBlocks}[${i}]`, cidr, "it must be an IPv4 network such as `203.0.113.10/32`");
        });
    return { port, sourceCidrBlocks: cidrs };
}

export const defaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Validates EcsApplicationLoadBalancer arguments and fills in defaults; throws ArgumentError naming the first bad one. */
export function resolveApplicationLoadBalancerArgs(
    args: EcsApplicationLoadBalancerArgs,
): ResolvedApplicationLoadBalancer {
    if (!args)
        throw new ArgumentError(
            "args",
            "EcsApplicationLoadBalancer needs arguments: at least `vpcId`, `subnetIds` and `certificateArn`.",
        );
    const https = !args.httpOnly;
    if (https && args.certificateArn === undefined)
        missing(
            "certificateArn",
            "the HTTPS listener needs an ACM certificate (pass `httpOnly: true` for a load balancer without HTTPS)",
        );
    if (!https && args.certificateArn !== undefined)
        fail("httpOnly", true, "a certificate was given in `certificateArn`", "Leave out one of them.");
    if (Array.isArray(args.subnetIds) && args.subnetIds.length < 2)
        fail(
            "subnetIds",
            `${args.subnetIds.length} subnet(s)`,
            "an Application Load Balancer needs subnets in at least two Availability Zones",
        );
    checkWholeNumber("httpPort", args.httpPort, 1, 65535);
    checkWholeNumber("httpsPort", args.httpsPort, 1, 65535);
    const httpPort = args.httpPort ?? 80;
    const httpsPort = args.httpsPort ?? 443;
    if (https && httpPort === httpsPort) fail("httpsPort", httpsPort, "it must differ from `httpPort`");
    const sslPolicy = args.sslPolicy ?? defaultSslPolicy;
    if (!/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(sslPolicy))
        fail("sslPolicy", sslPolicy, "it must be an ELB security policy such as `ELBSecurityPolicy-TLS13-1-2-2021-06`");
    const alarms = args.alarms ?? {};
    checkNumber("alarms.http5xxPercent", alarms.http5xxPercent, 0.01, 100);
    checkWholeNumber("alarms.evaluationMinutes", alarms.evaluationMinutes, 1, 60);
    const internal = args.internal ?? false;
    const testListener =
        args.testListener === undefined
            ? undefined
            : resolveTestListener(
                  args.testListener,
                  { internal, ports: https ? [httpPort, httpsPort] : [httpPort] },
                  { port: "testListener.port", sourceCidrBlocks: "testListener.sourceCidrBlocks" },
              );
    return {
        internal,
        https,
        httpPort,
        httpsPort,
        sslPolicy,
        ingressCidrBlocks: args.ingressCidrBlocks ?? ["0.0.0.0/0"],
        deletionProtection: args.deletionProtection ?? false,
        alarm:
            alarms.enabled === false
                ? undefined
                : { http5xxPercent: alarms.http5xxPercent ?? 5, evaluationMinutes: alarms.evaluationMinutes ?? 3 },
        testListener,
    };
}
