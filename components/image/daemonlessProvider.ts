// The dynamic provider behind DaemonlessWindowsImage: compiles the Go module with this machine's Go and writes one
// Windows image per release with the registry API. Pulumi serializes this object into the stack's state, so it
// captures no values of the program, secrets least of all.
import * as path from "path";
import { checkDeflater, deterministicGzip, pushWindowsImage, sha256Digest, windowsLayerTar } from "../assembly";
import type { PushedImage, RuntimeSettings } from "../assembly";
import { repositoryPattern } from "../core/arguments";
import { RegistryClient, RegistryCredentials, parseImageReference } from "../registries/distribution";
import { isKnown } from "../registries/imageIndexProvider";
import { compileWithLocalGo, localGoVersion } from "./localGo";
import { hashStagedContents, readStagedContext } from "./stagedContext";

/** One image to write: a release, its content tag and its base (pinned by digest unless tracking is off). */
export interface DaemonlessImageSpec {
    readonly windowsVersion: string;
    readonly tag: string;
    readonly base: string;
}

/** What the provider receives: the resource's inputs, credentials unwrapped (dynamic providers take no secrets). */
export interface DaemonlessImageInputs {
    /** The registry host, e.g. `localhost:5000`. */
    readonly registry: string;
    readonly repository: string;
    /** The staged Go sources (relative to the project), the module and package in them, and their hash. */
    readonly source: {
        readonly context: string;
        readonly module: string;
        readonly package: string;
        readonly contentHash: string;
    };
    readonly binaryName: string;
    /** This machine's Go release when the program ran, e.g. `go1.23.5`: the compile must use the same. */
    readonly goVersion: string;
    /** The flags of `go build` (the same for every strategy). */
    readonly goFlags: readonly string[];
    /** The build's environment: the target, GOTOOLCHAIN, the user's `goEnv`. */
    readonly goEnv: readonly (readonly [string, string])[];
    /** What the image sets on top of its base, as the Dockerfile's runtime stage does. */
    readonly runtime: RuntimeSettings;
    readonly images: readonly DaemonlessImageSpec[];
    readonly username?: string;
    readonly password?: string;
    /** Credentials for base images' registries other than the push registry, by host. */
    readonly baseLogins?: Readonly<Record<string, RegistryCredentials>>;
}

/** What the state holds besides the inputs: each release's pushed image, the executable's and the layer's digests. */
export interface DaemonlessImageOutputs extends DaemonlessImageInputs {
    readonly pushed: { readonly [windowsVersion: string]: PushedImage };
    readonly binaryDigest: string;
    readonly layerDigest: string;
}

/** A value known all the way down (no preview's unknown marker, Output or promise), and given. */
const known = (value: unknown) => value !== undefined && isKnown(value);
const serverPattern = /^(?:\[[0-9a-fA-F:]+\]|[a-zA-Z0-9.-]+)(?::\d{1,5})?$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The problems of the known inputs, as check failures; unknown ones are checked when they are known. */
export function daemonlessImageProblems(inputs: Partial<Record<keyof DaemonlessImageInputs, unknown>>) {
    const problems: { property: string; reason: string }[] = [];
    const check = (property: string, value: unknown, ok: boolean, allowed: string) => {
        if (known(value) && !ok)
            problems.push({ property, reason: `\`${property}\` is ${JSON.stringify(value)}; ${allowed}.` });
    };
    const { registry, repository, images, username, password } = inputs;
    check("registry", registry, typeof registry === "string" && serverPattern.test(registry), "a host[:port]");
    check(
        "repository",
        repository,
        typeof repository === "string" && repositoryPattern.test(repository),
        "a repository path",
    );
    if (known(images)) {
        const list = Array.isArray(images) ? (images as DaemonlessImageSpec[]) : [];
        check("images", images, list.length > 0, "at least one image");
        list.forEach((image, i) => {
            check(`images[${i}].tag`, image.tag, typeof image.tag === "string" && tagPattern.test(image.tag), "a tag");
            const base = typeof image.base === "string" ? parseImageReference(image.base) : undefined;
            check(`images[${i}].base`, image.base, base !== undefined && base.repository !== "", "an image reference");
        });
        const releases = list.map((image) => image.windowsVersion);
        check("images", releases, new Set(releases).size === releases.length, "each release once");
    }
    if (isKnown(username) && isKnown(password) && (username === undefined) !== (password === undefined))
        problems.push({ property: "password", reason: "`username` and `password` go together: give both or none." });
    return problems;
}

/** The push credentials, if any. */
function credentialsOf(inputs: DaemonlessImageInputs): RegistryCredentials | undefined {
    return inputs.username && inputs.password ? { username: inputs.username, password: inputs.password } : undefined;
}

/**
 * The executable, compiled from the staged sources with this machine's Go: the same release the program saw, and the
 * very files it hashed.
 */
async function compile(inputs: DaemonlessImageInputs): Promise<Buffer> {
    const go = localGoVersion();
    if (go !== inputs.goVersion)
        throw new Error(
            `This machine's Go is ${go} now, and the program ran with ${inputs.goVersion}: run \`pulumi up\` again.`,
        );
    const staged = readStagedContext(path.resolve(inputs.source.context));
    if (hashStagedContents(staged) !== inputs.source.contentHash)
        throw new Error(
            `The staged sources in ${inputs.source.context} are not the ones the program hashed: run \`pulumi up\` again.`,
        );
    return compileWithLocalGo({
        moduleDir: path.join(inputs.source.context, inputs.source.module),
        packagePath: inputs.source.package,
        binaryName: inputs.binaryName,
        flags: inputs.goFlags,
        env: inputs.goEnv,
    });
}

/** Compiles once, writes the layer once, and pushes an image per release on its base. */
async function build(inputs: DaemonlessImageInputs): Promise<DaemonlessImageOutputs> {
    checkDeflater();
    const binary = await compile(inputs);
    const tar = await windowsLayerTar([{ path: `app/${inputs.binaryName}`, content: binary }]);
    const blob = deterministicGzip(tar);
    const layer = { blob, digest: sha256Digest(blob), diffId: sha256Digest(tar) };
    const login = credentialsOf(inputs);
    const target = new RegistryClient(inputs.registry, login);
    const pushed: Record<string, PushedImage> = {};
    for (const image of inputs.images) {
        const base = parseImageReference(image.base);
        // The push credentials reach a base in the same registry (a mirror there); elsewhere those given for its
        // registry, or none.
        const source =
            base.registry === inputs.registry
                ? target
                : new RegistryClient(base.registry, inputs.baseLogins?.[base.registry]);
        pushed[image.windowsVersion] = await pushWindowsImage({
            target,
            repository: inputs.repository,
            tag: image.tag,
            base: { client: source, repository: base.repository, reference: base.digest ?? base.tag ?? "latest" },
            layer,
            runtime: inputs.runtime,
            createdBy: `go-windows-containers daemonless: C:\\app\\${inputs.binaryName} (${inputs.goVersion})`,
        });
    }
    return { ...inputs, pushed, binaryDigest: sha256Digest(binary), layerDigest: layer.digest };
}

/** The inputs that decide the images: everything but the credentials. */
function decisive(inputs: DaemonlessImageInputs): string {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { username, password, baseLogins, ...rest } = inputs;
    const outputs = ["pushed", "binaryDigest", "layerDigest"];
    return JSON.stringify(Object.fromEntries(Object.entries(rest).filter(([key]) => !outputs.includes(key))));
}

/** The provider's diff: what replaces the resource, and whether anything that decides the images changed. */
export function daemonlessImageChanges(olds: DaemonlessImageOutputs, news: DaemonlessImageInputs) {
    const replaces = (["registry", "repository"] as const).filter((key) => news[key] !== olds[key]);
    return { changes: replaces.length > 0 || decisive(news) !== decisive(olds), replaces: replaces as string[] };
}

/** Logs a line in the engine's output (a dynamic provider's stderr is shown as diagnostics). */
const logLine = (message: string) => console.warn(message);

/** Refresh: gone from the registry (404 for every image) means gone; any other failure leaves the state as it is. */
async function readImages(id: string, props: DaemonlessImageOutputs) {
    const client = new RegistryClient(props.registry, credentialsOf(props));
    try {
        const statuses = await Promise.all(
            Object.values(props.pushed ?? {}).map(async (image) => {
                const head = await client.request(props.repository, `manifests/${image.digest}`, {
                    method: "HEAD",
                    headers: { Accept: image.mediaType },
                });
                return head.status;
            }),
        );
        if (statuses.length > 0 && statuses.every((status) => status === 404)) return {};
        const failed = statuses.find((status) => status !== 404 && (status < 200 || status >= 300));
        if (failed !== undefined)
            logLine(`${id}: could not read the pushed images (HTTP ${failed}); state left unchanged.`);
    } catch (e) {
        logLine(`${id}: could not read the pushed images (${String(e)}); state left unchanged.`);
    }
    return { id, props };
}

/**
 * The provider: a registry or repository change replaces the resource; any other change of what decides the images
 * (sources, Go, flags, settings, bases, releases) updates it, pushing what is new; credentials alone change nothing
 * (ECR hands out a new password every run). Delete leaves the images in the registry: hosts may pull them by digest.
 */
export const daemonlessImageProvider = {
    async check(_olds: DaemonlessImageInputs, news: DaemonlessImageInputs) {
        return { inputs: news, failures: daemonlessImageProblems(news) };
    },
    async diff(_id: string, olds: DaemonlessImageOutputs, news: DaemonlessImageInputs) {
        return { ...daemonlessImageChanges(olds, news), deleteBeforeReplace: false };
    },
    async create(inputs: DaemonlessImageInputs) {
        const outs = await build(inputs);
        return { id: `${inputs.registry}/${inputs.repository}`, outs };
    },
    async update(_id: string, _olds: DaemonlessImageOutputs, news: DaemonlessImageInputs) {
        return { outs: await build(news) };
    },
    read: readImages,
    async delete() {
        // The images stay: a host may run them, as images of the other strategies stay (docker-build's retainOnDelete).
    },
};
