// WindowsContainerGroup: runs a Windows image on Azure Container Instances, pulling from ACR with a managed identity.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerinstance from "@pulumi/azure-native/containerinstance";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as types from "@pulumi/azure-native/types";
import { childName, resolveArgsFor } from "../core";
import { declareAlerts } from "./alerts";
import { WindowsContainerGroupArgs } from "./args";
import { DeclaredLogs, declareLogs } from "./logs";
import { azureNameRules } from "./names";
import { pullRetryHooks } from "./pullRetry";
import { ResolvedContainerGroup, resolveContainerGroupArgs } from "./resolve";

/** The built-in AcrPull role. */
export const acrPullRoleId = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

interface PullIdentity {
    readonly identity: managedidentity.UserAssignedIdentity;
    readonly acrPull: authorization.RoleAssignment;
}

/** ACI pulls from ACR only with a user-assigned identity (a system-assigned one does not exist before the pull). */
function declarePullIdentity(name: string, args: WindowsContainerGroupArgs, parent: pulumi.Resource): PullIdentity {
    const identity = new managedidentity.UserAssignedIdentity(
        childName(name, "-identity", azureNameRules.identity),
        { resourceGroupName: args.resourceGroupName, location: args.location },
        { parent },
    );
    const client = authorization.getClientConfigOutput({ parent });
    const scope = pulumi.output(args.registryId).apply((id) => {
        if (!id) {
            throw new Error(
                `WindowsContainerGroup "${name}": \`registryId\` resolved to no value; pass the Azure Container Registry's id (GoWindowsImage's \`acrRegistryId\`, from an image built with \`acr\`).`,
            );
        }
        return id;
    });
    const acrPull = new authorization.RoleAssignment(
        `${name}-acrpull`,
        {
            scope,
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${acrPullRoleId}`,
        },
        { parent },
    );
    return { identity, acrPull };
}

/** A role given as a GUID is a built-in role of the subscription; a full id is used as it is. */
function roleDefinitionIdOf(role: pulumi.Input<string>, subscriptionId: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi
        .all([role, subscriptionId])
        .apply(([id, subscription]) =>
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
                ? `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${id}`
                : id,
        );
}

/** The application's roles on the group's identity, one role assignment per name in `roleAssignments`. */
function declareApplicationRoles(
    name: string,
    args: WindowsContainerGroupArgs,
    identity: managedidentity.UserAssignedIdentity,
    parent: pulumi.Resource,
): authorization.RoleAssignment[] {
    const roles = args.roleAssignments ?? {};
    const keys = Object.keys(roles).sort();
    if (keys.length === 0) return [];
    const client = authorization.getClientConfigOutput({ parent });
    return keys.map(
        (key) =>
            new authorization.RoleAssignment(
                `${name}-role-${key}`,
                {
                    scope: roles[key].scope,
                    principalId: identity.principalId,
                    principalType: "ServicePrincipal",
                    roleDefinitionId: roleDefinitionIdOf(roles[key].roleDefinitionId, client.subscriptionId),
                },
                { parent },
            ),
    );
}

/** Plain values first, then secure values, each sorted; secure values stay secret in Pulumi's state as in Azure's API. */
function environmentVariables(
    args: WindowsContainerGroupArgs,
): types.input.containerinstance.EnvironmentVariableArgs[] {
    const plain = args.environment ?? {};
    const secure = args.secureEnvironment ?? {};
    return [
        ...Object.keys(plain)
            .sort()
            .map((key) => ({ name: key, value: plain[key] })),
        ...Object.keys(secure)
            .sort()
            .map((key) => ({ name: key, secureValue: pulumi.secret(secure[key]) })),
    ];
}

/** The `hooks` option for the given error hooks; none when there are none. */
const onErrorHooks = (hooks: pulumi.ErrorHook[]) => (hooks.length > 0 ? { onError: hooks } : undefined);

function declareGroup(
    name: string,
    args: WindowsContainerGroupArgs,
    resolved: ResolvedContainerGroup,
    pull: PullIdentity,
    logs: DeclaredLogs,
    parent: pulumi.Resource,
): containerinstance.ContainerGroup {
    const ports = resolved.ports.map((port) => ({ port, protocol: "TCP" }));
    return new containerinstance.ContainerGroup(
        childName(name, "-group", azureNameRules.containerGroup),
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            osType: "Windows",
            restartPolicy: resolved.restartPolicy,
            identity: { type: "UserAssigned", userAssignedIdentities: [pull.identity.id] },
            imageRegistryCredentials: [{ server: args.registryServer, identity: pull.identity.id }],
            containers: [
                {
                    name: "app",
                    image: args.imageRef,
                    ports,
                    resources: { requests: { cpu: resolved.cpu, memoryInGB: resolved.memoryGb } },
                    environmentVariables: environmentVariables(args),
                },
            ],
            // No address unless asked for: a DNS label gives a public one, a subnet a private one.
            ipAddress:
                args.dnsNameLabel !== undefined || args.subnetId !== undefined
                    ? {
                          type: args.subnetId !== undefined ? "Private" : "Public",
                          ports,
                          dnsNameLabel: args.dnsNameLabel,
                          // A label is hashed with the tenant, so nobody else can take it over after a delete.
                          autoGeneratedDomainNameLabelScope: "TenantReuse",
                      }
                    : undefined,
            subnetIds: args.subnetId ? [{ id: args.subnetId }] : undefined,
            // Logs and events go to Log Analytics, sent with the workspace's key (a secret).
            diagnostics: {
                logAnalytics: {
                    workspaceId: logs.customerId,
                    workspaceKey: logs.sharedKey,
                    logType: "ContainerInstanceLogs",
                },
            },
        },
        // The first pull needs the role assignment in place, and Azure may take minutes to apply it: retry.
        {
            parent,
            dependsOn: [pull.acrPull],
            additionalSecretOutputs: ["diagnostics"],
            hooks: onErrorHooks(pullRetryHooks(name, resolved.pullRetries, parent)),
        },
    );
}

/** A Windows container group on Azure Container Instances. */
export class WindowsContainerGroup extends pulumi.ComponentResource {
    /** The container group's resource id. */
    public readonly containerGroupId: pulumi.Output<string>;
    /** The resource id of the user-assigned identity that pulls the image and that the application runs as. */
    public readonly identityId: pulumi.Output<string>;
    /** The identity's principal (object) id: what a role assignment or a Key Vault access policy names. */
    public readonly identityPrincipalId: pulumi.Output<string>;
    /** The identity's client id: what the application passes when it asks for a token (e.g. `AZURE_CLIENT_ID`). */
    public readonly identityClientId: pulumi.Output<string>;
    /** The resource ids of the application's role assignments (`roleAssignments`), by name. */
    public readonly roleAssignmentIds: pulumi.Output<{ [name: string]: string }>;
    /** The group's IP address: a DNS A record's value. */
    public readonly ipAddress: pulumi.Output<string | undefined>;
    /** The group's public DNS name (`<label>.<hash>.<region>.azurecontainer.io`) with `dnsNameLabel`: a CNAME's target. */
    public readonly fqdn: pulumi.Output<string | undefined>;
    /** `http://<fqdn or private IP>:<port>/` when the group has an address; undefined otherwise. */
    public readonly url: pulumi.Output<string | undefined>;
    /** The resource id of the Log Analytics workspace that holds the group's logs and events. */
    public readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
    /** The resource ids of the log alert rules (restarts, error lines); empty with `alerts.enabled: false`. */
    public readonly alertRuleIds: pulumi.Output<string[]>;

    constructor(name: string, args: WindowsContainerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("go-windows-containers:index:WindowsContainerGroup", name, {}, opts);
        const resolved = resolveArgsFor("WindowsContainerGroup", name, this, () => resolveContainerGroupArgs(args));
        if (resolved.compatibility.verdict === "unknown") void pulumi.log.warn(resolved.compatibility.message, this);
        const pull = declarePullIdentity(name, args, this);
        const logs = declareLogs(name, args, resolved, this);
        const group = declareGroup(name, args, resolved, pull, logs, this);
        const alerts = declareAlerts(name, args, resolved, group, logs, this);
        const roles = declareApplicationRoles(name, args, pull.identity, this);

        this.containerGroupId = group.id;
        this.identityId = pull.identity.id;
        this.identityPrincipalId = pull.identity.principalId;
        this.identityClientId = pull.identity.clientId;
        const roleNames = Object.keys(args.roleAssignments ?? {}).sort();
        this.roleAssignmentIds = pulumi
            .all(roles.map((role) => role.id))
            .apply((ids) => Object.fromEntries(ids.map((id, i) => [roleNames[i], id])));
        this.ipAddress = group.ipAddress.apply((ip) => ip?.ip);
        this.fqdn = group.ipAddress.apply((ip) => ip?.fqdn);
        const firstPort = resolved.ports[0];
        this.url = group.ipAddress.apply((ip) => {
            const host = ip?.fqdn ?? ip?.ip;
            return host ? `http://${host}:${firstPort}/` : undefined;
        });
        this.logAnalyticsWorkspaceId = logs.workspaceResourceId;
        this.alertRuleIds = pulumi.all(alerts.map((rule) => rule.id));
        this.registerOutputs({
            logAnalyticsWorkspaceId: this.logAnalyticsWorkspaceId,
            alertRuleIds: this.alertRuleIds,
            containerGroupId: this.containerGroupId,
            identityId: this.identityId,
            identityPrincipalId: this.identityPrincipalId,
            identityClientId: this.identityClientId,
            roleAssignmentIds: this.roleAssignmentIds,
            ipAddress: this.ipAddress,
            fqdn: this.fqdn,
            url: this.url,
        });
    }
}
