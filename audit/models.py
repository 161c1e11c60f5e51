"""The audit log: who exported what, or asked for the results, and whether it was allowed;
who signed in through single sign-on, who was refused and why, whose HR role changed.

An entry names the user and the target (campaign, team, person id), never a
respondent's token nor anything that ties a response to a person.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    RESULTS_API = "results_api", _("Results API")
    OVERVIEW_EXPORT = "overview_export", _("Overview export")
    TEAM_EXPORT = "team_export", _("Team dashboard export")
    COMMAND_EXPORT = "command_export", _("Command-line export")
    PERSON_EXPORT = "person_export", _("Person data export")
    PERSON_ERASE = "person_erase", _("Person erased")
    AUDIT_EXPORT = "audit_export", _("Audit log export")
    SSO_LOGIN = "sso_login", _("Single sign-on")
    SSO_ACCOUNT = "sso_account", _("Account created by single sign-on")
    HR_GRANTED = "hr_granted", _("HR role granted")
    HR_WITHDRAWN = "hr_withdrawn", _("HR role withdrawn")
    PASSWORD_LOGIN = "password_login", _("Password login")
    BRANDING_EDIT = "branding_edit", _("Branding and texts edited")
    CAMPAIGN_CREATE = "campaign_create", _("Campaign created")
    CAMPAIGN_EDIT = "campaign_edit", _("Campaign edited")
    CAMPAIGN_LAUNCH = "campaign_launch", _("Campaign launched")
    CAMPAIGN_OPEN = "campaign_open", _("Campaign opened")
    CAMPAIGN_REMIND = "campaign_remind", _("Reminder sent")
    CAMPAIGN_CLOSE = "campaign_close", _("Campaign closed")
    CAMPAIGN_REOPEN = "campaign_reopen", _("Campaign reopened")
    CAMPAIGN_EXTEND = "campaign_extend", _("Teams or people added to a campaign")
    CAMPAIGN_DUPLICATE = "campaign_duplicate", _("Campaign duplicated")
    CAMPAIGN_DELETE = "campaign_delete", _("Draft campaign deleted")
    CAMPAIGN_LINKS_ERASE = "campaign_links_erase", _("Campaign links erased")
    TEST_EMAIL = "test_email", _("Test e-mail sent")
    TEAMS_IMPORT = "teams_import", _("Teams imported")
    PEOPLE_IMPORT = "people_import", _("People imported")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    REFUSED = "refused", _("Refused")


class AuditEntryQuerySet(models.QuerySet):
    def matching(self, *, user="", action="", outcome="", since=None, until=None):
        """Entries whose user name contains `user`, of one action and outcome, between
        two dates (`since` and `until` included, in the site's time zone); empty
        criteria match everything."""
        entries = self
        if user:
            entries = entries.filter(username__icontains=user)
        if action:
            entries = entries.filter(action=action)
        if outcome:
            entries = entries.filter(outcome=outcome)
        # Bounds as datetimes rather than a __date lookup, so the index on `at` serves.
        if since:
            entries = entries.filter(at__gte=_start_of(since))
        if until:
            entries = entries.filter(at__lt=_start_of(until + datetime.timedelta(days=1)))
        return entries


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied, so that the entry still says who it was once the account is deleted;
    # for the command line, the operating system's user name.
    username = models.CharField(_("user name"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    campaign = models.CharField(_("campaign"), max_length=64, blank=True)
    team = models.CharField(_("team"), max_length=64, blank=True)
    # A plain number, not a foreign key: it must outlive the erased person.
    person_id = models.PositiveBigIntegerField(_("person"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=8, blank=True)
    # Why a login was refused, what a role change followed, an edit's fields before and
    # after (never a token).
    detail = models.CharField(_("detail"), max_length=1000, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_entry_newest"),
            models.Index(fields=["action", "-at"], name="audit_entry_action"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.outcome}"
