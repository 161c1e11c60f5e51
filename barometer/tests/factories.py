"""Plain helpers that build campaigns and responses for the barometer tests."""

import datetime

from barometer.models import Snapshot
from surveys.builtin_template import ITEMS
from surveys.models import Answer, Campaign, CampaignQuestion, Invitation, Response


def make_campaign(
    slug="2026-q4", *, teams=(), closes_on=None, status="open", k=3, comments=3, live=True
):
    closes_on = closes_on or datetime.date(2026, 12, 15)
    campaign = Campaign.objects.create(
        name=slug.upper(),
        slug=slug,
        opens_on=closes_on - datetime.timedelta(days=30),
        closes_on=closes_on,
        status=status,
        score_threshold=k,
        comment_threshold=comments,
        live_results=live,
    )
    campaign.teams.add(*teams)
    CampaignQuestion.objects.bulk_create(
        CampaignQuestion(
            campaign=campaign,
            side=side,
            code=item["code"],
            dimension=item["dimension"] or "",
            kind=item["kind"],
            text_fr=item[f"{side}_fr"],
            text_en=item[f"{side}_en"],
            required=item["required"],
            order=order,
        )
        for order, item in enumerate(ITEMS)
        for side in ("employee", "client")
    )
    return campaign


def add_response(campaign, team, side, **answers):
    """One response; keyword arguments are question codes with a value (int) or text."""
    questions = {q.code: q for q in campaign.questions.filter(side=side)}
    response = Response.objects.create(
        campaign=campaign,
        team=team,
        side=side,
        submitted_on=campaign.opens_on,
        channel=Response.Channel.LINK,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=questions[code],
            value=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
        for code, value in answers.items()
    )
    return response


def add_responses(campaign, team, side, count, **answers):
    for _ in range(count):
        add_response(campaign, team, side, **answers)


def published_responses(campaign):
    """Responses in the campaign's published figures (both sides), or None before any."""
    snapshot = Snapshot.objects.latest_for(campaign)
    if snapshot is None:
        return None
    organisation = snapshot.document["organisation"]
    return sum(organisation[side].get("responses", 0) for side in ("employee", "client"))


def invite(campaign, team, side, count):
    Invitation.objects.bulk_create(
        Invitation(campaign=campaign, team=team, side=side, email=f"p{i}@example.org")
        for i in range(count)
    )
