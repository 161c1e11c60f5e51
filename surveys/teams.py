"""Team tree services: create, edit, move, archive, and the managers' accounts.

A manager is a plain user found by e-mail. An unknown address gets an account with
no usable password and, once the transaction commits, an e-mail with a link to
choose one (Django's password-reset tokens, valid PASSWORD_RESET_TIMEOUT).
"""

import logging
import re
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from surveys.branding import branding_get, sender
from surveys.models import Team

logger = logging.getLogger(__name__)

EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


# --- e-mail lists -------------------------------------------------------------


def split_emails(raw):
    """Lower-cased addresses from text separated by spaces, commas or semicolons.

    Duplicates are dropped, the order is kept; an empty text gives an empty list.
    """
    emails = [part.lower() for part in EMAIL_SEPARATORS.split(raw or "") if part]
    return list(dict.fromkeys(emails))


def invalid_emails(emails):
    """The addresses of `emails` that are not valid e-mail addresses, in order."""
    bad = []
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email)
    return bad


def users_by_email(emails):
    """Existing users for these lower-cased addresses, as {address: user}.

    A user matches on e-mail or username, ignoring case; when several match, the
    oldest account wins.
    """
    emails = set(emails)
    if not emails:
        return {}
    found = {}
    users = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
        .filter(Q(email_lower__in=emails) | Q(username_lower__in=emails))
        .order_by("-pk")
    )
    for user in users:
        for key in (user.email_lower, user.username_lower):
            if key in emails:
                found[key] = user
    return found


# --- manager accounts ----------------------------------------------------------


@transaction.atomic
def managers_ensure(*, emails):
    """Users for these addresses (any case), in order, creating the unknown ones.

    A new account is named by the lower-cased address and has no usable password;
    its welcome e-mail goes out once the outermost transaction commits, so a
    rolled-back import sends nothing. Existing users are never e-mailed again.
    """
    emails = list(dict.fromkeys(email.lower() for email in emails))
    found = users_by_email(emails)
    created = []
    for email in emails:
        if email not in found:
            found[email] = get_user_model().objects.create_user(
                username=email, email=email, password=None
            )
            created.append(found[email].pk)
    if created:
        transaction.on_commit(lambda: manager_welcome_send(user_ids=created))
    return [found[email] for email in emails]


def password_set_link(user):
    """Absolute link (from SITE_URL) where `user` chooses a password; single use."""
    path = reverse(
        "password_set_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def manager_welcome_send(*, user_ids):
    """E-mail each of these users the link to choose a password; return how many were sent.

    With single sign-on on (OIDC_ISSUER), the e-mail says to sign in with the company
    account instead, and links to the login page: no password is chosen here. Written
    in the site's default language. A mail server failure is logged, not raised: the
    accounts exist either way and this runs after the commit.
    """
    users = get_user_model().objects.filter(pk__in=user_ids).prefetch_related("managed_teams")
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    kind = "manager_welcome_sso" if settings.SSO_ENABLED else "manager_welcome"
    messages = []
    from_email = sender(branding_get())
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            context = {
                "link": (
                    settings.SITE_URL.rstrip("/") + reverse("login")
                    if settings.SSO_ENABLED
                    else password_set_link(user)
                ),
                "email": user.email,
                "teams": sorted(user.managed_teams.all(), key=lambda team: team.name),
                "days": days,
                "provider_name": settings.OIDC_PROVIDER_NAME,
            }
            subject = render_to_string(f"surveys/teams/{kind}_subject.txt", context)
            body = render_to_string(f"surveys/teams/{kind}_body.txt", context)
            message = EmailMessage(" ".join(subject.split()), body, from_email, [user.email])
            message.extra_headers["Content-Language"] = settings.LANGUAGE_CODE
            messages.append(message)
    if not messages:
        return 0
    try:
        return mailers.default.send_messages(messages) or 0
    except (smtplib.SMTPException, OSError):
        logger.exception("could not send the welcome e-mail to %d new manager(s)", len(messages))
        return 0


# --- the tree ------------------------------------------------------------------


@dataclass
class TreeNode:
    team: Team
    depth: int

    @property
    def indent(self):
        # The stylesheet indents up to eight levels; deeper ones line up with the eighth.
        return min(self.depth, 8)


def team_tree(teams):
    """`teams` in tree order — each parent before its children, siblings by name — with depths.

    A team whose parent is not among `teams` (say, a hidden archived one) starts
    at depth 0.
    """
    teams = sorted(teams, key=lambda team: (team.name.lower(), team.code))
    known = {team.pk for team in teams}
    children = {}
    for team in teams:
        parent = team.parent_id if team.parent_id in known else None
        children.setdefault(parent, []).append(team)
    ordered = []
    stack = [(team, 0) for team in reversed(children.get(None, []))]
    while stack:
        team, depth = stack.pop()
        ordered.append(TreeNode(team, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(team.pk, [])))
    return ordered


def tree_rows(codes):
    """The teams of ``codes`` and all their ancestors as ``[{code, name, parent}]`` in
    depth-first order (parents first, siblings by name): a campaign's tree as figures
    roll up through it. Unknown codes are left out."""
    teams = {
        team.code: team
        for team in Team.objects.select_related("parent").only("code", "name", "parent__code")
    }
    wanted = set()
    for code in codes:
        # Walk up to the root; a cycle cannot exist (imports and forms refuse them).
        while code and code in teams and code not in wanted:
            wanted.add(code)
            parent = teams[code].parent
            code = parent.code if parent else None
    children = {}
    for code in sorted(wanted, key=lambda c: (teams[c].name, c)):
        parent = teams[code].parent
        children.setdefault(parent.code if parent else None, []).append(code)
    rows, stack = [], list(reversed(children.get(None, [])))
    while stack:
        code = stack.pop()
        parent = teams[code].parent
        rows.append({"code": code, "name": teams[code].name, "parent": parent and parent.code})
        stack.extend(reversed(children.get(code, [])))
    return rows


PATH_SEPARATOR = " › "


def tree_paths(rows):
    """``{code: "Hôtels Lumière › Paris › Réception"}`` for rows shaped as `tree_rows`'s
    (``code``, ``name``, ``parent``): the names from the top down to each team. A parent
    missing from ``rows`` ends the path there."""
    by_code = {row["code"]: row for row in rows}
    paths = {}
    for row in rows:
        names, code, seen = [], row["code"], set()
        while code in by_code and code not in seen:
            seen.add(code)
            names.append(by_code[code]["name"])
            code = by_code[code]["parent"]
        paths[row["code"]] = PATH_SEPARATOR.join(reversed(names))
    return paths


def campaign_tree_freeze(*, campaign):
    """Freeze the campaign's team tree (its teams and their ancestors, as they are now):
    its figures roll up through this tree whatever HR moves or archives later."""
    campaign.frozen_tree = tree_rows(campaign.teams.values_list("code", flat=True))
    campaign.save(update_fields=["frozen_tree"])


def campaign_tree_extend(*, campaign, teams):
    """Add `teams` to the campaign's frozen tree as new leaves, each under its nearest
    ancestor already in the tree (at the top when none is). The rows already there stay
    as they are: the figures published on them keep their meaning."""
    if not campaign.frozen_tree:
        campaign_tree_freeze(campaign=campaign)
        return
    rows = list(campaign.frozen_tree)
    known = {row["code"] for row in rows}
    parents = dict(Team.objects.values_list("code", "parent__code"))
    for team in sorted(teams, key=lambda team: (team.name, team.code)):
        if team.code in known:
            continue
        parent = parents.get(team.code)
        while parent is not None and parent not in known:
            parent = parents.get(parent)
        rows.append({"code": team.code, "name": team.name, "parent": parent})
        known.add(team.code)
    campaign.frozen_tree = rows
    campaign.save(update_fields=["frozen_tree"])


def team_descendant_ids(team):
    """Primary keys of every team below `team` (not including it)."""
    below = {}
    for pk, parent_id in Team.objects.values_list("pk", "parent_id"):
        below.setdefault(parent_id, []).append(pk)
    found, todo = set(), list(below.get(team.pk, []))
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(below.get(pk, []))
    return found


def parent_problem(*, team, parent):
    """Why `parent` cannot be the parent of `team` (None when it can; `team` None for a new one)."""
    if parent is None:
        return None
    if team is not None and (parent.pk == team.pk or parent.pk in team_descendant_ids(team)):
        return _("“%(parent)s” is below “%(team)s”: moving it there would make a loop.") % {
            "parent": parent.name,
            "team": team.name,
        }
    if parent.archived:
        return _("The team “%(parent)s” is archived.") % {"parent": parent.name}
    return None


# --- create, edit, move, archive -------------------------------------------------


@transaction.atomic
def team_create(*, code, name, parent=None, manager_emails=()):
    """Create a team under `parent` with managers found (or created) by e-mail; return it.

    Raises ValidationError for a taken or malformed code, or an archived parent.
    """
    problem = parent_problem(team=None, parent=parent)
    if problem:
        raise ValidationError({"parent": problem})
    team = Team(code=code, name=name, parent=parent)
    team.full_clean()
    team.save()
    team.managers.set(managers_ensure(emails=list(manager_emails)))
    return team


@transaction.atomic
def team_update(*, team, name, parent, manager_emails):
    """Rename, move and set the managers of `team`; return it. Loops raise ValidationError."""
    team_move(team=team, parent=parent)
    team.name = name
    team.full_clean(exclude=["parent"])
    team.save(update_fields=["name"])
    team.managers.set(managers_ensure(emails=list(manager_emails)))
    return team


@transaction.atomic
def team_move(*, team, parent):
    """Put `team` (and its subtree) under `parent`, or at the top for None; return it.

    Raises ValidationError when `parent` is the team itself, below it, or archived.
    """
    if team.parent_id == (parent.pk if parent else None):
        return team
    problem = parent_problem(team=team, parent=parent)
    if problem:
        raise ValidationError({"parent": problem})
    team.parent = parent
    team.save(update_fields=["parent"])
    return team


@transaction.atomic
def team_archive(*, team):
    """Archive `team` and every team below it; return how many teams were archived.

    People and past results stay attached; archived teams leave the imports' and
    campaigns' choices.
    """
    ids = {team.pk, *team_descendant_ids(team)}
    return Team.objects.filter(pk__in=ids, archived=False).update(archived=True)


@transaction.atomic
def team_unarchive(*, team):
    """Restore `team` and every team below it; return how many teams were restored.

    Raises ValidationError while the team's parent is still archived.
    """
    if team.parent_id and team.parent.archived:
        raise ValidationError(
            _("Restore the parent team “%(parent)s” first.") % {"parent": team.parent.name}
        )
    ids = {team.pk, *team_descendant_ids(team)}
    return Team.objects.filter(pk__in=ids, archived=True).update(archived=False)
