"""What a link opens: its invitation or public link, with the campaign read alongside,
and the campaign's frozen questions of one side."""

from surveys.models import CampaignQuestion, Invitation, PublicLink, hash_token

# Personal tokens are 43 URL-safe characters, public ones 16; anything far from that
# is refused before touching the database.
TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
# What the answering pages read of a link's campaign; any other field is read from the
# database when first used (a query more, never a wrong value).
CAMPAIGN_FIELDS = ("id", "name", "status", "opens_on", "closes_on", "ask_clients", "created_at")
_CAMPAIGN = tuple(f"campaign__{name}" for name in CAMPAIGN_FIELDS)
INVITATION_FIELDS = ("id", "campaign", "team", "side", "language", "used")
PUBLIC_LINK_FIELDS = ("id", "campaign", "team")


def _plausible(token):
    return 8 <= len(token) <= 128 and set(token) <= TOKEN_CHARACTERS


def _one(queryset):
    try:
        return queryset.get()
    except queryset.model.DoesNotExist:
        return None


def invitation_for(token):
    """The Invitation of a personal token, its campaign loaded with it in one query, or
    None for anything unknown or malformed."""
    if not _plausible(token):
        return None
    return _one(
        Invitation.objects.select_related("campaign")
        .only(*INVITATION_FIELDS, *_CAMPAIGN)
        .filter(token_hash=hash_token(token))
    )


def public_link_for(token):
    """The PublicLink of a public token, its campaign loaded with it in one query, or None."""
    if not _plausible(token):
        return None
    return _one(
        PublicLink.objects.select_related("campaign")
        .only(*PUBLIC_LINK_FIELDS, *_CAMPAIGN)
        .filter(token=token)
    )


def questions_for(campaign, side):
    """The campaign's frozen questions of one side, in order."""
    return list(
        CampaignQuestion.objects.filter(campaign=campaign, side=side).order_by("order", "pk")
    )
