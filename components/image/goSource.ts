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

/**
 * Splits Go source into identifiers, string literals and punctuation, dropping comments, as far as the caller reads;
 * the line comments that start a line before the first token (the header) go to `header`.
 */
function* tokens(source: string, header: string[]): Generator<Token> {
    let i = 0;
    let first = true;
    while (i < source.length) {
        const c = source[i];
        if (source.startsWith("//", i)) {
            const end = source.indexOf("\n", i) < 0 ? source.length : source.indexOf("\n", i);
            if (first && (i === 0 || source[i - 1] === "\n")) header.push(source.slice(i, end).replace(/\r$/, ""));
            i = end;
            continue;
        }
        if (source.startsWith("/*", i)) {
            const end = source.indexOf("*/", i + 2);
            i = end < 0 ? source.length : end + 2;
            continue;
        }
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        first = false;
        if (c === '"' || c === "`") {
            const end = stringEnd(source, i);
            yield { kind: "string", value: unquote(source.slice(i, end + 1)) };
            i = end + 1;
        } else if (c === "'") {
            i = stringEnd(source, i) + 1;
        } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
            const match = /^[\p{L}\p{N}_]+/u.exec(source.slice(i, i + 256))!;
            yield { kind: "ident", value: match[0] };
            i += match[0].length;
        } else {
            yield { kind: "punct", value: c };
            i++;
        }
    }
}

/** The space-separated patterns of a //go:embed line; each may be quoted. */
export function embedPatterns(text: string): string[] {
    const patterns: string[] = [];
    const pattern = /"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g;
    for (const match of text.matchAll(pattern)) patterns.push(/^["`]/.test(match[0]) ? unquote(match[0]) : match[0]);
    return patterns;
}

/** The import paths of the declarations that follow the package clause; any other declaration ends them. */
function readImports(next: () => Token | undefined): string[] {
    const imports: string[] = [];
    let token = next();
    while (token) {
        if (token.value === ";") {
            token = next();
            continue;
        }
        if (token.value !== "import") break;
        token = next();
        const grouped = token?.value === "(";
        if (grouped) token = next();
        while (token && token.value !== ")") {
            if (token.kind === "string") imports.push(token.value);
            const single = !grouped && token.kind === "string";
            token = next();
            if (single) break;
        }
        if (grouped) token = next();
    }
    return imports;
}

/**
 * Reads the header's build constraints, the package clause, the imports, and (in a file that imports "embed", as
 * //go:embed requires) every //go:embed line. Only the beginning of a file is tokenized.
 */
export function scanGoFile(source: string): GoFileFacts {
    const header: string[] = [];
    const stream = tokens(source, header);
    let lookahead: Token | undefined = stream.next().value ?? undefined;
    const next = (): Token | undefined => {
        const current = lookahead;
        lookahead = current ? (stream.next().value ?? undefined) : undefined;
        return current;
    };
    let packageName: string | undefined;
    if (lookahead?.value === "package") {
        next();
        if (lookahead?.kind === "ident") packageName = next()!.value;
    }
    const imports = packageName === undefined ? [] : readImports(next);
    const embeds = imports.includes("embed")
        ? [...source.matchAll(/^\/\/go:embed\s(.*?)\r?$/gm)].flatMap((m) => embedPatterns(m[1]))
        : [];
    const goBuild = header.map((l) => /^\/\/go:build\s+(.*)$/.exec(l)?.[1]).find((e) => e !== undefined);
    const plusBuild = header.flatMap((l) => /^\/\/\s*\+build\s+(.*)$/.exec(l)?.[1] ?? []);
    return { packageName, imports, embeds, goBuild: goBuild?.trim(), plusBuild };
}
