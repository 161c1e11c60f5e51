"""The claims the test provider sends, and the spoiled tokens it can be asked for."""

import json
import time

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import RPInitiatedLogoutView

from symetrie.tests.oidc_provider import state


class Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email_verified": "email",
        "groups": "groups",
    }

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        # From the state file: the app's address is known once the tests' server is up.
        return redirect_uri in state.read()["client"]["redirect_uris"]

    def get_additional_claims(self, request):
        user = state.read()["users"][request.user.username]
        return {
            "email": user["email"],
            "email_verified": user["email_verified"],
            "name": user.get("name", ""),
            "groups": user.get("groups", []),
        }

    def finalize_id_token(self, id_token, token, token_handler, request):
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        spoil = state.read().get("spoil")
        if not spoil:
            return serialized
        original = jwt.JWT(jwt=serialized, key=request.client.jwk_key)
        header, claims = json.loads(original.header), json.loads(original.claims)
        key = request.client.jwk_key
        if spoil == "expired":
            claims.update(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
        elif spoil == "audience":
            claims["aud"] = "another-application"
        elif spoil == "forged":
            # Signed by a key of nobody's, under the provider's key id.
            key = jwk.JWK.generate(kty="RSA", size=2048)
        spoiled = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
        spoiled.make_signed_token(key)
        return spoiled.serialize()


class LogoutView(RPInitiatedLogoutView):
    """RP-initiated logout, back to an address of the state file."""

    def validate_post_logout_redirect_uri(self, application, post_logout_redirect_uri):
        allowed = state.read()["client"]["post_logout_redirect_uris"]
        if post_logout_redirect_uri and post_logout_redirect_uri not in allowed:
            super().validate_post_logout_redirect_uri(application, post_logout_redirect_uri)
