"""One person's data: everything held about them, and erasing them.

What is held is their contact record and their invitations. Their answers are not
held *about them*: a Response has no link to an invitation or a person, and
nothing here may create one.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from surveys.models import Invitation


def person_invitations(person):
    """The invitations held about `person`: theirs, and those left with their address
    and side but no person (the person row was deleted and imported again since)."""
    return Invitation.objects.filter(
        Q(person=person) | Q(person=None, side=person.side, email__iexact=person.email)
    )


def person_data(person):
    """Everything held about `person`, as a JSON-ready dict: the contact record and
    each invitation's status (sent, reminded, used, whether a link is live).

    Answers are never part of it: they are not linked to anyone.
    """
    return {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "person": {
            "id": person.pk,
            "email": person.email,
            "name": person.name,
            "side": person.side,
            "language": person.language,
            "team": {"code": person.team.code, "name": person.team.name},
        },
        "invitations": [
            {
                "campaign": {
                    "slug": invitation.campaign.slug,
                    "name": invitation.campaign.name,
                    "status": invitation.campaign.status,
                    "opens_on": invitation.campaign.opens_on.isoformat(),
                    "closes_on": invitation.campaign.closes_on.isoformat(),
                },
                "email": invitation.email,
                "side": invitation.side,
                "team": invitation.team.code,
                "language": invitation.language,
                "sent_count": invitation.sent_count,
                "reminded_count": invitation.reminded_count,
                "used": invitation.used,
                "link_active": invitation.token_hash is not None,
            }
            for invitation in person_invitations(person)
            .select_related("campaign", "team")
            .order_by("campaign__opens_on", "campaign__slug")
        ],
    }


@transaction.atomic
def person_erase(*, person):
    """Delete `person` and strip their invitations down to what response rates need
    (campaign, team, side, used): address, person, link key and hash go, as in the
    retention purge. Answers stay, as unlinked as they were. Returns how many
    invitations were stripped."""
    stripped = person_invitations(person).update(
        email="", person=None, token_hash=None, link_key=None
    )
    person.delete()
    return stripped
