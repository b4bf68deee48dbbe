// DaemonlessWindowsImage: the `daemonless` strategy's resource, a dynamic one that compiles Go on this machine and
// writes an image per Windows release with the registry API.
import * as pulumi from "@pulumi/pulumi";
import type { PushedImage, RuntimeSettings } from "../assembly";
import { DaemonlessImageSpec, daemonlessImageProblems, daemonlessImageProvider } from "./daemonlessProvider";

/** Arguments of DaemonlessWindowsImage (see DaemonlessImageInputs for each). */
export interface DaemonlessWindowsImageArgs {
    readonly registry: pulumi.Input<string>;
    readonly repository: pulumi.Input<string>;
    readonly source: pulumi.Input<{
        readonly context: string;
        readonly module: string;
        readonly package: string;
        readonly contentHash: string;
    }>;
    readonly binaryName: string;
    readonly goVersion: string;
    readonly goFlags: readonly string[];
    readonly goEnv: readonly (readonly [string, string])[];
    readonly runtime: RuntimeSettings;
    readonly images: pulumi.Input<pulumi.Input<DaemonlessImageSpec>[]>;
    /** The registry user; kept as a secret. */
    readonly username?: pulumi.Input<string>;
    /** The registry password or token; kept as a secret. Changing it alone changes nothing. */
    readonly password?: pulumi.Input<string>;
    /** Credentials for base images' registries other than the push registry, by host; kept as a secret. */
    readonly baseLogins?: pulumi.Input<Record<string, { username: string; password: string }>>;
}

/**
 * Go compiled with this machine's Go, and one Windows image per release written with the registry API: the base's
 * layers and one layer with the executable, pushed under each release's content tag. Written only during updates (a
 * preview shows `pushed` as unknown); the images stay in the registry when it is deleted or replaced.
 */
export class DaemonlessWindowsImage extends pulumi.dynamic.Resource {
    /** Each release's pushed image: tag, digest, media type, size, os.version and os.features. */
    declare public readonly pushed: pulumi.Output<{ [windowsVersion: string]: PushedImage }>;
    /** SHA-256 of the executable. */
    declare public readonly binaryDigest: pulumi.Output<string>;
    /** The digest of the layer that holds it (the same for every release). */
    declare public readonly layerDigest: pulumi.Output<string>;

    constructor(name: string, args: DaemonlessWindowsImageArgs, opts?: pulumi.CustomResourceOptions) {
        const problems = daemonlessImageProblems({ registry: args.registry, repository: args.repository });
        if (problems.length > 0)
            throw new pulumi.ResourceError(`DaemonlessWindowsImage "${name}": ${problems[0].reason}`, opts?.parent);
        const props = {
            ...args,
            username: args.username === undefined ? undefined : pulumi.secret(args.username),
            password: args.password === undefined ? undefined : pulumi.secret(args.password),
            baseLogins: args.baseLogins === undefined ? undefined : pulumi.secret(args.baseLogins),
            pushed: undefined,
            binaryDigest: undefined,
            layerDigest: undefined,
        };
        const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "username", "password", "baseLogins"];
        super(
            daemonlessImageProvider,
            name,
            props,
            { retainOnDelete: true, ...opts, additionalSecretOutputs: secretOutputs },
            "go-windows-containers",
            "DaemonlessWindowsImage",
        );
    }
}
