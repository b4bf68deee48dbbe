// What a registry made by this package asks Azure for by default: admin user and anonymous pull off, AAD-as-ARM on.
export function defaultRegistryInputs(fields: Record<string, unknown>): Record<string, unknown> {
    return {
        ...fields,
        sku: { name: "Standard" },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        networkRuleBypassOptions: "AzureServices",
        publicNetworkAccess: "Enabled",
        zoneRedundancy: "Disabled",
        policies: { azureADAuthenticationAsArmPolicy: { status: "enabled" } },
    };
}
