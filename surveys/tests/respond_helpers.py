"""Helpers for the answering tests: an open campaign, its links, and a complete answer."""

import datetime

from barometer.tests.factories import make_campaign
from surveys.links import new_invitation_token, new_public_token
from surveys.models import Invitation, Person, PublicLink, hash_token


def open_campaign(org, **kwargs):
    today = datetime.date.today()
    return make_campaign(
        kwargs.pop("slug", "barometre"),
        teams=[org["team"], org["sibling"]],
        closes_on=today + datetime.timedelta(days=14),
        **kwargs,
    )


def personal_link(campaign, team, side="employee", language="fr", email="lea@example.org"):
    """Invite one person; return (invitation, the raw token of their link)."""
    person = Person.objects.create(side=side, email=email, team=team, language=language)
    token = new_invitation_token()
    invitation = Invitation.objects.create(
        campaign=campaign,
        person=person,
        email=email,
        language=language,
        side=side,
        team=team,
        token_hash=hash_token(token),
    )
    return invitation, token


def public_link(campaign, team):
    return PublicLink.objects.create(campaign=campaign, team=team, token=new_public_token())


def full_answers(campaign, side, *, likert=4, nps=9, comment="Merci"):
    """A complete, valid post for every question of a side."""
    data = {}
    for question in campaign.questions.filter(side=side):
        if question.kind == "nps":
            data[f"q{question.pk}"] = str(nps)
        elif question.kind == "likert":
            data[f"q{question.pk}"] = str(likert)
        elif question.kind == "text":
            data[f"q{question.pk}"] = comment
    return data
