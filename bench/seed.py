"""Seeding the benchmark database through the app's own services and models.

What a real installation would hold, built the way the app builds it, so that the
rows, indexes and frozen questions the benchmarks hit are the real ones.
"""

import datetime
import random

from django.utils import timezone

from surveys.links import invitation_token
from surveys.models import Campaign, Invitation, Person, Questionnaire, Side, Team
from surveys.services import campaign_create, campaign_launch


def campaign_launched(*, name, slug, teams, sides):
    """A campaign of the built-in questionnaire over `teams`, created and launched (so
    opened at once, one invitation per person) by the app's services; returns it."""
    today = timezone.localdate()
    campaign = campaign_create(
        name=name,
        slug=slug,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        questionnaire=Questionnaire.objects.get(builtin=True),
        teams=teams,
        sides=sides,
        score_threshold=5,
        comment_threshold=10,
        reminder_days=[],
    )
    campaign_launch(campaign=campaign)
    return campaign


def answering_campaign(*, invitations):
    """An open campaign of the built-in questionnaire with `invitations` personal links.

    Teams and people are rows; the campaign is created and launched by the app's
    services (which freeze its questions, create the invitations and open it). Each
    invitation then gets a token the way the sending step gives one: a fresh raw
    token whose hash only is stored. Returns (campaign, jobs, form fields per side),
    a job being (raw token, side).
    """
    site = Team.objects.create(code="bench-site", name="Site")
    teams = [
        Team.objects.create(code=f"bench-team-{number}", name=f"Équipe {number}", parent=site)
        for number in range(1, 9)
    ]
    Person.objects.bulk_create(
        (
            Person(
                side=Side.EMPLOYEE if number % 2 else Side.CLIENT,
                email=f"person-{number}@bench.example.org",
                language="en" if number % 5 == 0 else "fr",
                team=teams[number % len(teams)],
            )
            for number in range(invitations)
        ),
        batch_size=2000,
    )
    # The invitation e-mails are queued on the run's own queue, which no worker reads
    # (deleted at the end of the run).
    campaign = campaign_launched(
        name="Baromètre bench",
        slug="bench",
        teams=[site, *teams],
        sides=[Side.EMPLOYEE, Side.CLIENT],
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN, campaign.status

    pending = list(campaign.invitations.order_by("id"))
    jobs = []
    for invitation in pending:
        token = invitation_token(invitation)
        invitation.sent_count = 1
        jobs.append((token, str(invitation.side)))
    Invitation.objects.bulk_update(
        pending, ["link_key", "token_hash", "sent_count"], batch_size=2000
    )
    random.Random(0).shuffle(jobs)

    # Plain strings: the client processes pickle them and never import Django.
    questions = {
        str(side): [
            (f"q{question.pk}", question.kind, len(question.choices or []))
            for question in campaign.questions.filter(side=side).order_by("order", "pk")
        ]
        for side in (Side.EMPLOYEE, Side.CLIENT)
    }
    return campaign, jobs, questions
