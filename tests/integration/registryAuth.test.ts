// The real registry behind authentication: token auth with scopes (a token server of ours that grants each user only
// what it may do) and htpasswd (Basic). The ImageIndex provider, the release entries' reads and the base digest
// lookups against both; the registry itself refuses a PUT with a pull-only token and a DELETE without `delete`.
import * as assert from "assert";
import { spawn } from "child_process";
import { lookupImageDigest } from "../../components/image/baseImages";
import { ImageIndexEntry, imageIndexProvider, readIndexEntry } from "../../components/registries";
import { RegistryClient } from "../../components/registries/distribution";
import { AuthRegistry, startBasicAuthRegistry, startTokenAuthRegistry } from "../support/authRegistry";
import * as h from "../support/tools";
import { captureWarnings } from "../support/warnings";

const users = {
    ci: { password: "ci-secret", actions: ["pull", "push", "delete"] },
    pusher: { password: "push-secret", actions: ["pull", "push"] },
    reader: { password: "read-secret", actions: ["pull"] },
};
const login = (user: keyof typeof users) => ({ username: user, password: users[user].password });
const repository = "private/api";

/**
 * Pushes a stand-in Windows image with skopeo, as `creds` would; returns its digest. skopeo runs asynchronously: the
 * token server answers in this process.
 */
async function pushImage(registry: AuthRegistry, tag: string, osVersion: string, creds: string): Promise<string> {
    const ref = `${h.env.registry}/auth-source/${tag}:${tag}`;
    h.pushStandInBase(ref, osVersion);
    const skopeo = spawn(
        "skopeo",
        [
            "copy",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
            "--dest-creds",
            creds,
            `docker://${ref}`,
            `docker://${registry.host}/${repository}:${tag}`,
        ],
        { stdio: "ignore" },
    );
    assert.strictEqual(await new Promise((resolve) => skopeo.on("exit", resolve)), 0, "skopeo pushed");
    return h.digestOf(ref);
}

/** The lines `fn` logs, as one text. */
const logged = async (fn: () => Promise<unknown>) => (await captureWarnings(fn)).lines.join("\n");

describe("the registry behind token auth with scopes", function () {
    let registry: AuthRegistry;
    let entries: ImageIndexEntry[];
    before(async () => {
        registry = await startTokenAuthRegistry(users);
        const digests = [
            await pushImage(registry, "ltsc2019", h.standInOsVersion.ltsc2019, "ci:ci-secret"),
            await pushImage(registry, "ltsc2022", h.standInOsVersion.ltsc2022, "ci:ci-secret"),
        ];
        entries = await Promise.all(digests.map((d) => readIndexEntry(registry.host, repository, d, login("reader"))));
    });
    after(() => registry.close());

    it("reads the release entries with a pull token", () => {
        assert.deepStrictEqual(
            entries.map((e) => e.osVersion),
            [h.standInOsVersion.ltsc2019, h.standInOsVersion.ltsc2022],
        );
    });

    it("refuses a pull-only user the index write: the registry wants pull and push", async () => {
        await assert.rejects(
            imageIndexProvider.create({
                registry: registry.host,
                repository,
                tag: "index",
                entries,
                ...login("reader"),
            }),
            // The registry lists the actions it wants in no fixed order (they pass through a Go map).
            /writing the manifest failed: HTTP 401 UNAUTHORIZED: authentication required \(insufficient_scope: the registry wants repository:private\/api:(pull,push|push,pull)\)/,
        );
    });

    it("writes the index with push, and deletes it asking for delete", async () => {
        const { outs } = await imageIndexProvider.create({
            registry: registry.host,
            repository,
            tag: "index",
            entries,
            ...login("ci"),
        });
        const reader = new RegistryClient(registry.host, login("reader"));
        assert.strictEqual((await reader.headManifest(repository, "index"))?.digest, outs.digest);
        const asked = registry.tokenRequests.length;
        assert.strictEqual(await logged(() => imageIndexProvider.delete("id", outs)), "");
        const deleteToken = registry.tokenRequests
            .slice(asked)
            .find((t) => t.scopes.some((s) => s.endsWith(":delete")));
        assert.deepStrictEqual(deleteToken?.granted, [{ name: repository, actions: ["delete"] }]);
        const gone = await new RegistryClient(registry.host, login("reader")).headManifest(repository, outs.digest);
        assert.strictEqual(gone, undefined);
    });

    it("logs the registry's own refusal when the user may not delete, and keeps the index", async () => {
        const { outs } = await imageIndexProvider.create({
            registry: registry.host,
            repository,
            tag: "index-2",
            entries: entries.slice(1),
            ...login("pusher"),
        });
        const lines = await logged(() => imageIndexProvider.delete("id", outs));
        assert.match(
            lines,
            /refused to delete it \(HTTP 401 UNAUTHORIZED: authentication required \(insufficient_scope: the registry wants repository:private\/api:delete\)\); .* stays there: delete it with `crane delete/,
        );
        assert.ok(await new RegistryClient(registry.host, login("reader")).headManifest(repository, outs.digest));
    });

    it("gets one fresh token when its cached token expires, and goes on", async () => {
        const client = new RegistryClient(registry.host, login("reader"));
        registry.expireNextTokens(1, 2);
        await client.getManifest(repository, entries[0].digest);
        const asked = registry.tokenRequests.length;
        await new Promise((resolve) => setTimeout(resolve, 3500));
        await client.getManifest(repository, entries[0].digest);
        assert.strictEqual(
            registry.tokenRequests.length - asked,
            1,
            "one new token after the registry refused the old",
        );
    });

    it("looks up a base's digest with the credentials for it, and fails naming the argument without them", async () => {
        const ref = `${registry.host}/${repository}:ltsc2022`;
        assert.strictEqual(await lookupImageDigest(ref, login("reader"), "baseImageRef"), entries[1].digest);
        await assert.rejects(
            lookupImageDigest(ref, undefined, "baseImageRef"),
            /\(`baseImageRef`\) failed: .*HTTP 401.*give its credentials in `baseImageRegistries`/,
        );
    });
});

describe("the registry behind htpasswd (Basic)", function () {
    let registry: AuthRegistry;
    before(async () => (registry = await startBasicAuthRegistry({ ci: "ci-secret" })));
    after(() => registry.close());

    it("writes and deletes the index and looks up a base's digest with Basic credentials", async () => {
        const digest = await pushImage(registry, "ltsc2022", h.standInOsVersion.ltsc2022, "ci:ci-secret");
        const entry = await readIndexEntry(registry.host, repository, digest, login("ci"));
        const { outs } = await imageIndexProvider.create({
            registry: registry.host,
            repository,
            tag: "index",
            entries: [entry],
            ...login("ci"),
        });
        const ref = `${registry.host}/${repository}:ltsc2022`;
        assert.strictEqual(await lookupImageDigest(ref, login("ci"), "baseImageRef"), digest);
        await assert.rejects(
            lookupImageDigest(ref, { username: "ci", password: "wrong" }, "baseImageRef"),
            /\(`baseImageRef`\) failed: .*HTTP 401/,
        );
        assert.strictEqual(await logged(() => imageIndexProvider.delete("id", outs)), "");
    });
});
