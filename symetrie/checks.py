"""Start-up checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

from symetrie.sso import ProviderUnavailable, provider_metadata


@checks.register("sso", deploy=True)
def sso_provider_answers(app_configs, **kwargs):
    """With single sign-on on, the issuer must answer with its discovery document."""
    if not settings.SSO_ENABLED:
        return []
    try:
        provider_metadata()
    except ProviderUnavailable as error:
        return [
            checks.Error(
                f"OIDC_ISSUER {settings.OIDC_ISSUER} is not usable: {error}",
                hint="Check OIDC_ISSUER and that this host reaches the provider.",
                id="symetrie.E001",
            )
        ]
    return []
