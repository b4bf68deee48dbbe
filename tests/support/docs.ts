// The documentation as tests read it: the front page and every page under docs/, their code blocks and sections.
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./files";

/** README.md and every Markdown page under docs/, as paths relative to the repository root. */
export function docPages(): string[] {
    const pages: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
            const rel = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(rel);
            else if (entry.name.endsWith(".md")) pages.push(rel);
        }
    };
    walk("docs");
    return ["README.md", ...pages.sort()];
}

export function readPage(page: string): string {
    return fs.readFileSync(path.join(repoRoot, page), "utf8");
}

/** A fenced code block: the page, the line its fence opens on, and its text. */
export interface CodeBlock {
    readonly page: string;
    readonly line: number;
    readonly code: string;
    /** The file a block stands for, from a first line `// file: <name>`; such a block is a whole module. */
    readonly file?: string;
}

/** The ```<language> blocks of a page, in order. */
export function codeBlocks(page: string, language: string): CodeBlock[] {
    const text = readPage(page);
    const blocks: CodeBlock[] = [];
    for (const match of text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "gm"))) {
        const code = match[1];
        const file = /^\/\/ file: (\S+)\n/.exec(code)?.[1];
        blocks.push({ page, line: text.slice(0, match.index).split("\n").length, code, file });
    }
    return blocks;
}
