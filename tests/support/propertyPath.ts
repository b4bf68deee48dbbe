// The engine's `ignoreChanges`, ported from pulumi/pulumi so that the stand-in engine applies it as `pulumi up` does:
// sdk/go/common/resource/properties_path.go (parsePropertyPath, PropertyPath.reset) and processIgnoreChanges in
// pkg/resource/deploy/step_generator.go. Each ignored path in the new inputs is reset to the old inputs' value.
// What surprises: a leaf the old inputs lack is DELETED from the new inputs; a path through an array index that one
// side lacks, or through an added or removed object, is a "path error" that changes nothing; `*` iterates the OLD
// side's keys (or indices) and, as a leaf, copies the whole old object or array.

/** A path element: a property name (or `*`), or an array index. */
export type PathElement = string | number;

type Value = unknown;
type PlainObject = Record<string, unknown>;

const isObject = (v: Value): v is PlainObject => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: PlainObject, key: string) => Object.prototype.hasOwnProperty.call(o, key) && o[key] !== undefined;

/** Parses a property path as the engine's non-strict parser does: `a.b[0]["c.d"][*].e`. */
export function parsePropertyPath(path: string): PathElement[] {
    const elements: PathElement[] = [];
    if (path.startsWith(".")) throw new Error("expected property path to start with a name or index");
    let rest = path;
    while (rest.length > 0) {
        if (rest[0] === ".") {
            rest = rest.slice(1);
            if (rest.length === 0) throw new Error("expected property path to end with a name or index");
        } else if (rest[0] === "[") {
            if (rest[1] === '"') {
                let key = "";
                let i = 2;
                for (;;) {
                    if (i >= rest.length) throw new Error("missing closing quote in property name");
                    if (rest[i] === '"') {
                        i++;
                        break;
                    }
                    if (rest[i] === "\\" && rest[i + 1] === '"') {
                        key += '"';
                        i += 2;
                    } else key += rest[i++];
                }
                if (rest[i] !== "]") throw new Error("missing closing bracket in property access");
                elements.push(key);
                rest = rest.slice(i + 1);
            } else {
                const close = rest.indexOf("]");
                if (close === -1) throw new Error("missing closing bracket in array index");
                const segment = rest.slice(1, close);
                if (segment === "*") elements.push("*");
                else {
                    if (!/^-?\d+$/.test(segment)) throw new Error(`invalid array index: ${segment}`);
                    elements.push(Number(segment));
                }
                rest = rest.slice(close + 1);
            }
        } else {
            let i = 0;
            while (i < rest.length && rest[i] !== "." && rest[i] !== "[") i++;
            elements.push(rest.slice(0, i));
            rest = rest.slice(i);
        }
    }
    return elements;
}

/** PropertyPath.reset: sets the value at `path` in `next` to the one in `old`; false is a path error. */
function reset(path: PathElement[], old: Value, next: Value): boolean {
    if (path.length === 0) return false;
    const [key, ...rest] = path;
    if (typeof key === "number") {
        if (key < 0) return false;
        const oldIsArray = Array.isArray(old);
        const nextIsArray = Array.isArray(next);
        if (rest.length === 0) {
            if (!oldIsArray && !nextIsArray) return true;
            if (!oldIsArray || !nextIsArray) return false;
            if (key >= old.length && key >= next.length) return true;
            if (key >= old.length || key >= next.length) return false;
            next[key] = old[key];
            return true;
        }
        if (!oldIsArray || !nextIsArray) return !oldIsArray && !nextIsArray;
        if (key >= old.length || key >= next.length) return false;
        return reset(rest, old[key], next[key]);
    }
    if (key === "*") {
        if (rest.length === 0) {
            if (isObject(next)) {
                if (isObject(old)) {
                    for (const k of Object.keys(old)) next[k] = old[k];
                    for (const k of Object.keys(next)) if (!has(old, k)) delete next[k];
                }
                return true;
            }
            if (Array.isArray(next)) {
                if (Array.isArray(old)) {
                    for (let i = 0; i < old.length && i < next.length; i++) next[i] = old[i];
                    if (old.length !== next.length) return false;
                }
                return true;
            }
            return false;
        }
        if (isObject(old) && isObject(next)) {
            for (const k of Object.keys(old)) {
                if (!has(old, k) || !has(next, k)) return false;
                if (!reset(rest, old[k], next[k])) return false;
            }
            return true;
        }
        if (Array.isArray(old) && Array.isArray(next)) {
            for (let i = 0; i < old.length && i < next.length; i++) if (!reset(rest, old[i], next[i])) return false;
            return old.length === next.length;
        }
        return false;
    }
    if (rest.length === 0) {
        // The leaf: the old value, or no value at all when the old inputs lack it (the key is deleted).
        if (isObject(old) && has(old, key)) {
            if (!isObject(next)) return false;
            next[key] = old[key];
        } else if (isObject(next)) {
            delete next[key];
        }
        return true;
    }
    if (!isObject(old) || !isObject(next)) return !isObject(old) && !isObject(next);
    const hasOld = has(old, key);
    const hasNext = has(next, key);
    if (hasOld && !hasNext) return false;
    if (!hasOld && !hasNext) return true;
    return reset(rest, old[key], next[key]);
}

/** What processIgnoreChanges gives back: the inputs to send, and the paths it could not apply (the engine logs them). */
export interface IgnoredInputs {
    readonly inputs: Record<string, unknown>;
    readonly invalidPaths: string[];
}

/** processIgnoreChanges: a copy of `inputs` with each ignored path reset to `oldInputs`' value. */
export function processIgnoreChanges(
    inputs: Record<string, unknown>,
    oldInputs: Record<string, unknown>,
    ignoreChanges: readonly string[],
): IgnoredInputs {
    const copy = structuredClone(inputs);
    const invalidPaths: string[] = [];
    for (const ignored of ignoreChanges) {
        let path: PathElement[];
        try {
            path = parsePropertyPath(ignored);
        } catch {
            continue;
        }
        if (!reset(path, oldInputs, copy)) invalidPaths.push(ignored);
    }
    return { inputs: copy, invalidPaths };
}
