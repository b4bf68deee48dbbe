// Changes a user makes to a Go project, and whether each may change the image: the tests and the benchmark run them
// through GoWindowsImage and compare the tag and every input the build provider sees, before and after.
import * as fs from "fs";
import * as path from "path";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { providerContextHash } from "./fakeCloud";
import { tempDir, writeModule } from "./files";
import { vendoredModule } from "./goModules";
import * as mocks from "./mocks";

/** What the build provider is handed for an image: the tag, its inputs, and its own hash of the staged context. */
export interface Declared {
    readonly tag: string;
    /** docker-build's inputs as JSON, credentials unwrapped. */
    readonly inputs: string;
    /** docker-build's context hash of the staged context (paths, contents and file modes). */
    readonly providerContextHash: string;
}

/** A project: a folder with the module in `svc/`, and the image's arguments besides context and registry. */
export interface Project {
    readonly dir: string;
    readonly args: Partial<GoWindowsImageArgs>;
    /** The umask of the machine that runs `pulumi up`. */
    readonly umask?: number;
}

const service = {
    "svc/go.mod": "module example.com/svc\n\ngo 1.23\n",
    "svc/cmd/api/main.go":
        'package main\n\nimport (\n\t"embed"\n\t"fmt"\n\n\t"example.com/svc/internal/greeting"\n)\n\n//go:embed static\nvar static embed.FS\n\nfunc main() {\n\tpage, _ := static.ReadFile("static/index.html")\n\tfmt.Println(greeting.Text(), len(page))\n}\n',
    "svc/cmd/api/static/index.html": "<p>hello</p>\n",
    "svc/cmd/other/main.go": "package main\n\nfunc main() {}\n",
    "svc/internal/greeting/greeting.go": 'package greeting\n\nfunc Text() string { return "hello" }\n',
    "svc/internal/greeting/greeting_test.go":
        'package greeting\n\nimport "testing"\n\nfunc TestText(t *testing.T) {\n\tif Text() == "" {\n\t\tt.Fatal("empty")\n\t}\n}\n',
};

/** A service module with an embedding main package, an imported internal package, tests and another main. */
export function serviceProject(): Project {
    return { dir: writeModule(tempDir("project"), service), args: { package: "./cmd/api" } };
}

/** A module that vendors third-party packages. */
export function vendoredProject(): Project {
    const dir = tempDir("project");
    vendoredModule(path.join(dir, "svc"));
    return { dir, args: {} };
}

/** Runs GoWindowsImage in the project (as `pulumi up` from its folder) and returns what the build provider gets. */
export async function declare(project: Project, extra: Partial<GoWindowsImageArgs> = {}): Promise<Declared> {
    const cwd = process.cwd();
    const umask = process.umask(project.umask ?? process.umask());
    process.chdir(project.dir);
    try {
        mocks.setupMocks();
        const image = new GoWindowsImage("svc", {
            context: "svc",
            registry: { server: "localhost:5000" },
            ...project.args,
            ...extra,
        });
        const tag = await mocks.valueOf(image.tag);
        await mocks.valueOf(image.imageRef);
        await mocks.settle();
        // docker-build's image, or the daemonless strategy's resource: whichever builds.
        const build = mocks.ofType("docker-build:index:Image")[0] ?? mocks.onlyOfType(mocks.daemonlessImageType);
        const location =
            (build.inputs.context as { location: string } | undefined)?.location ??
            (build.inputs.source as { context: string }).context;
        return {
            tag,
            inputs: JSON.stringify(mocks.unwrapSecrets(build.inputs)),
            providerContextHash: providerContextHash(path.resolve(location), "0.0.22"),
        };
    } finally {
        process.chdir(cwd);
        process.umask(umask);
    }
}

export interface Perturbation {
    readonly what: string;
    /** `same`: nothing the build reads changes, so nothing may change. `changed`: the tag must change. */
    readonly expect: "same" | "changed";
    readonly project: () => Project;
    /** Changes the project; returns the project to declare afterwards (another folder for a clone). */
    readonly apply: (project: Project) => Project;
    /** Set when the change means something else to the `daemonless` strategy, which the daemonless tests cover. */
    readonly notDaemonless?: string;
}

const edit = (project: Project, rel: string, change: (text: string) => string): Project => {
    const file = path.join(project.dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, change(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : ""));
    return project;
};

function everyEntry(dir: string, visit: (file: string, isDir: boolean) => void): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) everyEntry(full, visit);
        visit(full, entry.isDirectory());
    }
}

export const perturbations: Perturbation[] = [
    {
        what: "a README.md and a NOTES.md added",
        expect: "same",
        project: serviceProject,
        apply: (p) =>
            edit(
                edit(p, "svc/README.md", () => "# svc\n"),
                "svc/NOTES.md",
                () => "notes\n",
            ),
    },
    {
        what: "a _test.go file edited",
        expect: "same",
        project: serviceProject,
        apply: (p) => edit(p, "svc/internal/greeting/greeting_test.go", (t) => `${t}\n// another case\n`),
    },
    {
        what: "testdata/ added",
        expect: "same",
        project: serviceProject,
        apply: (p) => edit(p, "svc/internal/greeting/testdata/golden.txt", () => "golden\n"),
    },
    {
        what: "another main package edited",
        expect: "same",
        project: serviceProject,
        apply: (p) =>
            edit(p, "svc/cmd/other/main.go", (t) => t.replace("func main() {}", 'func main() { println("x") }')),
    },
    {
        what: "file modes and modification times changed",
        expect: "same",
        project: serviceProject,
        apply: (p) => {
            everyEntry(path.join(p.dir, "svc"), (file, isDir) => {
                fs.chmodSync(file, isDir ? 0o700 : 0o600);
                fs.utimesSync(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
            });
            return p;
        },
    },
    {
        what: "the project cloned to another path, on a machine with another umask",
        expect: "same",
        project: serviceProject,
        apply: (p) => {
            const clone = tempDir("clone");
            fs.cpSync(path.join(p.dir, "svc"), path.join(clone, "svc"), { recursive: true });
            return { ...p, dir: clone, umask: 0o077 };
        },
    },
    {
        what: "a .go file of an imported package edited",
        expect: "changed",
        project: serviceProject,
        apply: (p) => edit(p, "svc/internal/greeting/greeting.go", (t) => t.replace('"hello"', '"hello again"')),
    },
    {
        what: "an embedded file edited",
        expect: "changed",
        project: serviceProject,
        apply: (p) => edit(p, "svc/cmd/api/static/index.html", () => "<p>hello again</p>\n"),
    },
    {
        what: "a go.sum added",
        expect: "changed",
        project: serviceProject,
        apply: (p) => edit(p, "svc/go.sum", () => "example.com/x v1.0.0 h1:abc=\n"),
    },
    {
        what: "a vendored file edited",
        expect: "changed",
        project: vendoredProject,
        apply: (p) => edit(p, "svc/vendor/github.com/google/uuid/uuid.go", (t) => `${t}\n// patched\n`),
    },
    {
        what: "the Go version changed",
        expect: "changed",
        notDaemonless: "it compiles with this machine's Go, whose release must be `goVersion`",
        project: serviceProject,
        apply: (p) => ({ ...p, args: { ...p.args, goVersion: "1.22" } }),
    },
    {
        what: "the base image changed",
        expect: "changed",
        project: serviceProject,
        apply: (p) => ({ ...p, args: { ...p.args, baseImageRef: "registry.example.com/windows/nanoserver:ltsc2022" } }),
    },
];

/** Declares a perturbation's project before and after the change. */
export async function beforeAndAfter(
    perturbation: Perturbation,
    extra: Partial<GoWindowsImageArgs> = {},
): Promise<{ before: Declared; after: Declared }> {
    const project = perturbation.project();
    const before = await declare(project, extra);
    const after = await declare(perturbation.apply(project), extra);
    return { before, after };
}
