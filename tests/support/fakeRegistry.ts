// A stand-in for the public registries (Microsoft's, Docker Hub, mirrors) that the mocks answer base image lookups
// from: the registry image data source's digests, and the registry API's manifests with each base's os.version.
import * as crypto from "crypto";
import { parseImageReference } from "../../components/registries/distribution";

/** What a registry holds under a reference: the digest its tag points to, and the image's Windows build. */
export interface RegistryImage {
    readonly digest: string;
    readonly osVersion?: string;
    readonly osFeatures?: string[];
}

/** Images a test put there (a "patched" base under the same tag), by reference without digest. */
export const registryImages = new Map<string, RegistryImage>();

/** The revision the stand-in gives every release's base unless a test says otherwise. */
const builds: [RegExp, string][] = [
    [/(ltsc2019|1809)/, "10.0.17763.6893"],
    [/ltsc2022/, "10.0.20348.2849"],
    [/ltsc2025/, "10.0.26100.2605"],
];

/** Digests handed out so far → the reference they were looked up by, so that a pull by digest finds the image. */
const issued = new Map<string, string>();

/** The image behind a reference: one a test put there, else a stable one derived from the reference. */
export function registryImage(ref: string): RegistryImage {
    const name = ref.split("@")[0];
    const osVersion = builds.find(([pattern]) => pattern.test(name))?.[1];
    const image = registryImages.get(name) ?? {
        digest: `sha256:${crypto.createHash("sha256").update(name).digest("hex")}`,
        osVersion,
    };
    issued.set(image.digest, name);
    return image;
}

/** Forgets what tests put there. */
export function resetRegistry(): void {
    registryImages.clear();
    issued.clear();
}

/** The answer of `docker:index/getRegistryImage:getRegistryImage`. */
export function registryImageLookup(name: string): Record<string, unknown> {
    return { id: name, name, sha256Digest: registryImage(name).digest, insecureSkipVerify: false };
}

/**
 * Answers `GET /v2/<repository>/manifests/<tag or digest>` for a non-local registry with an index listing one
 * windows/amd64 image that carries the base's os.version; undefined for other requests.
 */
export function registryResponse(url: string): Response | undefined {
    const match = /^https:\/\/([^/]+)\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url);
    if (!match) return undefined;
    const [, registry, repository, reference] = match;
    const name = reference.startsWith("sha256:") ? issued.get(reference) : `${registry}/${repository}:${reference}`;
    if (!name) return new Response("{}", { status: 404 });
    const ref = parseImageReference(name);
    if (ref.registry !== registry || ref.repository !== repository) return new Response("{}", { status: 404 });
    const image = registryImage(name);
    const index = {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
            {
                mediaType: "application/vnd.oci.image.manifest.v1+json",
                digest: `sha256:${crypto.createHash("sha256").update(`${image.digest}/windows`).digest("hex")}`,
                size: 1000,
                platform: {
                    os: "windows",
                    architecture: "amd64",
                    ...(image.osVersion ? { "os.version": image.osVersion } : {}),
                    ...(image.osFeatures ? { "os.features": image.osFeatures } : {}),
                },
            },
        ],
    };
    return new Response(JSON.stringify(index), {
        status: 200,
        headers: { "Content-Type": index.mediaType, "Docker-Content-Digest": image.digest },
    });
}
