// Where a container group's logs and events go: a Log Analytics workspace, new or given, and its key as a secret.
import * as pulumi from "@pulumi/pulumi";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { childName } from "../core";
import { WindowsContainerGroupArgs } from "./args";
import { azureNameRules } from "./names";
import { ResolvedContainerGroup, workspaceIdPattern } from "./resolve";

export interface DeclaredLogs {
    /** The workspace the component created; undefined when the user gave one. */
    readonly workspace?: operationalinsights.Workspace;
    /** The workspace's resource id, the scope of the log alerts. */
    readonly workspaceResourceId: pulumi.Output<string>;
    /** The workspace's customer id (a GUID), which the container group sends to. */
    readonly customerId: pulumi.Output<string>;
    /** The workspace's primary shared key, secret. */
    readonly sharedKey: pulumi.Output<string>;
}

/** The resource group and name in a workspace's resource id. */
function parseWorkspaceId(id: string): { resourceGroupName: string; workspaceName: string } {
    const match = workspaceIdPattern.exec(id);
    if (!match) throw new Error(`\`logAnalyticsWorkspaceId\` is ${JSON.stringify(id)}, not a workspace's resource id`);
    return { resourceGroupName: match[1], workspaceName: match[2] };
}

/** The workspace's shared key: read on every run and kept secret (invokes do not mark their results secret). */
function sharedKey(
    location: { resourceGroupName: pulumi.Input<string>; workspaceName: pulumi.Input<string> },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const keys = operationalinsights.getSharedKeysOutput(location, { parent });
    return pulumi.secret(keys.apply((k) => k.primarySharedKey ?? ""));
}

/** A new PerGB2018 workspace with the resolved retention, or the one `logAnalyticsWorkspaceId` names. */
export function declareLogs(
    name: string,
    args: WindowsContainerGroupArgs,
    resolved: ResolvedContainerGroup,
    parent: pulumi.Resource,
): DeclaredLogs {
    if (args.logAnalyticsWorkspaceId !== undefined) {
        const workspaceResourceId = pulumi.output(args.logAnalyticsWorkspaceId);
        const location = workspaceResourceId.apply(parseWorkspaceId);
        const given = operationalinsights.getWorkspaceOutput(
            { resourceGroupName: location.resourceGroupName, workspaceName: location.workspaceName },
            { parent },
        );
        return {
            workspaceResourceId,
            customerId: given.customerId,
            sharedKey: sharedKey(
                { resourceGroupName: location.resourceGroupName, workspaceName: location.workspaceName },
                parent,
            ),
        };
    }
    const workspace = new operationalinsights.Workspace(
        childName(name, "-logs", azureNameRules.workspace),
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            sku: { name: "PerGB2018" },
            retentionInDays: resolved.logRetentionDays,
            // Container groups send with the shared key, over the public ingestion endpoint.
            features: { disableLocalAuth: false },
            publicNetworkAccessForIngestion: "Enabled",
        },
        { parent },
    );
    return {
        workspace,
        workspaceResourceId: workspace.id,
        customerId: workspace.customerId,
        sharedKey: sharedKey({ resourceGroupName: args.resourceGroupName, workspaceName: workspace.name }, parent),
    };
}
