// The name limits of the Azure resources a container group creates: child names are fitted to them (see core/naming.ts).
import { NameRule } from "../core";

/** Physical-name limits less the 8 hex characters that azure-native's auto-naming appends. */
export const azureNameRules = {
    /** Container groups: 1 to 63 lowercase letters, digits and single hyphens. */
    containerGroup: { maxLength: 55, lowercase: true },
    /** User-assigned identities: 3 to 128 characters. */
    identity: { maxLength: 120 },
    /** Log Analytics workspaces: 4 to 63 letters, digits and hyphens. */
    workspace: { maxLength: 55 },
    /** Scheduled query rules: up to 260 characters. */
    alertRule: { maxLength: 252 },
} satisfies Record<string, NameRule>;
