"""The addresses respondents receive: personal links (/r/<token>/) and public links (/q/<token>/).

Built from settings.SITE_URL, because they leave the site in e-mails and on paper.
"""

import secrets

from django.conf import settings


def new_invitation_token():
    """A fresh 256-bit personal token. Only its hash is stored (surveys.models.hash_token)."""
    return secrets.token_urlsafe(32)


def new_public_token():
    """A 96-bit public-link token: short enough to type from a poster, stored as is."""
    return secrets.token_urlsafe(12)


def invitation_url(token):
    """Absolute address of a personal answering link."""
    return f"{settings.SITE_URL.rstrip('/')}/r/{token}/"


def public_link_url(token):
    """Absolute address of a team's public answering link (the QR code's content)."""
    return f"{settings.SITE_URL.rstrip('/')}/q/{token}/"
