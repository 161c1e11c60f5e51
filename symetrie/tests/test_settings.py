"""Configuration comes from the environment; a bad value stops start-up, naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
# Variables the test run sets that a production environment would not have.
SETTINGS_VARIABLES = {"SECRET_KEY", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qz!v2@pL9$wX4^mN8&bR1*tY6(uJ3)hG5-eD0+fC2=aS7%Lq",
    "ALLOWED_HOSTS": "barometre.example.org",
    "HTTPS": "true",
    "EMAIL_HOST": "smtp.example.org",
}


def manage(*args, **env):
    """Run manage.py in a fresh process with exactly the given settings variables."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_start_up_without_a_secret_key_fails_when_debug_is_off():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "perhaps", "DEBUG must be true or false"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("CELERY_BROKER_URL", "http://localhost:6379", "CELERY_BROKER_URL must be a URL"),
        ("DATABASE_URL", "nonsense://x", "DATABASE_URL is not a usable database URL"),
        ("BROKER_TIMEOUT", "soon", "BROKER_TIMEOUT must be a number"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be"),
        ("AUDIT_RETENTION_DAYS", "0", "AUDIT_RETENTION_DAYS must be at least 1"),
        ("MAIL_RETRY_DELAY", "soon", "MAIL_RETRY_DELAY must be a whole number"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value, message):
    env = {**PRODUCTION, "EMAIL_PORT": "25", variable: value}
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_embedded_defaults_need_no_configuration():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def _setting(expression, **env):
    result = manage("shell", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's own greeting


def test_the_audit_log_is_kept_400_days_unless_configured():
    assert _setting("settings.AUDIT_RETENTION_DAYS", DEBUG="true") == "400"
    configured = _setting("settings.AUDIT_RETENTION_DAYS", DEBUG="true", AUDIT_RETENTION_DAYS="30")
    assert configured == "30"


def test_a_tls_broker_url_checks_the_server_certificate():
    broker = "settings.CELERY_BROKER_USE_SSL['ssl_cert_reqs'].name"
    assert _setting(
        broker, **PRODUCTION, CELERY_BROKER_URL="rediss://redis.example.org:6380/0"
    ) == ("CERT_REQUIRED")


# --- single sign-on ---------------------------------------------------------------------

SSO = {
    "OIDC_ISSUER": "https://login.example.org/realms/staff",
    "OIDC_CLIENT_ID": "symetrie",
    "OIDC_CLIENT_SECRET": "a-client-secret",
}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ISSUER": "ftp://login.example.org"}, "OIDC_ISSUER must be a URL"),
        ({"OIDC_ISSUER": "http://login.example.org"}, "OIDC_ISSUER must start with https://"),
        ({"OIDC_CLIENT_ID": ""}, "OIDC_CLIENT_ID is required when OIDC_ISSUER is set"),
        ({"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set"),
        ({"OIDC_SCOPES": "email profile"}, "OIDC_SCOPES must include openid"),
        ({"OIDC_HR_CLAIM": "groups"}, "OIDC_HR_CLAIM and OIDC_HR_VALUE go together"),
        ({"OIDC_SIGN_ALGO": "HS256"}, "OIDC_SIGN_ALGO must be RS256"),
        ({"OIDC_TIMEOUT": "soon"}, "OIDC_TIMEOUT must be a number"),
        ({"LOCAL_LOGIN": "perhaps"}, "LOCAL_LOGIN must be true or false"),
        ({"OIDC_ISSUER": "", "LOCAL_LOGIN": "false"}, "LOCAL_LOGIN=false needs single sign-on"),
    ],
)
def test_a_bad_single_sign_on_setting_stops_start_up_naming_it(env, message):
    result = manage("check", **{**PRODUCTION, **SSO, **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_single_sign_on_settings_are_read_from_the_environment():
    env = {**PRODUCTION, **SSO, "OIDC_SCOPES": "openid, email groups", "LOCAL_LOGIN": "false"}
    assert _setting("settings.OIDC_RP_SCOPES", **env) == "openid email groups"
    assert _setting("settings.LOCAL_LOGIN", **env) == "False"
    # The logout form goes on to the provider: the CSP lets a form lead there.
    assert _setting("settings.SECURE_CSP['form-action']", **env) == (
        "[<CSP.SELF: \"'self'\">, 'https://login.example.org']"
    )
    domains = _setting(
        "settings.OIDC_NEW_ACCOUNT_DOMAINS", **env, OIDC_NEW_ACCOUNT_DOMAINS="@A.org, b.org"
    )
    assert domains == "['a.org', 'b.org']"


def test_the_deployment_check_stops_on_an_issuer_that_does_not_answer():
    issuer = f"http://127.0.0.1:{free_port()}/realms/staff"  # nothing listens there
    env = {**PRODUCTION, **SSO, "OIDC_ISSUER": issuer, "OIDC_TIMEOUT": "1"}
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert f"OIDC_ISSUER {issuer} is not usable" in result.stderr
