// The documentation's links: every relative link of README.md and docs/ reaches a page that exists and, with an
// anchor, a heading of that page (as GitHub names it); every docs/ page is linked from the front page.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { docPages, readPage } from "../support/docs";
import { repoRoot } from "../support/files";

/** A page's text without fenced blocks and inline code, where brackets are not links. */
function prose(page: string): string {
    return readPage(page)
        .replace(/^```[\s\S]*?^```$/gm, "")
        .replace(/``[^`]*``|`[^`\n]*`/g, "");
}

/** The anchors GitHub gives a page's headings: lowercased, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(page: string): Set<string> {
    const anchors = new Set<string>();
    const text = readPage(page).replace(/^```[\s\S]*?^```$/gm, "");
    for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
        const base = heading
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, "")
            .replace(/ /g, "-");
        let anchor = base;
        for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
        anchors.add(anchor);
    }
    return anchors;
}

/** Every relative link of a page: `[text](target#anchor)`, with the line it is on. */
function links(page: string): { line: number; target: string; anchor?: string }[] {
    const text = prose(page);
    return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .filter((m) => !/^[a-z]+:/.test(m[1]))
        .map((m) => {
            const [target, anchor] = m[1].split("#");
            return { line: text.slice(0, m.index).split("\n").length, target, anchor };
        });
}

describe("the documentation's links", () => {
    it("reach pages that exist, and headings that exist", () => {
        const broken: string[] = [];
        for (const page of docPages()) {
            for (const link of links(page)) {
                const target = link.target ? path.join(path.dirname(page), link.target) : page;
                if (!fs.existsSync(path.join(repoRoot, target))) {
                    broken.push(`${page}:${link.line}: ${link.target} does not exist`);
                } else if (link.anchor && !(target.endsWith(".md") && headingAnchors(target).has(link.anchor))) {
                    broken.push(`${page}:${link.line}: ${target} has no heading #${link.anchor}`);
                }
            }
        }
        assert.deepStrictEqual(broken, []);
    });

    it("include a link from the front page to every page under docs/", () => {
        const linked = new Set(links("README.md").map((l) => path.normalize(l.target)));
        const unlinked = docPages().filter((page) => page !== "README.md" && !linked.has(page));
        assert.deepStrictEqual(unlinked, []);
    });

    it("name anchors as GitHub does", () => {
        const anchors = headingAnchors("docs/guides/security.md");
        assert.ok(anchors.has("the-programs-api_token"), [...anchors].join(", "));
        assert.ok(headingAnchors("docs/guides/program.md").has("the-local-stack-the-main-job"));
    });
});
