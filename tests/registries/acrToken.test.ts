// The ACR token exchange: the request it sends, and clear errors when the registry refuses or answers oddly.
import * as assert from "assert";
import { acrExchangeRequest, exchangeAadTokenForAcrRefreshToken } from "../../components/registries";
import * as mocks from "../support/mocks";

describe("exchangeAadTokenForAcrRefreshToken", () => {
    beforeEach(() => mocks.setupMocks());

    it("posts the AAD token to the registry's /oauth2/exchange and returns the refresh token", async () => {
        assert.strictEqual(
            await exchangeAadTokenForAcrRefreshToken("contoso.azurecr.io", "tenant", "aad"),
            mocks.fakeCredentials.acrRefreshToken,
        );
        const request = acrExchangeRequest("contoso.azurecr.io", "tenant", "aad");
        assert.deepStrictEqual(mocks.acrExchanges, [{ url: request.url, body: request.body.toString() }]);
        assert.strictEqual(
            request.body.toString(),
            "grant_type=access_token&service=contoso.azurecr.io&tenant=tenant&access_token=aad",
        );
    });

    it("says the identity needs AcrPush when the registry refuses", async () => {
        await assert.rejects(
            exchangeAadTokenForAcrRefreshToken("denied.azurecr.io", "t", "a"),
            /refused the Azure AD token exchange \(HTTP 401\).*AcrPush/,
        );
    });

    it("fails when the registry answers without a refresh token", async () => {
        await assert.rejects(
            exchangeAadTokenForAcrRefreshToken("empty.azurecr.io", "t", "a"),
            /without a refresh token/,
        );
    });
});
