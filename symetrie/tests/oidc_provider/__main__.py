"""Start the test provider: `python -m symetrie.tests.oidc_provider PORT`.

PROVIDER_STATE_DIR holds key.pem and state.json (written by the fixture);
PROVIDER_ISSUER is the issuer URL it announces.
"""

import os
import sys

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "symetrie.tests.oidc_provider.settings"


def main(port):
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from symetrie.tests.oidc_provider import state

    call_command("migrate", verbosity=0)
    current = state.read()
    for username, user in current["users"].items():
        account = User.objects.create_user(username, email=user["email"])
        account.set_password(user["password"])
        account.save()
    client = current["client"]
    Application.objects.create(
        name="Symétrie",
        client_id=client["id"],
        client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        # Checked against the state file instead (claims.py), which the tests may change.
        redirect_uris="http://127.0.0.1/unused/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    print("provider ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
