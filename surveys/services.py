"""Side-effecting operations of the surveys app: the campaign lifecycle (keyword-only args).

A campaign goes draft → scheduled → open → closed. Launching creates the invitations
and public links; a campaign whose opening day has come opens at once, otherwise the
calendar task opens it on its day. E-mails leave through Celery tasks that receive
invitation ids only (see surveys.sending), so the raw token of a personal link never
reaches the database, the broker, a log or a task argument.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from barometer.refresh import snapshot_final_later, snapshot_reopened
from surveys import sending, shuffle
from surveys.links import new_public_token
from surveys.models import Campaign, Invitation, Person, PublicLink, Side
from surveys.questionnaires import campaign_questions_freeze
from surveys.teams import campaign_tree_freeze

MAX_REMINDERS = 3
# A closed campaign may open again for this many days after its close.
REOPEN_DAYS = 30
Status = Campaign.Status


class CampaignError(Exception):
    """A lifecycle step that cannot be done; its message is written for HR."""


# --- creating and editing drafts --------------------------------------------


def campaign_create(
    *,
    name,
    slug,
    opens_on,
    closes_on,
    questionnaire,
    teams,
    sides,
    score_threshold,
    comment_threshold,
    reminder_days,
    live_results=False,
    invitation_text="",
):
    """Create a draft campaign on `teams` with its own frozen copy of the template's questions.

    Raises CampaignError (and creates nothing) when the slug was taken in the meantime or
    the template has no question for an asked side.
    """
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                name=name,
                slug=slug,
                opens_on=opens_on,
                closes_on=closes_on,
                questionnaire=questionnaire,
                ask_employees=Side.EMPLOYEE in sides,
                ask_clients=Side.CLIENT in sides,
                score_threshold=score_threshold,
                comment_threshold=comment_threshold,
                reminder_days=reminder_days,
                live_results=live_results,
                invitation_text=invitation_text,
            )
            campaign.teams.set(teams)
            _questions_freeze(campaign, questionnaire)
    except IntegrityError:
        raise CampaignError(_("A campaign already uses this slug: choose another one.")) from None
    return campaign


@transaction.atomic
def campaign_update(*, campaign, teams, sides, questionnaire, **fields):
    """Change a draft's settings; re-freeze its questions if the template or the sides changed.

    `fields` are the other arguments of `campaign_create`. Raises CampaignError once launched:
    a launched campaign's questions and audience are fixed.
    """
    campaign = _locked(campaign, Status.DRAFT, _("Only a draft campaign can be edited."))
    refreeze = questionnaire != campaign.questionnaire or set(sides) != set(campaign.sides)
    for field, value in fields.items():
        setattr(campaign, field, value)
    campaign.questionnaire = questionnaire
    campaign.ask_employees = Side.EMPLOYEE in sides
    campaign.ask_clients = Side.CLIENT in sides
    campaign.save()
    campaign.teams.set(teams)
    if refreeze:
        _questions_freeze(campaign, questionnaire)
    return campaign


def _questions_freeze(campaign, questionnaire):
    try:
        campaign_questions_freeze(campaign=campaign, questionnaire=questionnaire)
    except ValidationError as error:
        raise CampaignError(error.messages[0]) from None


# --- launching, opening, closing --------------------------------------------


def campaign_launch(*, campaign, today=None):
    """Create the invitations and public links of a draft, then open it if its day has come.

    One invitation per person of the included teams on the asked sides (no token yet: it
    is drawn when the e-mail leaves); one public link per team when clients are asked.
    Raises CampaignError unless the campaign is a draft that can still run and reaches
    somebody; launching twice therefore creates nothing twice.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = _locked(campaign, Status.DRAFT, _("This campaign has already been launched."))
        if campaign.closes_on < today:
            raise CampaignError(_("The close date has passed: change the dates, then launch."))
        team_ids = list(campaign.teams.values_list("id", flat=True))
        people = Person.objects.filter(team_id__in=team_ids, side__in=campaign.sides)
        if not campaign.ask_clients and not people.exists():
            raise CampaignError(_("Nobody to invite: the chosen teams have nobody on these sides."))
        # ignore_conflicts: the (campaign, person) constraint keeps a second launch harmless.
        Invitation.objects.bulk_create(
            (
                Invitation(
                    campaign=campaign,
                    person_id=person_id,
                    email=email,
                    language=language,
                    side=side,
                    team_id=team_id,
                )
                for person_id, email, language, side, team_id in people.values_list(
                    "id", "email", "language", "side", "team_id"
                )
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )
        if campaign.ask_clients:
            PublicLink.objects.bulk_create(
                (
                    PublicLink(campaign=campaign, team_id=team_id, token=new_public_token())
                    for team_id in team_ids
                ),
                ignore_conflicts=True,
            )
        campaign.status = Status.SCHEDULED
        campaign.save(update_fields=["status"])
        campaign_tree_freeze(campaign=campaign)
        if campaign.opens_on <= today:
            _open(campaign, today)
    return campaign


def campaign_open(*, campaign, today=None):
    """Open a scheduled campaign now (before its day, by hand) and send its invitations.

    Raises CampaignError unless it is scheduled and its close date has not passed.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = _locked(campaign, Status.SCHEDULED, _("Only a scheduled campaign can open."))
        if campaign.closes_on < today:
            raise CampaignError(_("The close date has passed: this campaign can no longer open."))
        _open(campaign, today)
    return campaign


def _open(campaign, today):
    campaign.status = Status.OPEN
    # The reminder schedule counts from the day the campaign really opened.
    campaign.opens_on = today
    campaign.save(update_fields=["status", "opens_on"])
    sending.enqueue_invitations(campaign.invitations.filter(sent_count=0).exclude(email=""))


def campaign_close(*, campaign, today=None):
    """Stop the answers of an open campaign and trigger its final barometer.

    Closing before the close date records today as the close date. Raises CampaignError
    unless the campaign is open.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = _locked(campaign, Status.OPEN, _("Only an open campaign can be closed."))
        campaign.status = Status.CLOSED
        campaign.closes_on = min(campaign.closes_on, today)
        campaign.save(update_fields=["status", "closes_on"])
        transaction.on_commit(partial(barometer_refresh_on_close, campaign=campaign))
        shuffle.responses_shuffle_later(campaign_id=campaign.pk)
    return campaign


def campaign_reopen(*, campaign, closes_on, today=None):
    """Open a closed campaign again until ``closes_on``, for the people who have not answered.

    Its figures stay those published at the close: what comes in after it is published by
    the same rules as before (live releases of at least k new respondents, or at the next
    close), never by replacing what was published. Raises CampaignError unless the campaign
    closed less than REOPEN_DAYS ago, no later campaign has opened since, its links were
    not purged, and ``closes_on`` is not before today.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = _locked(campaign, Status.CLOSED, _("Only a closed campaign can be reopened."))
        if campaign.historical:
            raise CampaignError(_("An imported past campaign cannot reopen."))
        if (today - campaign.closes_on).days >= REOPEN_DAYS:
            raise CampaignError(
                _("This campaign closed more than %(days)s days ago: it can no longer reopen.")
                % {"days": REOPEN_DAYS}
            )
        if closes_on < today:
            raise CampaignError(_("The new close date cannot be in the past."))
        later = Campaign.objects.exclude(pk=campaign.pk).filter(
            opens_on__gt=campaign.opens_on,
            status__in=[Status.OPEN, Status.CLOSED],
        )
        if later.exists():
            raise CampaignError(_("A later campaign has opened since: this one cannot reopen."))
        # Erased links leave every invitation without an address (the retention purge,
        # or HR erasing them); one person erased leaves the others' links working.
        invitations = campaign.invitations
        if invitations.exists() and not invitations.exclude(email="").exists():
            raise CampaignError(_("Its personal links were erased: this campaign cannot reopen."))
        if not snapshot_reopened(campaign_id=campaign.pk):
            raise CampaignError(
                _("Its results were published by an earlier version: it cannot reopen.")
            )
        campaign.status = Status.OPEN
        campaign.closes_on = closes_on
        campaign.save(update_fields=["status", "closes_on"])
    return campaign


def barometer_refresh_on_close(*, campaign):
    """Queue the final barometer computation of a campaign that just closed.

    Runs after the close is committed. A broker outage only delays it: the sweep
    recomputes every campaign whose snapshot does not show its current status.
    """
    snapshot_final_later(campaign_id=campaign.pk)


# --- reminders and sending --------------------------------------------------


def campaign_remind(*, campaign, today=None):
    """Send a reminder, with a new personal link, to everybody invited who has not answered.

    Returns the reminder's number (1 to 3). Raises CampaignError if the campaign is not
    open, already sent three reminders, or has nobody left to remind.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = _locked(campaign, Status.OPEN, _("Only an open campaign can send reminders."))
        if campaign.reminders_sent >= MAX_REMINDERS:
            raise CampaignError(_("This campaign has already sent its three reminders."))
        reminder_round = campaign.reminders_sent + 1
        pending = _reminders_pending(campaign, reminder_round)
        if not pending.exists():
            raise CampaignError(_("Nobody to remind: everybody invited has answered."))
        campaign.reminders_sent = reminder_round
        campaign.last_reminder_on = today
        campaign.save(update_fields=["reminders_sent", "last_reminder_on"])
        sending.enqueue_reminders(pending, reminder_round)
    return reminder_round


def campaign_mail_pending(*, campaign):
    """Queue again every e-mail of an open campaign that has not left yet; return how many.

    For a broker or mail server that was down: sending is idempotent, so an e-mail
    queued twice still leaves once.
    """
    with transaction.atomic():
        campaign = Campaign.objects.get(pk=campaign.pk)  # its status and reminders as of now
        if campaign.status != Status.OPEN:
            return 0
        invitations = campaign.invitations.filter(sent_count=0).exclude(email="")
        reminders = _reminders_pending(campaign, campaign.reminders_sent)
        return sending.enqueue_invitations(invitations) + sending.enqueue_reminders(
            reminders, campaign.reminders_sent
        )


def _reminders_pending(campaign, reminder_round):
    return campaign.invitations.filter(
        used=False, sent_count__gt=0, reminded_count__lt=reminder_round
    ).exclude(email="")


# --- the calendar -----------------------------------------------------------


def campaigns_follow_calendar(*, today=None):
    """Move every campaign along its calendar; return the slugs moved, by step.

    Opens the scheduled campaigns whose day has come, closes the open ones past their
    close date (and the scheduled ones that missed theirs), sends the reminders due on
    their schedule, and queues again any e-mail still pending. Safe to run any number
    of times: each step happens once.
    """
    today = today or timezone.localdate()
    done = {"opened": [], "closed": [], "reminded": []}
    missed = Campaign.objects.filter(status=Status.SCHEDULED, closes_on__lt=today)
    done["closed"] += missed.values_list("slug", flat=True)
    missed.update(status=Status.CLOSED)
    for campaign in Campaign.objects.filter(status=Status.SCHEDULED, opens_on__lte=today):
        _calendar_step(done["opened"], campaign_open, campaign, today)
    for campaign in Campaign.objects.open().filter(closes_on__lt=today):
        _calendar_step(done["closed"], campaign_close, campaign, today)
    for campaign in Campaign.objects.open():
        reminded = _reminder_due(campaign, today) and _calendar_step(
            done["reminded"], campaign_remind, campaign, today
        )
        # A campaign opened or reminded just now has its e-mails queued already.
        if not reminded and campaign.slug not in done["opened"]:
            campaign_mail_pending(campaign=campaign)
    return done


def _calendar_step(done, service, campaign, today):
    try:
        service(campaign=campaign, today=today)
    except CampaignError:
        return False  # moved by hand meanwhile, or nobody left to remind
    done.append(campaign.slug)
    return True


def _reminder_due(campaign, today):
    """True when a reminder day has come with no reminder sent since (by hand or not)."""
    days = [campaign.opens_on + datetime.timedelta(days=day) for day in campaign.reminder_days]
    due = [day for day in days if day <= today]
    return (
        bool(due)
        and campaign.reminders_sent < MAX_REMINDERS
        and (campaign.last_reminder_on is None or campaign.last_reminder_on < max(due))
    )


def _locked(campaign, status, refusal):
    """The campaign's row, locked for this transaction; CampaignError if not in `status`."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != status:
        raise CampaignError(refusal)
    return campaign
