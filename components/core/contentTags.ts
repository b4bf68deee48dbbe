// The content-addressed image tags: a fixed prefix, then a hash of exactly what decides the image.

/** Every content-addressed tag starts with this; registries exempt such tags (and only such tags) from immutability. */
export const contentTagPrefix = "ctx-";

/** The tag for a content hash: short enough to read, long enough never to collide in one repository. */
export function contentTag(contentHash: string): string {
    return `${contentTagPrefix}${contentHash.slice(0, 24)}`;
}

/** The tag of the BuildKit cache an image's build exports to its repository (`registryCache`): rewritten every build. */
export const cacheTag = "buildcache";

/** The tags an image repository must let be overwritten: the content-addressed ones and the build cache. */
export const rewritableTagFilters: readonly string[] = [`${contentTagPrefix}*`, cacheTag];
