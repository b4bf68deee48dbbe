// ImageIndex: one reference for Windows images of several releases, an OCI image index written with the registry API.
import * as pulumi from "@pulumi/pulumi";
import { fromReported } from "../core";
import { imageIndexProblems, imageIndexProvider, isKnown } from "./imageIndexProvider";

export { buildImageIndex, entryProblems } from "./indexManifest";
export type { BuiltImageIndex, ImageIndexEntry } from "./indexManifest";
export { imageIndexProvider } from "./imageIndexProvider";
export type { ImageIndexInputs, ImageIndexOutputs } from "./imageIndexProvider";

/** One image of the index, as GoWindowsImage and the registry describe it. */
export interface ImageIndexEntryArgs {
    /** The image manifest's digest, `sha256:…`; the manifest must be in the index's repository. */
    readonly digest: pulumi.Input<string>;
    /** The image manifest's media type, e.g. `application/vnd.oci.image.manifest.v1+json`. */
    readonly mediaType: pulumi.Input<string>;
    /** The image manifest's size in bytes. */
    readonly size: pulumi.Input<number>;
    /** The full Windows build of the image's base, e.g. `10.0.20348.2849`: required, it is what hosts match. */
    readonly osVersion: pulumi.Input<string>;
    /**
     * The base's `os.features`, e.g. `["win32k"]` for Server Core.
     * @default none
     */
    readonly osFeatures?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Always `windows`.
     * @default "windows"
     */
    readonly os?: pulumi.Input<string>;
    /**
     * Always `amd64`.
     * @default "amd64"
     */
    readonly architecture?: pulumi.Input<string>;
}

/** Arguments of ImageIndex. */
export interface ImageIndexArgs {
    /** The registry host, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com` or `localhost:5000`. */
    readonly registry: pulumi.Input<string>;
    /** The repository that holds every entry's manifest, e.g. `samples/api`. */
    readonly repository: pulumi.Input<string>;
    /** The tag the index is written under. */
    readonly tag: pulumi.Input<string>;
    /** The images, one per Windows build; each needs its `osVersion`. */
    readonly entries: pulumi.Input<pulumi.Input<ImageIndexEntryArgs>[]>;
    /**
     * The registry user; kept as a secret.
     * @default anonymous
     */
    readonly username?: pulumi.Input<string>;
    /**
     * The registry password or token; kept as a secret. Changing it alone changes nothing.
     * @default anonymous
     */
    readonly password?: pulumi.Input<string>;
}

/** An entry with its defaults; one that Pulumi's mocks left out (a release image they built nothing for) stays out. */
const withDefaults = (entry: ImageIndexEntryArgs) =>
    fromReported(entry, (given) => ({
        ...given,
        os: given.os ?? "windows",
        architecture: given.architecture ?? "amd64",
    }));

/**
 * An OCI image index (`application/vnd.oci.image.index.v1+json`) written to `<registry>/<repository>:<tag>`: one
 * entry per Windows build, each with `os.version` (and `os.features`), so that every host pulls the image of its
 * release. `ref` pins the index by digest. Written only during updates (a preview shows `digest` and `ref` as
 * unknown); kept in the registry when deleted unless `retainOnDelete: false`, since running hosts pull it by digest.
 */
export class ImageIndex extends pulumi.dynamic.Resource {
    /** The index's digest, `sha256:…`. */
    declare public readonly digest: pulumi.Output<string>;
    /** `<registry>/<repository>@<digest>`: what hosts run. */
    declare public readonly ref: pulumi.Output<string>;
    /** The tag the index was written under. */
    declare public readonly tag: pulumi.Output<string>;

    constructor(name: string, args: ImageIndexArgs, opts?: pulumi.CustomResourceOptions) {
        // Plain arguments are checked now, before anything is registered; the rest by the provider's check.
        const plainEntries = isKnown(args.entries)
            ? (args.entries as ImageIndexEntryArgs[]).map(withDefaults)
            : undefined;
        const problems = imageIndexProblems({ ...args, entries: plainEntries ?? args.entries });
        if (problems.length > 0)
            throw new pulumi.ResourceError(`ImageIndex "${name}": ${problems[0].reason}`, opts?.parent);
        const entries = pulumi.output(args.entries).apply((list) => list.map(withDefaults));
        const props = {
            registry: args.registry,
            repository: args.repository,
            tag: args.tag,
            entries,
            username: args.username === undefined ? undefined : pulumi.secret(args.username),
            password: args.password === undefined ? undefined : pulumi.secret(args.password),
            digest: undefined,
            ref: undefined,
        };
        const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "username", "password"];
        super(
            imageIndexProvider,
            name,
            props,
            { retainOnDelete: true, ...opts, additionalSecretOutputs: secretOutputs },
            "go-windows-containers",
            "ImageIndex",
        );
    }
}
