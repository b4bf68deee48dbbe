// The OCI image index for Windows images of several releases, as bytes: checked entries, a deterministic order.
import { ArgumentError, fail } from "../core/arguments";
import { windowsBuildOf } from "../core/windowsSelection";
import { compareVersions, digestOf, mediaTypes } from "./distribution";

/** One image of the index: its manifest (in the index's repository) and the platform a host matches it on. */
export interface ImageIndexEntry {
    /** The image manifest's digest, `sha256:…`. */
    readonly digest: string;
    /** The image manifest's media type (OCI or Docker v2). */
    readonly mediaType: string;
    /** The image manifest's size in bytes. */
    readonly size: number;
    /** Always `windows`. */
    readonly os: string;
    /** Always `amd64`: the architecture of every Windows Server container host. */
    readonly architecture: string;
    /** The full Windows build of the image's base, e.g. `10.0.20348.2849` (its configuration's `os.version`). */
    readonly osVersion: string;
    /** The base's `os.features`, e.g. `["win32k"]` for Server Core. */
    readonly osFeatures?: string[];
}

/** An index ready to be written: its bytes, their digest, and the entries in the order it lists them. */
export interface BuiltImageIndex {
    readonly body: Buffer;
    readonly digest: string;
    readonly mediaType: string;
    readonly entries: readonly ImageIndexEntry[];
}

const manifestTypes: readonly string[] = [mediaTypes.ociManifest, mediaTypes.dockerManifest];
const digestPattern = /^sha256:[0-9a-f]{64}$/;
const osVersionPattern = /^\d+\.\d+\.\d+(?:\.\d+)?$/;

/** Fails naming `entries[i].<field>` unless the entry is one image manifest of a Windows build. */
function checkEntry(entry: ImageIndexEntry, i: number): void {
    const at = (field: string) => `entries[${i}].${field}`;
    if (typeof entry !== "object" || entry === null) fail(`entries[${i}]`, entry, "it must be an object");
    if (typeof entry.digest !== "string" || !digestPattern.test(entry.digest))
        fail(at("digest"), entry.digest, "it must be a manifest digest, `sha256:` and 64 hex digits");
    if (!manifestTypes.includes(entry.mediaType))
        fail(at("mediaType"), entry.mediaType, `allowed values: ${manifestTypes.join(", ")} (an image manifest)`);
    if (!Number.isInteger(entry.size) || entry.size < 1)
        fail(at("size"), entry.size, "it must be the manifest's size in bytes, a whole number above 0");
    if (entry.os !== "windows") fail(at("os"), entry.os, "allowed values: windows");
    if (entry.architecture !== "amd64") fail(at("architecture"), entry.architecture, "allowed values: amd64");
    if (entry.osVersion === undefined || entry.osVersion === "") {
        fail(
            at("osVersion"),
            entry.osVersion,
            "every entry needs its image's full Windows build, e.g. 10.0.20348.2849: a host matches an entry " +
                "without `os.version` whatever its own release, so a Server 2019 host would pull an image it cannot run",
        );
    }
    if (typeof entry.osVersion !== "string" || !osVersionPattern.test(entry.osVersion))
        fail(at("osVersion"), entry.osVersion, "it must be a Windows build such as 10.0.20348.2849");
    const features: unknown = entry.osFeatures;
    if (features !== undefined && !(Array.isArray(features) && features.every((f) => typeof f === "string" && f)))
        fail(at("osFeatures"), features, 'it must be a list of feature names, e.g. ["win32k"]');
}

/** Fails on two entries of one Windows build: a host picks between them by comparing `os.version` as text. */
function checkDistinctBuilds(entries: readonly ImageIndexEntry[]): void {
    const seen = new Map<string, number>();
    entries.forEach((entry, i) => {
        const build = windowsBuildOf(entry.osVersion);
        const key = `${build?.major}.${build?.minor}.${build?.build}`;
        const first = seen.get(key);
        if (first !== undefined) {
            const same = entries[first].osVersion === entry.osVersion ? "the same os.version" : `build ${key} too`;
            fail(
                `entries[${i}].osVersion`,
                entry.osVersion,
                `\`entries[${first}]\` has ${same}; an index holds one image per Windows build ` +
                    "(a host would choose between them by comparing os.version as text)",
            );
        }
        seen.set(key, i);
    });
}

/** The entry as the index lists it; `os.features` sorted, since containerd compares them as sorted lists. */
function descriptor(entry: ImageIndexEntry) {
    const features = entry.osFeatures?.length ? { "os.features": [...entry.osFeatures].sort() } : {};
    return {
        mediaType: entry.mediaType,
        digest: entry.digest,
        size: entry.size,
        platform: { architecture: entry.architecture, os: entry.os, "os.version": entry.osVersion, ...features },
    };
}

/**
 * Builds the OCI image index of Windows images of several releases. Every entry must carry its `os.version` (one
 * without would match every host) and a build of its own. Entries are listed newest build first: Docker Engine on a
 * host with no entry of its own build takes the first it runs, and the same entries always give the same bytes.
 * Throws an ArgumentError naming the entry (`entries[1].osVersion`).
 */
export function buildImageIndex(entries: readonly ImageIndexEntry[]): BuiltImageIndex {
    if (!Array.isArray(entries) || entries.length === 0)
        fail("entries", entries, "an index lists at least one image manifest");
    entries.forEach(checkEntry);
    checkDistinctBuilds(entries);
    // Builds are distinct, so the order is total.
    const ordered = [...entries].sort((a, b) => compareVersions(b.osVersion, a.osVersion));
    const index = { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: ordered.map(descriptor) };
    const body = Buffer.from(JSON.stringify(index));
    return { body, digest: digestOf(body), mediaType: mediaTypes.ociIndex, entries: ordered };
}

/** The problems of an index's entries as Pulumi check failures (property and reason); none when it builds. */
export function entryProblems(entries: readonly ImageIndexEntry[]): { property: string; reason: string }[] {
    try {
        buildImageIndex(entries);
        return [];
    } catch (e) {
        if (e instanceof ArgumentError) return [{ property: e.argument, reason: e.message }];
        throw e;
    }
}
