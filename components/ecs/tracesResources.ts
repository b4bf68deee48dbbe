// The traces' resources: the collector image pinned by digest (looked up as the image component pins its bases) and
// the task role's permission to write spans. The collector's container joins the task definition (taskDefinition.ts).
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { childName } from "../core";
import { ImageLogins, pinImageRef } from "../image/baseImages";
import { awsNameRules } from "./names";
import { TaskRoles } from "./roles";
import { ResolvedTraces, traceWritePolicy } from "./traces";

export interface DeclaredTraces {
    /** The collector image by digest: the tag's digest on this run, or the reference as given with a digest. */
    readonly collectorImage: pulumi.Output<string>;
    /** The task role's permission to write spans; the service waits for it. */
    readonly policy: iam.RolePolicy;
}

/** Image lookups with no credentials. */
const anonymous: ImageLogins = { given: [], mayBePush: () => false, anonymousOnly: true };

/**
 * Pins the collector image and lets the task role write spans. A tag is looked up on every run (previews too), so a
 * collector republished under its tag rolls out as a new task revision, as a patched base image does.
 */
export function declareTraces(
    name: string,
    traces: ResolvedTraces,
    roles: TaskRoles,
    parent: pulumi.Resource,
): DeclaredTraces {
    // The collector's registry (Docker Hub, or a mirror given by digest) is read anonymously: no credentials of the
    // service's go to it.
    const collectorImage = pinImageRef(traces.collectorImageRef, "traces.collectorImageRef", true, anonymous);
    const policy = new iam.RolePolicy(
        childName(name, "-traces", awsNameRules.medium),
        { role: roles.taskRole.id, policy: traceWritePolicy() },
        { parent },
    );
    return { collectorImage, policy };
}
