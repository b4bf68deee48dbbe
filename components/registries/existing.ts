// A registry that already exists: nothing is created, credentials are used only when both parts are given.
import * as pulumi from "@pulumi/pulumi";
import { DeclaredRegistry } from "./declared";
import { ResolvedExistingRegistry } from "./resolve";

/** Uses a registry that already exists; its password is always a secret. */
export function useExistingRegistry(args: ResolvedExistingRegistry): DeclaredRegistry {
    const server = pulumi.output(args.server);
    return {
        repositoryUrl: pulumi.output(`${args.server}/${args.repositoryName}`),
        server,
        credentials: args.credentials && {
            address: server,
            username: pulumi.output(args.credentials.username),
            password: pulumi.secret(args.credentials.password),
        },
        dependencies: [],
        retainedOnDestroy: pulumi.output(
            `Images pushed to ${args.server}/${args.repositoryName} are kept when this stack is destroyed; ` +
                "remove them with the registry's own tools (e.g. `crane delete <repository>@<digest>`).",
        ),
    };
}
