"""The addresses respondents receive: personal links (/r/<token>/) and public links (/q/<token>/).

Built from settings.SITE_URL, because they leave the site in e-mails and on paper.
"""

import base64
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

from surveys.models import hash_token

_LINK_SALT = "symetrie.invitation-link"


def new_invitation_token():
    """A fresh 256-bit token, not tied to any invitation (tests and benchmarks that
    write hashes directly). Invitations get theirs from `invitation_token`."""
    return secrets.token_urlsafe(32)


def new_link_key():
    """An invitation's random link key: 128 bits, stored, useless without the secret."""
    return secrets.token_urlsafe(16)


def link_token(link_key, secret=None):
    """The personal token of a link key: HMAC-SHA256 under SECRET_KEY, 43 URL-safe
    characters. The same key gives the same token, so every e-mail of a campaign
    carries the same link; the database holds the key and the token's hash, neither
    of which gives the link without the secret."""
    digest = salted_hmac(_LINK_SALT, link_key, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def invitation_token(invitation):
    """The invitation's personal token, giving it a link key and the token's hash
    first if it has none (the first e-mail). After SECRET_KEY is rotated, a link
    sent under a key of SECRET_KEY_FALLBACKS keeps working and keeps being sent.
    The caller saves `link_key` and `token_hash`."""
    if invitation.link_key and invitation.token_hash:
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
            token = link_token(invitation.link_key, secret)
            if hash_token(token) == invitation.token_hash:
                return token
    if not invitation.link_key:
        invitation.link_key = new_link_key()
    token = link_token(invitation.link_key)
    invitation.token_hash = hash_token(token)
    return token


def new_public_token():
    """A 96-bit public-link token: short enough to type from a poster, stored as is."""
    return secrets.token_urlsafe(12)


def invitation_url(token):
    """Absolute address of a personal answering link."""
    return f"{settings.SITE_URL.rstrip('/')}/r/{token}/"


def public_link_url(token):
    """Absolute address of a team's public answering link (the QR code's content)."""
    return f"{settings.SITE_URL.rstrip('/')}/q/{token}/"
