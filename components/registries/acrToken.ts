// Exchanges the deployer's Azure AD token for an ACR refresh token, as `az acr login` does, so pushes need no admin user.

/** The user name ACR expects with a refresh token obtained through the AAD exchange. */
export const acrTokenUserName = "00000000-0000-0000-0000-000000000000";

/** The request `exchangeAadTokenForAcrRefreshToken` sends: exposed so that tests can check it. */
export function acrExchangeRequest(
    loginServer: string,
    tenantId: string,
    aadAccessToken: string,
): { url: string; body: URLSearchParams } {
    return {
        url: `https://${loginServer}/oauth2/exchange`,
        body: new URLSearchParams({
            grant_type: "access_token",
            service: loginServer,
            tenant: tenantId,
            access_token: aadAccessToken,
        }),
    };
}

/**
 * Calls the registry's `/oauth2/exchange` endpoint. The refresh token it returns lets Docker push with the
 * deployer's own Azure role (AcrPush or Contributor) and expires after about three hours, so it is fetched
 * on every run and never stored unencrypted.
 */
export async function exchangeAadTokenForAcrRefreshToken(
    loginServer: string,
    tenantId: string,
    aadAccessToken: string,
): Promise<string> {
    const request = acrExchangeRequest(loginServer, tenantId, aadAccessToken);
    const response = await fetch(request.url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: request.body,
    });
    if (!response.ok) {
        throw new Error(
            `The registry ${loginServer} refused the Azure AD token exchange (HTTP ${response.status}). ` +
                "The identity running Pulumi needs the AcrPush role on the registry.",
        );
    }
    const body = (await response.json()) as { refresh_token?: unknown };
    if (typeof body.refresh_token !== "string" || body.refresh_token === "") {
        throw new Error(`The registry ${loginServer} answered the token exchange without a refresh token.`);
    }
    return body.refresh_token;
}
