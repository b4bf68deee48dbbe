// Content hash of exactly what decides an image: the module's files, the Dockerfile text, build arguments and image references.
import dockerignore from "@balena/dockerignore";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { contentTag } from "../core";
import { defaultIgnorePatterns } from "./dockerfile";

/** What the hash covers besides the files of the build context. */
export interface ImageInputs {
    readonly dockerfile: string;
    readonly buildArgs: Readonly<Record<string, string>>;
    readonly builderImageRef: string;
    readonly baseImageRef: string;
    readonly platform: string;
}

/** Reads the patterns of `<contextDir>/.dockerignore`, if the file exists. */
export function readDockerignore(contextDir: string): string[] {
    const file = path.join(contextDir, ".dockerignore");
    if (!fs.existsSync(file)) return [];
    return fs
        .readFileSync(file, "utf8")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"));
}

/**
 * The files of the build context that reach the builder, as sorted POSIX paths relative to the context.
 * Patterns follow Docker's .dockerignore rules (including `!` exceptions), matched by the same library
 * that the Docker CLI's JavaScript ports use.
 */
export function contextFiles(contextDir: string, extraIgnore: readonly string[] = []): string[] {
    const patterns = [...defaultIgnorePatterns, ...readDockerignore(contextDir), ...extraIgnore];
    const ignore = dockerignore({ ignorecase: false }).add(patterns);
    // As in Docker's own walker: an ignored folder is skipped whole unless a `!` exception could re-include
    // something inside it.
    const hasExceptions = patterns.some((p) => p.startsWith("!"));
    const files: string[] = [];
    const walk = (relDir: string): void => {
        const entries = fs.readdirSync(path.join(contextDir, relDir), { withFileTypes: true });
        for (const entry of entries) {
            const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
            if (entry.isDirectory()) {
                if (!hasExceptions && ignore.ignores(rel)) continue;
                walk(rel);
            } else if (!ignore.ignores(rel)) {
                files.push(rel);
            }
        }
    };
    walk("");
    // Sort by code unit so the order is the same on every machine and locale.
    return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Hashes files of a folder (paths relative to it) and the image inputs. Only paths and contents count: modification
 * times, file modes, owners, the umask and the checkout location do not, so the same sources give the same hash on
 * every machine. A symbolic link counts as the content it points to, which is what a build reads through it.
 */
export function hashFiles(rootDir: string, files: readonly string[], inputs: ImageInputs): string {
    return hashContents(new Map(files.map((rel) => [rel, fs.readFileSync(path.join(rootDir, rel))])), inputs);
}

/** Hashes files given with their contents (relative path → content) and the image inputs, as `hashFiles` does. */
export function hashContents(contents: ReadonlyMap<string, Buffer>, inputs: ImageInputs): string {
    const hash = crypto.createHash("sha256");
    const field = (name: string, value: string): void => {
        hash.update(`${name}\u0000${Buffer.byteLength(value)}\u0000${value}\u0000`);
    };
    field("format", "go-windows-containers/context-hash/v2");
    field("dockerfile", inputs.dockerfile);
    field("builder", inputs.builderImageRef);
    field("base", inputs.baseImageRef);
    field("platform", inputs.platform);
    for (const key of Object.keys(inputs.buildArgs).sort()) field(`arg:${key}`, inputs.buildArgs[key]);
    for (const rel of [...contents.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const content = contents.get(rel)!;
        hash.update(`file:${rel}\u0000${content.length}\u0000`);
        hash.update(content);
    }
    return hash.digest("hex");
}

/** Hashes the files of a context that its .dockerignore lets through, and the image inputs (see `hashFiles`). */
export function hashContext(contextDir: string, inputs: ImageInputs, extraIgnore: readonly string[] = []): string {
    return hashFiles(contextDir, contextFiles(contextDir, extraIgnore), inputs);
}

/**
 * The hash an image index's tag is made from: each release's content tag, so that the same images give the same
 * index tag, and a release added, removed or rebuilt from other inputs gives another.
 */
export function hashReleaseTags(tags: Readonly<Record<string, string>>): string {
    const hash = crypto.createHash("sha256");
    hash.update("go-windows-containers/index-tag/v1\u0000");
    for (const release of Object.keys(tags).sort()) hash.update(`${release}\u0000${tags[release]}\u0000`);
    return hash.digest("hex");
}

/** The image tag for a context hash. */
export const tagForHash = contentTag;
