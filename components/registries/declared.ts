// What an image needs from its registry, whichever kind it is: where to push, with which credentials, after what.
import * as pulumi from "@pulumi/pulumi";
import { applyReported } from "../core";

/** Credentials for one push; the password is always a secret. */
export interface PushCredentials {
    readonly address: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    readonly password: pulumi.Output<string>;
}

/** What the image needs from its registry. */
export interface DeclaredRegistry {
    /** `host/repository`, without tag or digest. */
    readonly repositoryUrl: pulumi.Output<string>;
    /** The registry host, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com`. */
    readonly server: pulumi.Output<string>;
    readonly credentials?: PushCredentials;
    /** Resources the push must wait for (repository, policies). */
    readonly dependencies: pulumi.Resource[];
    /** The ACR resource id, for ACR only. */
    readonly acrRegistryId?: pulumi.Output<string>;
    /** What destroying the stack leaves of the registry, and how to remove it; undefined when nothing is kept. */
    readonly retainedOnDestroy?: pulumi.Output<string>;
}

/** The host part of `host/repository`. */
export function hostOf(repositoryUrl: string): string {
    return repositoryUrl.split("/")[0];
}

/** The repository's path in its registry (`team/app` of `host/team/app`), once the URL is known. */
export function repositoryPathOf(repositoryUrl: pulumi.Input<string>): pulumi.Output<string> {
    return applyReported(repositoryUrl, (url) => url.slice(url.indexOf("/") + 1));
}

/** `host/repository` once the registry's host is known (undefined under mocks that leave the host out). */
export function repositoryIn(server: pulumi.Input<string>, repositoryName: string): pulumi.Output<string> {
    return applyReported(server, (host) => `${host}/${repositoryName}`);
}
