// The manifest of an image made of a base and one more layer, in the base's family of media types (OCI or Docker).

/** A blob as a manifest names it. */
export interface Descriptor {
    readonly mediaType: string;
    readonly digest: string;
    readonly size: number;
    readonly urls?: readonly string[];
    readonly annotations?: Readonly<Record<string, string>>;
}

/** The media types of one family: registries may refuse a manifest that mixes them. */
export interface MediaTypeFamily {
    readonly manifest: string;
    readonly config: string;
    readonly gzipLayer: string;
    /** A layer that registries may not hold ("foreign", "non-distributable"), and its distributable form. */
    readonly foreignLayers: Readonly<Record<string, string>>;
}

export const ociFamily: MediaTypeFamily = {
    manifest: "application/vnd.oci.image.manifest.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    gzipLayer: "application/vnd.oci.image.layer.v1.tar+gzip",
    foreignLayers: {
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar": "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
    },
};

export const dockerFamily: MediaTypeFamily = {
    manifest: "application/vnd.docker.distribution.manifest.v2+json",
    config: "application/vnd.docker.container.image.v1+json",
    gzipLayer: "application/vnd.docker.image.rootfs.diff.tar.gzip",
    foreignLayers: {
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
    },
};

/** The family of an image manifest's media type; fails for anything that is not one image's manifest. */
export function familyOf(manifestMediaType: string): MediaTypeFamily {
    const family = [ociFamily, dockerFamily].find((f) => f.manifest === manifestMediaType);
    if (!family) throw new Error(`${JSON.stringify(manifestMediaType)} is not an OCI or Docker image manifest`);
    return family;
}

/** A base image's manifest, parsed. */
export interface BaseManifest {
    readonly mediaType: string;
    readonly config: Descriptor;
    readonly layers: readonly Descriptor[];
}

/** Reads an image manifest; its media type comes from the document, else from the registry's Content-Type. */
export function parseManifest(body: Buffer, contentType?: string): BaseManifest {
    const document = JSON.parse(body.toString("utf8")) as Partial<BaseManifest> & { schemaVersion?: number };
    const mediaType = document.mediaType ?? contentType ?? "";
    familyOf(mediaType);
    if (document.schemaVersion !== 2 || !document.config || !Array.isArray(document.layers))
        throw new Error("the manifest has no schemaVersion 2, config and layers");
    return { mediaType, config: document.config, layers: document.layers };
}

/**
 * The base's layers as the new manifest lists them: foreign (non-distributable) ones in their distributable form and
 * without URLs, since they are copied into the registry like the others (a registry or host that cannot reach
 * Microsoft's URLs could not pull them otherwise).
 */
export function distributableLayers(base: BaseManifest): Descriptor[] {
    const family = familyOf(base.mediaType);
    return base.layers.map((layer) => {
        const distributable = family.foreignLayers[layer.mediaType];
        if (!distributable) return layer;
        return { mediaType: distributable, digest: layer.digest, size: layer.size };
    });
}

/** The new image's manifest: the base's layers, then `layer` (gzip), with `config`, all in the base's family. */
export function imageManifest(
    base: BaseManifest,
    config: { digest: string; size: number },
    layer: { digest: string; size: number },
): { mediaType: string; body: Buffer } {
    const family = familyOf(base.mediaType);
    const document = {
        schemaVersion: 2,
        mediaType: family.manifest,
        config: { mediaType: family.config, digest: config.digest, size: config.size },
        layers: [...distributableLayers(base), { mediaType: family.gzipLayer, digest: layer.digest, size: layer.size }],
    };
    return { mediaType: family.manifest, body: Buffer.from(JSON.stringify(document)) };
}
