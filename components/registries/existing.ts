// A registry that already exists: nothing is created, credentials are used only when both parts are given.
import * as pulumi from "@pulumi/pulumi";
import { applyReported } from "../core";
import { DeclaredRegistry, repositoryIn } from "./declared";
import { ResolvedExistingRegistry, checkRegistryServer } from "./resolve";

/** What destroying the stack leaves in an existing registry. */
const keptImages = (repositoryUrl: string) =>
    `Images pushed to ${repositoryUrl} are kept when this stack is destroyed; remove them with the registry's own tools (e.g. \`crane delete <repository>@<digest>\`).`;

/** Uses a registry that already exists; its password is always a secret. The host may be an Output. */
export function useExistingRegistry(args: ResolvedExistingRegistry): DeclaredRegistry {
    // A host given as an Output (another image's `registryServer`) is checked once it is known.
    const server = applyReported(args.server, checkRegistryServer);
    const repositoryUrl = repositoryIn(server, args.repositoryName);
    return {
        repositoryUrl,
        server,
        credentials: args.credentials && {
            address: server,
            username: pulumi.output(args.credentials.username),
            password: pulumi.secret(args.credentials.password),
        },
        dependencies: [],
        retainedOnDestroy: applyReported(repositoryUrl, keptImages),
    };
}
