"""Helpers shared by the campaign tests: people, the built-in template, a ready campaign."""

import datetime
import re

from django.utils import timezone

from surveys import services
from surveys.models import Person, Side, hash_token
from surveys.questionnaires import questionnaire_install_builtin

TOKEN_IN_LINK = re.compile(r"/r/([A-Za-z0-9_\-]{40,})/")


def logged_in(client, user):
    """`client` logged in as `user`, with the pages in English."""
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def builtin_questionnaire():
    """The built-in template, installed again if a transactional test flushed it."""
    return questionnaire_install_builtin()


def make_person(team, email, *, side=Side.EMPLOYEE, language="fr", name=""):
    return Person.objects.create(team=team, email=email, side=side, language=language, name=name)


def make_campaign(teams, *, slug="printemps", opens_in=0, days=20, sides=None, **fields):
    """A draft campaign on `teams` opening `opens_in` days from today."""
    opens_on = timezone.localdate() + datetime.timedelta(days=opens_in)
    values = {
        "name": slug.title(),
        "slug": slug,
        "opens_on": opens_on,
        "closes_on": opens_on + datetime.timedelta(days=days),
        "questionnaire": builtin_questionnaire(),
        "teams": teams,
        "sides": sides or [Side.EMPLOYEE, Side.CLIENT],
        "score_threshold": 5,
        "comment_threshold": 10,
        "reminder_days": [],
    }
    return services.campaign_create(**values | fields)


def tokens_in(messages):
    """The raw tokens of the personal links found in received e-mails, in order."""
    found = []
    for message in messages:
        body = message.get_body(preferencelist=("plain",)).get_content()
        found += TOKEN_IN_LINK.findall(body)
    return found


def hashes(tokens):
    return {hash_token(token) for token in tokens}
