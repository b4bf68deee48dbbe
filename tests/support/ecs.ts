// What the ECS tests share: an image by digest, a service's required arguments, and the arguments that join a
// service to an EcsWindowsCluster and an EcsApplicationLoadBalancer (spelled out once here, and by hand in
// tests/ecs/composition.ts, which type-checks each wiring).
import * as pulumi from "@pulumi/pulumi";
import type {
    EcsApplicationLoadBalancer,
    EcsListenerArgs,
    EcsWindowsCluster,
    EcsWindowsServiceArgs,
} from "../../components";

export const imageRef = `123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${"a".repeat(64)}`;

/** A service's required arguments. */
export const serviceArgs: EcsWindowsServiceArgs = {
    imageRef,
    windowsVersion: "ltsc2022",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
};

/** A service on the cluster's shared Windows hosts. */
export const onHosts = (hosts: EcsWindowsCluster): Partial<EcsWindowsServiceArgs> => ({
    capacity: "ec2",
    clusterArn: hosts.clusterArn,
    capacityProviderName: hosts.capacityProviderName,
    hostWindowsVersion: hosts.windowsVersion,
});

/** A service with a rule on the load balancer's listener, for the given hosts or paths. */
export const onListener = (
    edge: EcsApplicationLoadBalancer,
    rule: Pick<EcsListenerArgs, "hostHeaders" | "pathPatterns" | "priority">,
): Partial<EcsWindowsServiceArgs> => ({
    listener: { listenerArn: edge.listenerArn, securityGroupId: edge.securityGroupId, ...rule },
});

/** Waits for outputs, then for every registration still in flight. */
export async function settled(...outputs: pulumi.Output<unknown>[]): Promise<void> {
    const { valueOf, settle } = await import("./mocks");
    await Promise.all(outputs.map((o) => valueOf(o)));
    await settle();
}
