"""Collecting answers: teams, people, questionnaires, campaigns, invitations, responses.

Anonymity is built into the shape of these tables: a Response has no link to an
Invitation or a Person (no foreign key, no time, a random primary key), and an
Invitation keeps only whether and on which day it was used.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_SCORE_THRESHOLD = 3


class Side(models.TextChoices):
    EMPLOYEE = "employee", _("Employees")
    CLIENT = "client", _("Clients")


class Language(models.TextChoices):
    FR = "fr", "Français"
    EN = "en", "English"


class Kind(models.TextChoices):
    NPS = "nps", _("0–10 recommendation")
    LIKERT = "likert", _("1–5 agreement with “don’t know”")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


class TeamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived=False)


class Team(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_teams",
    )
    archived = models.BooleanField(_("archived"), default=False)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Person(models.Model):
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="people")

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["side", "email"], name="person_unique_side_email")
        ]

    def __str__(self):
        return self.email


class Questionnaire(models.Model):
    """A reusable template of paired questions. The built-in one cannot be edited."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    builtin = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-builtin", "name"]

    def __str__(self):
        return self.name


class QuestionFields(models.Model):
    """What a question says and accepts; shared by templates and campaigns' frozen copies."""

    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    code = models.SlugField(_("code"), max_length=64)
    dimension = models.SlugField(
        _("mirrored dimension"),
        max_length=64,
        blank=True,
        help_text=_("Same code on both sides for a mirrored pair; empty for a single-side item."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text_fr = models.CharField(_("wording (French)"), max_length=500)
    text_en = models.CharField(_("wording (English)"), max_length=500)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For single choice: the options.")
    )
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "side"]

    def __str__(self):
        return f"{self.side}:{self.code}"

    def text(self, language):
        return self.text_en if language == Language.EN else self.text_fr


class TemplateQuestion(QuestionFields):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )

    class Meta(QuestionFields.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "side", "code"], name="template_question_unique_code"
            )
        ]


class CampaignQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Campaign.Status.OPEN)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # Launched (invitations ready) and waiting for its opening date.
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), related_name="campaigns")
    ask_employees = models.BooleanField(_("ask employees"), default=True)
    ask_clients = models.BooleanField(_("ask clients"), default=True)
    score_threshold = models.PositiveSmallIntegerField(
        _("score threshold"), default=5, validators=[MinValueValidator(MIN_SCORE_THRESHOLD)]
    )
    comment_threshold = models.PositiveSmallIntegerField(
        _("comment threshold"), default=10, validators=[MinValueValidator(MIN_SCORE_THRESHOLD)]
    )
    reminder_days = models.JSONField(
        _("reminder schedule"),
        default=list,
        blank=True,
        help_text=_("Days after opening on which a reminder goes out (at most 3)."),
    )
    reminders_sent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(3)])
    # So that a scheduled reminder does not follow one sent by hand the same day.
    last_reminder_on = models.DateField(null=True, blank=True)
    historical = models.BooleanField(default=False)
    # Opt-in: figures published while the campaign is open, by groups of at least
    # score_threshold new respondents (barometer.releases); otherwise results at close.
    live_results = models.BooleanField(
        _("live results"),
        default=False,
        help_text=_(
            "Publish figures while the campaign is open, each time at least as many new "
            "answers as the score threshold have arrived in a team. Otherwise results "
            "appear when the campaign closes."
        ),
    )
    # Shown in the invitation and reminder e-mails above the link; plain text.
    invitation_text = models.TextField(
        _("invitation text"),
        blank=True,
        max_length=2000,
        help_text=_("Optional: a few words of yours, shown in the invitations and reminders."),
    )
    # The team tree the figures roll up through, frozen at launch as the questions are:
    # [{"code", "name", "parent"}]; moving a team later does not change this campaign.
    frozen_tree = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_threshold__gte=MIN_SCORE_THRESHOLD),
                name="campaign_score_threshold_min",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def sides(self):
        return [
            side
            for side, asked in (
                (Side.EMPLOYEE, self.ask_employees),
                (Side.CLIENT, self.ask_clients),
            )
            if asked
        ]


class CampaignQuestion(QuestionFields):
    """The campaign's own frozen copy of a question: templates never rewrite history."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")

    class Meta(QuestionFields.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "side", "code"], name="campaign_question_unique_code"
            )
        ]


def hash_token(token):
    """SHA-256 hex digest of a raw link token; only the digest is ever stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    # On PostgreSQL its pages keep room for the rewrites of `used` (migration 0006).
    # No index of its own: the (campaign, person) unique constraint below starts with it.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", db_index=False
    )
    # Emptied by the retention purge; the counts per team and side remain.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.FR)
    side = models.CharField(max_length=8, choices=Side.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="invitations")
    # Unique through Meta.constraints: a unique field would also get, on PostgreSQL, a
    # LIKE-pattern index that no query uses (a hash is only ever compared whole). NULL
    # is "no link" (not sent yet, or erased): many rows have none, so not "".
    token_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    # The random half of the personal link (surveys.links.invitation_token): the
    # token is derived from it and SECRET_KEY, so a reminder carries the same link as
    # the invitation. Erased with the hash.
    link_key = models.CharField(max_length=24, null=True, blank=True)  # noqa: DJ001
    sent_count = models.PositiveSmallIntegerField(default=0)
    reminded_count = models.PositiveSmallIntegerField(default=0)
    # Whether the link was used, and nothing more: no time, and no date either, since
    # a response carries its date and, in a team whose members answer on different
    # days, matching the two dates would tell who gave which answers.
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="invitation_unique_person"),
            models.UniqueConstraint(fields=["token_hash"], name="invitation_unique_token_hash"),
        ]

    def __str__(self):
        return f"{self.campaign.slug}:{self.side}:{self.team.code}"


class PublicLink(models.Model):
    """A team's public link for clients, printed as a URL or a QR code."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="public_links")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="public_links")
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "team"], name="public_link_unique_team")
        ]


class Response(models.Model):
    """One submitted questionnaire. Deliberately unlinkable to who sent it."""

    class Channel(models.TextChoices):
        LINK = "link", _("Personal link")
        PUBLIC = "public", _("Public link")
        IMPORT = "import", _("Imported")

    # Random, so that ids cannot order responses against invitations.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the (campaign, team, side) index below starts with it, and
    # every submission would write both.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="responses")
    side = models.CharField(max_length=8, choices=Side.choices)
    submitted_on = models.DateField()
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.FR)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # False until the shuffle pass has moved the row (surveys.shuffle): until then its
    # place in the table and its writer's id follow the order of submissions. The
    # database default lets the answering statements leave the column out.
    shuffled = models.BooleanField(default=False, db_default=False)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "team", "side"]),
            # What the minute pass looks for: the few rows not moved yet.
            models.Index(
                fields=["campaign"], condition=models.Q(shuffled=False), name="response_unshuffled"
            ),
        ]


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (response, question) constraint's index starts
    # with it, and every submission writes a dozen answers into both.
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    # Checked by the database too: deleting a question through Django deletes its
    # answers first; deleting it in SQL while it has answers is refused.
    question = models.ForeignKey(CampaignQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question")
        ]


class Branding(models.Model):
    """The organisation's name, logo, sender and e-mail texts: one row (surveys.branding)."""

    organisation_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    # Re-encoded PNG bytes, never the uploaded file: served by a view, so it works
    # without a media server and on every web host alike.
    logo = models.BinaryField(null=True, blank=True, editable=False)
    logo_width = models.PositiveSmallIntegerField(default=0)
    logo_height = models.PositiveSmallIntegerField(default=0)
    sender_name = models.CharField(_("sender name"), max_length=100, blank=True)
    sender_email = models.EmailField(_("sender address"), blank=True)
    # Plain text; max_length holds in forms only (a TextField has no size in SQL).
    invitation_intro_fr = models.TextField(
        _("invitation text (French)"), max_length=2000, blank=True
    )
    invitation_intro_en = models.TextField(
        _("invitation text (English)"), max_length=2000, blank=True
    )
    reminder_intro_fr = models.TextField(_("reminder text (French)"), max_length=2000, blank=True)
    reminder_intro_en = models.TextField(_("reminder text (English)"), max_length=2000, blank=True)
    # Raised by every change: in the respondents' page cache keys and the logo's URL.
    version = models.PositiveIntegerField(default=0)
