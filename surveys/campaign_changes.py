"""Changing a campaign after its launch, and the steps around it (keyword-only args).

Edits of a scheduled or open campaign (name, close date, reminders, invitation text),
teams and people added to it, a duplicate for the next round, its links erased once
closed, a draft deleted, and the test e-mails HR sends themselves. Lifecycle steps
(launch, open, remind, close, reopen) stay in surveys.services.
"""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.core.mail import mailers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import sending
from surveys.emails import sample_messages
from surveys.links import new_public_token
from surveys.models import Campaign, Invitation, Person, PublicLink
from surveys.services import CampaignError, campaign_create
from surveys.teams import campaign_tree_extend

Status = Campaign.Status
# What HR may still change once a campaign is launched: the rest (questions, sides,
# thresholds, results mode) is fixed, because figures are built on it.
LAUNCHED_EDITABLE = ("name", "closes_on", "reminder_days", "invitation_text")
# The fields an edit's audit entry compares, before and after.
AUDITED_FIELDS = (
    "name",
    "slug",
    "opens_on",
    "closes_on",
    "reminder_days",
    "invitation_text",
    "score_threshold",
    "comment_threshold",
    "live_results",
    "ask_employees",
    "ask_clients",
)


def _locked(campaign, statuses, refusal):
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in statuses:
        raise CampaignError(refusal)
    return campaign


# --- the audit's before and after ---------------------------------------------


def campaign_fields(campaign):
    """The campaign's settings as comparable plain values (teams as sorted codes)."""
    values = {name: getattr(campaign, name) for name in AUDITED_FIELDS}
    values["teams"] = sorted(campaign.teams.values_list("code", flat=True))
    values["questionnaire"] = campaign.questionnaire.name if campaign.questionnaire else ""
    return values


def changes_between(before, after):
    """``{field: (before, after)}`` of the fields whose value differs."""
    return {
        name: (before[name], after.get(name)) for name in before if before[name] != after.get(name)
    }


def changes_text(changes):
    """One line for the audit log: ``field: before → after; …`` (long texts shortened)."""

    def shown(value):
        text = value.isoformat() if isinstance(value, datetime.date) else str(value)
        return text if len(text) <= 80 else text[:77] + "…"

    return "; ".join(f"{name}: {shown(old)} → {shown(new)}" for name, (old, new) in changes.items())


# --- editing a launched campaign ------------------------------------------------


@transaction.atomic
def campaign_edit_launched(*, campaign, today=None, **fields):
    """Change what may still change on a scheduled or open campaign; return the changes
    as ``{field: (before, after)}`` (empty when nothing changed).

    `fields` are among LAUNCHED_EDITABLE. Raises CampaignError, changing nothing, when
    the campaign is a draft or closed, the close date is before today or the opening,
    or a reminder would fall after the close.
    """
    today = today or timezone.localdate()
    campaign = _locked(
        campaign,
        (Status.SCHEDULED, Status.OPEN),
        _("Only a scheduled or open campaign can be changed this way."),
    )
    unknown = set(fields) - set(LAUNCHED_EDITABLE)
    if unknown:
        raise CampaignError(_("These settings are fixed once launched: %s") % ", ".join(unknown))
    closes_on = fields.get("closes_on", campaign.closes_on)
    if closes_on != campaign.closes_on and closes_on < today:
        raise CampaignError(
            _("The close date cannot be before today (%(today)s).") % {"today": today.isoformat()}
        )
    if closes_on < campaign.opens_on:
        raise CampaignError(_("The close date must be on or after the opening date."))
    last = (closes_on - campaign.opens_on).days
    if any(day > last for day in fields.get("reminder_days", campaign.reminder_days)):
        raise CampaignError(
            _("A reminder would go out after the close date (day %(last)s).") % {"last": last}
        )
    changes = {
        name: (getattr(campaign, name), value)
        for name, value in fields.items()
        if getattr(campaign, name) != value
    }
    for name, (_before, value) in changes.items():
        setattr(campaign, name, value)
    if changes:
        campaign.save(update_fields=list(changes))
    return changes


# --- adding teams and people ------------------------------------------------------


@dataclass
class Extension:
    """What adding teams and people to a launched campaign does (or did)."""

    teams: list = field(default_factory=list)  # the teams new to the campaign
    people: list = field(default_factory=list)  # the people to invite, none invited already

    def per_side(self):
        counts = {}
        for person in self.people:
            counts[person.side] = counts.get(person.side, 0) + 1
        return counts


def campaign_extension_plan(*, campaign, teams=(), people=(), newcomers=False):
    """The Extension that `campaign_extend` would make, without writing anything.

    `teams` join with their people on the asked sides; `people` must be in the
    campaign's teams (or in the teams added) and on an asked side; `newcomers` adds the
    people of the campaign's teams who have no invitation yet (imported since the
    launch). Nobody already invited is in the plan. Raises CampaignError when the
    campaign is not scheduled or open, or a person cannot join (saying who and why).
    """
    if campaign.status not in (Status.SCHEDULED, Status.OPEN):
        raise CampaignError(
            _("Teams and people can only be added to a scheduled or open campaign.")
        )
    current = set(campaign.teams.values_list("pk", flat=True))
    new_teams = sorted(
        (team for team in teams if team.pk not in current), key=lambda team: team.name
    )
    team_ids = current | {team.pk for team in new_teams}
    for person in people:
        if person.side not in campaign.sides:
            raise CampaignError(
                _("%(email)s is on a side this campaign does not ask.") % {"email": person.email}
            )
        if person.team_id not in team_ids:
            raise CampaignError(
                _(
                    "%(email)s is in the team “%(team)s”, which this campaign does not ask: "
                    "add the team."
                )
                % {"email": person.email, "team": person.team.name}
            )
    wanted = Person.objects.filter(side__in=campaign.sides).filter(
        pk__in={person.pk for person in people}
    ) | Person.objects.filter(side__in=campaign.sides, team__in=new_teams)
    if newcomers:
        wanted = wanted | Person.objects.filter(side__in=campaign.sides, team_id__in=current)
    invited = Invitation.objects.filter(campaign=campaign, person__isnull=False)
    wanted = wanted.exclude(pk__in=invited.values("person_id")).select_related("team")
    return Extension(teams=new_teams, people=list(wanted.distinct().order_by("email")))


@transaction.atomic
def campaign_extend(*, campaign, teams=(), people=(), newcomers=False):
    """Add teams and people to a scheduled or open campaign; return the Extension made.

    The added teams join the campaign and become new leaves of its frozen tree (the
    teams already there keep their place, so published figures keep their meaning),
    with a public link each when clients are asked. Each person in the plan gets an
    invitation, e-mailed after the commit when the campaign is open (at its opening
    otherwise). Nobody is invited twice. Raises CampaignError as the plan does.
    """
    campaign = _locked(
        campaign,
        (Status.SCHEDULED, Status.OPEN),
        _("Teams and people can only be added to a scheduled or open campaign."),
    )
    plan = campaign_extension_plan(
        campaign=campaign, teams=teams, people=people, newcomers=newcomers
    )
    if plan.teams:
        campaign.teams.add(*plan.teams)
        campaign_tree_extend(campaign=campaign, teams=plan.teams)
        if campaign.ask_clients:
            PublicLink.objects.bulk_create(
                (
                    PublicLink(campaign=campaign, team=team, token=new_public_token())
                    for team in plan.teams
                ),
                ignore_conflicts=True,
            )
    Invitation.objects.bulk_create(
        (
            Invitation(
                campaign=campaign,
                person=person,
                email=person.email,
                language=person.language,
                side=person.side,
                team_id=person.team_id,
            )
            for person in plan.people
        ),
        ignore_conflicts=True,
    )
    if campaign.status == Status.OPEN:
        sending.enqueue_invitations(
            campaign.invitations.filter(
                sent_count=0, person__in=[person.pk for person in plan.people]
            ).exclude(email="")
        )
    return plan


# --- the next round, and the end of the road ----------------------------------------


def campaign_duplicate(*, campaign, name, slug, opens_on, closes_on):
    """A new draft from `campaign`: its active teams, sides, thresholds, results mode,
    reminder schedule, invitation text and template, on new dates. Returns it.

    Raises CampaignError when the template was deleted since, none of its teams is
    still active, or the slug is taken.
    """
    if campaign.questionnaire is None:
        raise CampaignError(_("This campaign’s template was deleted: create a new campaign."))
    teams = list(campaign.teams.active())
    if not teams:
        raise CampaignError(_("All the teams of this campaign are archived."))
    last = (closes_on - opens_on).days
    return campaign_create(
        name=name,
        slug=slug,
        opens_on=opens_on,
        closes_on=closes_on,
        questionnaire=campaign.questionnaire,
        teams=teams,
        sides=campaign.sides,
        score_threshold=campaign.score_threshold,
        comment_threshold=campaign.comment_threshold,
        reminder_days=[day for day in campaign.reminder_days if day <= last],
        live_results=campaign.live_results,
        invitation_text=campaign.invitation_text,
    )


@transaction.atomic
def campaign_links_erase(*, campaign):
    """Erase now, as the retention purge would later, the e-mail addresses, people and
    link hashes of a closed campaign's invitations; return how many were erased.

    What stays: whether each invitation was used, per team and side (the response
    rates), and the answers. Afterwards the campaign can no longer reopen. Raises
    CampaignError unless the campaign is closed.
    """
    campaign = _locked(
        campaign, (Status.CLOSED,), _("Only a closed campaign’s links can be erased.")
    )
    return campaign.invitations.exclude(email="", person=None, token_hash=None).update(
        email="", person=None, token_hash=None
    )


@transaction.atomic
def campaign_delete(*, campaign):
    """Delete a draft (nothing was sent for it); return its name.

    Raises CampaignError once launched: a launched campaign has invitations and maybe
    answers, which stay.
    """
    campaign = _locked(campaign, (Status.DRAFT,), _("Only a draft campaign can be deleted."))
    name = campaign.name
    campaign.delete()
    return name


# --- test e-mails ----------------------------------------------------------------------


def campaign_test_email(*, campaign, to, side):
    """Send `to` the invitation and the reminder of `campaign` for `side`, in French and
    in English (four e-mails); return how many left.

    Their link is an example that opens no questionnaire. Raises CampaignError when
    there is no address or the mail server cannot be reached.
    """
    if not to:
        raise CampaignError(
            _("Your account has no e-mail address: ask an administrator to add one.")
        )
    messages = sample_messages(campaign=campaign, side=side, to=to)
    try:
        with mailers.default as connection:
            return connection.send_messages(messages) or 0
    except (smtplib.SMTPException, OSError):
        raise CampaignError(
            _("The mail server could not be reached: no test e-mail left. Try again later.")
        ) from None
