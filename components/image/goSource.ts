// Reads what a Go source file tells the build: its package name, its imports and its //go:embed patterns.

/** What one Go file contributes to the files a build reads. */
export interface GoFileFacts {
    /** The package clause's name, or undefined for a file without one. */
    readonly packageName?: string;
    /** Import paths, in order. */
    readonly imports: string[];
    /** The patterns of its //go:embed directives, `all:` prefixes kept. */
    readonly embeds: string[];
    /** The `//go:build` expression of its header, if any. */
    readonly goBuild?: string;
    /** The `// +build` lines of its header (older Go), each a space-separated list of options. */
    readonly plusBuild: string[];
}

type Token = { kind: "ident" | "string" | "punct"; value: string };

/** The value of a Go string literal: interpreted ("...", with escapes) or raw (`...`). */
function unquote(literal: string): string {
    if (literal.startsWith("`")) return literal.slice(1, -1).replace(/\r/g, "");
    // Import paths and embed patterns are plain text; JSON's escapes cover what they use.
    try {
        return JSON.parse(literal) as string;
    } catch {
        return literal.slice(1, -1);
    }
}

/** The end index of the string literal that starts at `i`. */
function stringEnd(source: string, i: number): number {
    const quote = source[i];
    let j = i + 1;
    while (j < source.length && source[j] !== quote) {
        if (quote !== "`" && source[j] === "\\") j++;
        if (quote !== "`" && source[j] === "\n") break;
        j++;
    }
    return j;
}

/** Line comments at the start of a line: //go:embed anywhere, and the header's (before any token) for constraints. */
interface Directives {
    readonly embeds: string[];
    readonly header: string[];
}

/**
 * Splits Go source into identifiers, string literals and punctuation, dropping comments; collects directives (line
 * comments at the start of a line) on the way.
 */
function tokenize(source: string, directives: Directives): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < source.length) {
        const c = source[i];
        if (source.startsWith("//", i)) {
            const end = source.indexOf("\n", i) < 0 ? source.length : source.indexOf("\n", i);
            const atLineStart = i === 0 || source[i - 1] === "\n";
            const line = source.slice(i, end).replace(/\r$/, "");
            const embed = /^\/\/go:embed\s(.*)$/.exec(line);
            if (atLineStart && embed) directives.embeds.push(...embedPatterns(embed[1]));
            if (atLineStart && tokens.length === 0) directives.header.push(line);
            i = end;
        } else if (source.startsWith("/*", i)) {
            const end = source.indexOf("*/", i + 2);
            i = end < 0 ? source.length : end + 2;
        } else if (c === '"' || c === "`") {
            const end = stringEnd(source, i);
            tokens.push({ kind: "string", value: unquote(source.slice(i, end + 1)) });
            i = end + 1;
        } else if (c === "'") {
            i = stringEnd(source, i) + 1;
        } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
            const match = /^[\p{L}\p{N}_]+/u.exec(source.slice(i, i + 256))!;
            tokens.push({ kind: "ident", value: match[0] });
            i += match[0].length;
        } else if (/\s/.test(c)) {
            i++;
        } else {
            tokens.push({ kind: "punct", value: c });
            i++;
        }
    }
    return tokens;
}

/** The space-separated patterns of a //go:embed line; each may be quoted. */
export function embedPatterns(text: string): string[] {
    const patterns: string[] = [];
    const pattern = /"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g;
    for (const match of text.matchAll(pattern)) patterns.push(/^["`]/.test(match[0]) ? unquote(match[0]) : match[0]);
    return patterns;
}

/** Reads the package clause, the import declarations that follow it, and every //go:embed directive. */
export function scanGoFile(source: string): GoFileFacts {
    const directives: Directives = { embeds: [], header: [] };
    const tokens = tokenize(source, directives);
    const goBuild = directives.header.map((l) => /^\/\/go:build\s+(.*)$/.exec(l)?.[1]).find((e) => e !== undefined);
    const plusBuild = directives.header.flatMap((l) => /^\/\/\s*\+build\s+(.*)$/.exec(l)?.[1] ?? []);
    const imports: string[] = [];
    let i = 0;
    let packageName: string | undefined;
    if (tokens[i]?.value === "package" && tokens[i + 1]?.kind === "ident") {
        packageName = tokens[i + 1].value;
        i += 2;
    }
    // Imports come right after the package clause; any other declaration ends them.
    while (i < tokens.length) {
        if (tokens[i].value === ";") {
            i++;
            continue;
        }
        if (tokens[i].value !== "import") break;
        i++;
        const grouped = tokens[i]?.value === "(";
        if (grouped) i++;
        while (i < tokens.length && tokens[i].value !== ")") {
            if (tokens[i].kind === "string") imports.push(tokens[i].value);
            i++;
            if (!grouped && tokens[i - 1].kind === "string") break;
        }
        if (grouped) i++;
    }
    return { packageName, imports, embeds: directives.embeds, goBuild: goBuild?.trim(), plusBuild };
}
