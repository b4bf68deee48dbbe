// URNs and aliases as the engine computes them (pulumi/pulumi resource.NewURN and stepGenerator.generateAliases), so
// that the stand-in engine finds a moved resource's old state as `pulumi up` does, and tests can check that every
// URN an earlier version made is still made or aliased.
import * as fs from "fs";
import * as path from "path";
import type { StateEntry } from "./fakeCloud";
import type { AliasSpec } from "./mocks";

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export function urnParts(urn: string): { stack: string; project: string; qualifiedType: string; name: string } {
    const [head, project, qualifiedType, ...name] = urn.split("::");
    return { stack: head.replace(/^urn:pulumi:/, ""), project, qualifiedType, name: name.join("::") };
}

/** A URN whose parent is `parentUrn` ("" for none): the parent's type chain, `$`, the type. */
export function makeUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
    const parentType = parentUrn ? urnParts(parentUrn).qualifiedType : "";
    const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** What the engine knows of a registered resource when it looks for its old state. */
export interface Registration {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parentUrn: string;
    readonly aliasSpecs: readonly AliasSpec[];
}

/**
 * The URNs a resource may have had before (generateAliases): each alias collapsed to a URN, and when the parent
 * itself was found under an alias (`parentAliases`: new URN → the old URN it matched), the same names under the
 * parent's old URN, with the parent's old name swapped in where the child's name starts with the parent's.
 */
export function aliasUrns(r: Registration, parentAliases: ReadonlyMap<string, string> = new Map()): string[] {
    const { stack, project } = urnParts(r.urn);
    const collapse = (alias: AliasSpec): string => {
        if (alias.urn) return alias.urn;
        let parent = alias.parentUrn ?? r.parentUrn;
        if (alias.parentUrn) parent = parentAliases.get(alias.parentUrn) ?? parent;
        if (alias.noParent) parent = "";
        return makeUrn(
            alias.stack ?? stack,
            alias.project ?? project,
            parent,
            alias.type ?? r.type,
            alias.name ?? r.name,
        );
    };
    const result = new Set(r.aliasSpecs.map(collapse));
    const parentAlias = r.parentUrn ? parentAliases.get(r.parentUrn) : undefined;
    if (parentAlias) {
        const parentName = urnParts(r.parentUrn).name;
        const inherited = (type: string, name: string) =>
            makeUrn(
                stack,
                project,
                parentAlias,
                type,
                name.startsWith(parentName) ? urnParts(parentAlias).name + name.slice(parentName.length) : name,
            );
        result.add(inherited(r.type, r.name));
        for (const alias of r.aliasSpecs) {
            const old = urnParts(collapse(alias));
            result.add(inherited(old.qualifiedType.split("$").pop()!, old.name));
        }
    }
    result.delete(r.urn);
    return [...result];
}

/**
 * What an earlier commit's program left for each stack file (see tests/fixtures/urns/README.md): every URN, and the
 * state of the ECS services' resources.
 */
export interface UrnFixture {
    readonly commit: string;
    readonly stacks: Record<string, { readonly urns: string[]; readonly state: StateEntry[] }>;
}

export const urnFixtureDir = path.join(__dirname, "..", "fixtures", "urns");

export function readUrnFixture(file: string): UrnFixture {
    return JSON.parse(fs.readFileSync(path.join(urnFixtureDir, file), "utf8")) as UrnFixture;
}

/** The stack name of a stack file, `Pulumi.ec2-dev.yaml` → `ec2-dev`. */
export const stackNameOf = (file: string) => file.replace(/^Pulumi\.|\.yaml$/g, "");
