// The dynamic provider behind ImageIndex: checks, diffs, writes, reads and deletes an image index through the registry API.
// Pulumi serializes this object into the stack's state, so it captures no values of the program, secrets least of all.
import { repositoryPattern } from "../core/arguments";
import {
    RegistryClient,
    RegistryCredentials,
    RegistryError,
    RetryEvent,
    describeAnswer,
    mediaTypes,
    windowsPlatformOf,
} from "./distribution";
import { ImageIndexEntry, buildImageIndex, entryProblems } from "./indexManifest";

/** What the provider receives: the resource's inputs, credentials unwrapped (dynamic providers take no secrets). */
export interface ImageIndexInputs {
    readonly registry: string;
    readonly repository: string;
    readonly tag: string;
    readonly entries: readonly ImageIndexEntry[];
    readonly username?: string;
    readonly password?: string;
}

/** What the state holds: the inputs (credentials as secrets), the index's digest and the reference pinned by it. */
export interface ImageIndexOutputs extends ImageIndexInputs {
    readonly digest: string;
    readonly ref: string;
}

/** How the engine hands a dynamic provider a value it does not know yet (during previews). */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is known all the way down: no unknown marker, Output or promise inside. */
export function isKnown(value: unknown): boolean {
    if (value === unknownValue) return false;
    if (Array.isArray(value)) return value.every(isKnown);
    if (value !== null && typeof value === "object") {
        if ("__pulumiOutput" in value || typeof (value as { then?: unknown }).then === "function") return false;
        return Object.values(value).every(isKnown);
    }
    return true;
}

/** Any manifest or index: a registry answers a digest with what it holds. */
const acceptAny = Object.values(mediaTypes).join(", ");
const serverPattern = /^(?:\[[0-9a-fA-F:]+\]|[a-zA-Z0-9.-]+)(?::\d{1,5})?$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The problems of the known inputs, as check failures; unknown ones are checked when they are known. */
export function imageIndexProblems(inputs: Partial<Record<keyof ImageIndexInputs, unknown>>) {
    const problems: { property: string; reason: string }[] = [];
    const check = (property: keyof ImageIndexInputs, ok: (v: unknown) => boolean, allowed: string) => {
        const value = inputs[property];
        if (isKnown(value) && !ok(value))
            problems.push({ property, reason: `\`${property}\` is ${JSON.stringify(value)}; ${allowed}.` });
    };
    check("registry", (v) => typeof v === "string" && serverPattern.test(v), "it must be a host[:port], no scheme");
    check("repository", (v) => typeof v === "string" && repositoryPattern.test(v), "it must be a repository path");
    check("tag", (v) => typeof v === "string" && tagPattern.test(v), "tags are 1 to 128 letters, digits, `_.-`");
    const [username, password] = [inputs.username, inputs.password];
    if (isKnown(username) && isKnown(password) && (username === undefined) !== (password === undefined))
        problems.push({ property: "password", reason: "`username` and `password` go together: give both or none." });
    if (isKnown(inputs.entries)) problems.push(...entryProblems(inputs.entries as ImageIndexEntry[]));
    return problems;
}

function clientFor(inputs: ImageIndexInputs): RegistryClient {
    const credentials: RegistryCredentials | undefined =
        inputs.username && inputs.password ? { username: inputs.username, password: inputs.password } : undefined;
    // Each retry is a line in the engine's output: a flaky registry shows as such, not as a slow update.
    const onRetry = (event: RetryEvent) =>
        logLine(
            `${event.reason}; attempt ${event.attempt + 1} of ${event.attempts} in ` +
                `${(event.delayMs / 1000).toFixed(1)} s.`,
        );
    return new RegistryClient(inputs.registry, credentials, { onRetry });
}

/** Fails, naming it, unless the entry is an image manifest of the index's repository with the stated platform. */
async function verifyEntry(client: RegistryClient, inputs: ImageIndexInputs, entry: ImageIndexEntry, i: number) {
    const where = `${inputs.registry}/${inputs.repository}`;
    const name = `\`entries[${i}]\` (${entry.digest}, os.version ${entry.osVersion})`;
    const path = `manifests/${entry.digest}`;
    const head = await client.request(inputs.repository, path, { method: "HEAD", headers: { Accept: acceptAny } });
    if (head.status === 404)
        throw new Error(
            `${name} is not in ${where}: an index lists manifests of its own repository; push it there first.`,
        );
    if (!head.ok) throw new Error(`${name}: ${where} answered ${describeAnswer(head.status, head.headers, "")}.`);
    const location = { registry: inputs.registry, repository: inputs.repository, digest: entry.digest };
    const platform = await windowsPlatformOf(client, location).catch((e: Error) => {
        throw new Error(`${name}: ${e.message}`);
    });
    const found = [platform.manifestDigest, platform.manifestMediaType, platform.manifestSize, platform.osVersion];
    const stated = [entry.digest, entry.mediaType, entry.size, entry.osVersion];
    if (found.some((value, k) => value !== stated[k])) {
        throw new Error(
            `${name} does not describe the manifest ${where} holds: it has digest, media type, size and ` +
                `os.version ${found.join(", ")}.`,
        );
    }
}

/** Writes the index under its tag after checking every entry; the registry's digest must be ours. */
async function writeIndex(inputs: ImageIndexInputs): Promise<ImageIndexOutputs> {
    const index = buildImageIndex(inputs.entries);
    const client = clientFor(inputs);
    await Promise.all(inputs.entries.map((entry, i) => verifyEntry(client, inputs, entry, i)));
    const digest = await client.putManifest(inputs.repository, inputs.tag, index.body, index.mediaType);
    if (digest !== index.digest)
        throw new Error(`${inputs.registry} stored the index as ${digest}, not ${index.digest}: it rewrote it.`);
    return { ...inputs, digest, ref: `${inputs.registry}/${inputs.repository}@${digest}` };
}

/** Whether the index the inputs describe differs from the one written (its digest); unknown entries may. */
function entriesChanged(news: ImageIndexInputs, olds: ImageIndexOutputs): boolean {
    // Entries a preview does not know yet fail to build, and count as changed.
    try {
        return buildImageIndex(news.entries).digest !== olds.digest;
    } catch {
        return true;
    }
}

/** Logs a line in the engine's output (a dynamic provider's stderr is shown as diagnostics). */
const logLine = (message: string) => console.warn(message);

/**
 * Deletes the index manifest by digest, with a token for `delete`. A registry that refuses deletes (405), or refuses
 * the stored credentials or their rights (401, 403), is logged with its own answer and the command that cleans up,
 * and the delete is done: the manifest is only an index of images that stay anyway.
 */
async function deleteIndex(id: string, props: ImageIndexOutputs): Promise<void> {
    try {
        await clientFor(props).deleteManifest(props.repository, props.digest);
    } catch (e) {
        const failure = e as Partial<RegistryError>;
        const cleanUp = `${props.ref} stays there: delete it with \`crane delete ${props.ref}\`.`;
        if (failure.realm && (failure.status === 401 || failure.status === 403))
            logLine(
                `ImageIndex ${id}: the token endpoint ${failure.realm} refused the stored credentials a token to ` +
                    `delete (${failure.answer}); ${cleanUp}`,
            );
        else if (failure.status === 405)
            logLine(`ImageIndex ${id}: ${props.registry} does not delete manifests (${failure.answer}); ${cleanUp}`);
        else if (failure.status === 401 || failure.status === 403)
            logLine(`ImageIndex ${id}: ${props.registry} refused to delete it (${failure.answer}); ${cleanUp}`);
        else throw new Error(`ImageIndex ${id}: deleting ${props.ref} failed: ${(e as Error).message}`);
    }
}

/** Refresh: gone from the registry (404) means gone from the state; any other failure leaves the state as it is. */
async function readIndex(id: string, props: ImageIndexOutputs) {
    try {
        const head = await clientFor(props).request(props.repository, `manifests/${props.digest}`, {
            method: "HEAD",
            headers: { Accept: acceptAny },
        });
        if (head.status === 404) return {};
        if (!head.ok) {
            const answer = describeAnswer(head.status, head.headers, await head.text());
            logLine(`ImageIndex ${id}: could not read ${props.ref} (${answer}); state left unchanged.`);
        }
    } catch (e) {
        logLine(`ImageIndex ${id}: could not read ${props.ref} (${String(e)}); state left unchanged.`);
    }
    return { id, props };
}

/**
 * The provider: registry or repository changes replace the index, entry or tag changes rewrite it, credential
 * changes alone do nothing (ECR hands out a new password every run).
 */
export const imageIndexProvider = {
    async check(_olds: ImageIndexInputs, news: ImageIndexInputs) {
        return { inputs: news, failures: imageIndexProblems(news) };
    },
    async diff(_id: string, olds: ImageIndexOutputs, news: ImageIndexInputs) {
        const replaces = (["registry", "repository"] as const).filter((key) => news[key] !== olds[key]);
        const changes = replaces.length > 0 || news.tag !== olds.tag || entriesChanged(news, olds);
        return { changes, replaces, deleteBeforeReplace: false };
    },
    async create(inputs: ImageIndexInputs) {
        const outs = await writeIndex(inputs);
        return { id: `${inputs.registry}/${inputs.repository}:${inputs.tag}`, outs };
    },
    async update(_id: string, _olds: ImageIndexOutputs, news: ImageIndexInputs) {
        return { outs: await writeIndex(news) };
    },
    read: readIndex,
    delete: deleteIndex,
};
