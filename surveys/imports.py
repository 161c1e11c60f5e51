"""Importing teams and people from CSV/XLSX: check (writes nothing) then apply (all or none).

The web screens and the management commands share these functions. `*_check`
returns an ImportReport with one RowReport per data row; `*_apply` checks again
against the database of the moment and writes every row in one transaction, or
raises ImportRefused and writes nothing.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from surveys.models import Language, Person, Side, Team
from surveys.tabular import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportRefused,
    ImportReport,
    RowReport,
)
from surveys.teams import invalid_emails, managers_ensure, split_emails, users_by_email

CODE = re.compile(r"[-a-zA-Z0-9_]{1,64}")
SIDE_WORDS = {
    "employee": Side.EMPLOYEE,
    "employees": Side.EMPLOYEE,
    "salarié": Side.EMPLOYEE,
    "salariés": Side.EMPLOYEE,
    "salarie": Side.EMPLOYEE,
    "salaries": Side.EMPLOYEE,
    "client": Side.CLIENT,
    "clients": Side.CLIENT,
}


def _chunks(items, size=1000):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- teams -------------------------------------------------------------------------


@dataclass
class _TeamsPlan:
    report: ImportReport
    rows: list  # (RowReport, values) with values holding code, name, parent, managers
    users: dict  # e-mail → User, existing accounts only


def _team_loop(code, parents):
    path, seen, current = [code], {code}, parents.get(code)
    while current:
        path.append(current)
        if current == code:
            return path
        if current in seen:
            return None  # a loop higher up, reported on the rows that make it
        seen.add(current)
        current = parents.get(current)
    return None


def _team_row_problems(values, has_managers, first_row):
    """Problems of one row on its own; registers its code in `first_row` when usable."""
    code, name = values["code"], values["name"]
    problems = []
    if not code:
        problems.append(_("The code is missing."))
    elif not CODE.fullmatch(code):
        problems.append(
            _(
                "The code “%(code)s” may only hold letters, digits, hyphens and underscores"
                " (64 at most)."
            )
            % {"code": code}
        )
    elif code in first_row:
        problems.append(
            _("The code “%(code)s” is already on row %(row)s.")
            % {"code": code, "row": first_row[code]}
        )
    else:
        first_row[code] = values["number"]
    if not name:
        problems.append(_("The name is missing."))
    elif len(name) > 200:
        problems.append(_("The name is longer than 200 characters."))
    if has_managers:
        for email in invalid_emails(values["managers"]):
            problems.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
    return problems


def _team_parent_problem(code, parent, in_file, existing, parents):
    if not parent:
        return None
    if parent == code:
        return _("A team cannot be its own parent.")
    if parent not in in_file and parent not in existing:
        return _("The parent “%(parent)s” is neither in the file nor an existing team.") % {
            "parent": parent
        }
    if parent not in in_file and existing[parent].archived:
        return _("The parent team “%(parent)s” is archived.") % {"parent": parent}
    loop = _team_loop(code, parents)
    if loop:
        return _("This would make a loop: %(path)s.") % {"path": " → ".join(loop)}
    return None


def _team_changes(values, team, managers_now, users):
    changes = []
    managers = values["managers"]
    if team is not None:
        old_parent = team.parent.code if team.parent_id else ""
        if team.name != values["name"]:
            changes.append(_("name: %(old)s → %(new)s") % {"old": team.name, "new": values["name"]})
        if old_parent != values["parent"]:
            changes.append(
                _("parent: %(old)s → %(new)s")
                % {"old": old_parent or "—", "new": values["parent"] or "—"}
            )
        if managers is not None and set(managers) != managers_now:
            moves = [f"+{email}" for email in managers if email not in managers_now]
            moves += [f"−{email}" for email in sorted(managers_now - set(managers))]
            changes.append(_("managers: %(moves)s") % {"moves": ", ".join(moves)})
        if team.archived:
            changes.append(_("restored from the archive"))
    for email in managers or ():
        if email not in users:
            changes.append(_("new account for %(email)s") % {"email": email})
    return changes


def _current_parent(existing, code):
    team = existing.get(code)
    return team.parent.code if team is not None and team.parent_id else ""


def _teams_plan(table):
    has_managers, has_parent = "managers" in table.columns, "parent" in table.columns
    existing = {team.code: team for team in Team.objects.select_related("parent")}
    managers_now = defaultdict(set)
    if has_managers:
        through = Team.managers.through.objects.values_list(
            "team__code", "user__email", "user__username"
        )
        for code, email, username in through:
            managers_now[code].add((email or username).lower())
    rows, first_row = [], {}
    for number, raw in table.rows:
        values = {
            "number": number,
            "code": raw.get("code", ""),
            "name": raw.get("name", ""),
            # Without a parent column, teams stay where they are.
            "parent": raw["parent"] if has_parent else _current_parent(existing, raw.get("code")),
            "managers": split_emails(raw.get("managers", "")) if has_managers else None,
        }
        row = RowReport(number=number, cells=[raw.get(column, "") for column in table.columns])
        row.problems = _team_row_problems(values, has_managers, first_row)
        row.problems += table.suspect_problems(raw)
        rows.append((row, values))
    parents = {code: team.parent.code if team.parent_id else "" for code, team in existing.items()}
    parents.update(
        {v["code"]: v["parent"] for _r, v in rows if first_row.get(v["code"]) == v["number"]}
    )
    users = users_by_email({email for _row, values in rows for email in values["managers"] or ()})
    for row, values in rows:
        if first_row.get(values["code"]) == values["number"]:
            problem = _team_parent_problem(
                values["code"], values["parent"], first_row, existing, parents
            )
            if problem:
                row.problems.append(problem)
        if row.problems:
            continue
        team = existing.get(values["code"])
        row.changes = _team_changes(values, team, managers_now[values["code"]], users)
        row.action = CREATE if team is None else UPDATE if row.changes else UNCHANGED
    report = ImportReport(
        columns=table.columns,
        rows=[row for row, _values in rows],
        encoding_guess=table.encoding_guess,
    )
    return _TeamsPlan(report=report, rows=rows, users=users)


def teams_import_check(table):
    """Check a teams Table against itself and the database; write nothing; return an ImportReport.

    Row problems: missing or malformed code, duplicate code, missing name, bad
    manager e-mail, a parent neither in the file nor in the database (or archived),
    a loop (through existing teams too). A parent may come after its child.
    """
    return _teams_plan(table).report


@transaction.atomic
def teams_import_apply(*, table):
    """Create or update (by code) every team of `table` at once; return the ImportReport.

    An archived team named in the file is restored. With a `managers` column, each
    team's managers become exactly those listed; unknown addresses get an account and
    a set-password e-mail after the commit. Raises ImportRefused on any problem.
    """
    plan = _teams_plan(table)
    if not plan.report.ok:
        raise ImportRefused(plan.report)
    todo = [(row, values) for row, values in plan.rows if row.action != UNCHANGED]
    emails = list(dict.fromkeys(email for _r, values in todo for email in values["managers"] or ()))
    managers = dict(zip(emails, managers_ensure(emails=emails), strict=True))
    plan.report.accounts = sum(1 for email in emails if email not in plan.users)
    Team.objects.bulk_create(
        [Team(code=v["code"], name=v["name"]) for row, v in todo if row.action == CREATE],
        batch_size=500,
    )
    teams = {team.code: team for team in Team.objects.all()}
    changed = []
    for _row, values in todo:
        team = teams[values["code"]]
        team.name, team.archived = values["name"], False
        team.parent_id = teams[values["parent"]].pk if values["parent"] else None
        changed.append(team)
    Team.objects.bulk_update(changed, ["name", "archived", "parent"], batch_size=500)
    with_managers = [
        (teams[v["code"]], v["managers"]) for _r, v in todo if v["managers"] is not None
    ]
    if with_managers:
        through = Team.managers.through
        for chunk in _chunks(team.pk for team, _emails in with_managers):
            through.objects.filter(team_id__in=chunk).delete()
        through.objects.bulk_create(
            [
                through(team_id=team.pk, user_id=managers[email].pk)
                for team, emails in with_managers
                for email in emails
            ],
            batch_size=500,
        )
    return plan.report


# --- people --------------------------------------------------------------------------


def side_from_text(text):
    """The Side a cell names (employee, salarié, client… in any case), or None."""
    return SIDE_WORDS.get(unicodedata.normalize("NFC", text).lower())


def _people_plan(table):
    teams = {team.code: team for team in Team.objects.only("pk", "code", "name", "archived")}
    emails = {number: raw.get("email", "").lower() for number, raw in table.rows}
    existing = {}
    for chunk in _chunks({email for email in emails.values() if email}):
        people = Person.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        for person in people.select_related("team"):
            existing[(person.side, person.email_lower)] = person
    rows, first_row = [], {}
    for number, raw in table.rows:
        row = RowReport(number=number, cells=[raw.get(column, "") for column in table.columns])
        values = {
            "email": emails[number],
            "side": side_from_text(raw.get("side", "")),
            "team": raw.get("team", ""),
            "name": raw.get("name", ""),
            "language": raw.get("language", "").lower(),
        }
        row.problems = _person_problems(values, raw, teams, first_row)
        row.problems += table.suspect_problems(raw)
        key = (values["side"], values["email"])
        if values["side"] and values["email"] and key not in first_row:
            first_row[key] = number
        if not row.problems:
            person = existing.get((values["side"], values["email"]))
            row.changes = _person_changes(values, person)
            row.action = CREATE if person is None else UPDATE if row.changes else UNCHANGED
        rows.append((row, values))
    report = ImportReport(
        columns=table.columns,
        rows=[row for row, _values in rows],
        encoding_guess=table.encoding_guess,
    )
    return report, rows, existing, teams


def _person_problems(values, raw, teams, first_row):
    problems = []
    email, side, code = values["email"], values["side"], values["team"]
    if not email:
        problems.append(_("The e-mail is missing."))
    elif invalid_emails([email]) or len(email) > 254:
        problems.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
    if not raw.get("side"):
        problems.append(_("The side is missing."))
    elif side is None:
        problems.append(
            _("Unknown side “%(side)s”: write employee (or salarié) or client.")
            % {"side": raw["side"]}
        )
    if not code:
        problems.append(_("The team is missing."))
    elif code not in teams:
        problems.append(_("Unknown team “%(team)s”.") % {"team": code})
    elif teams[code].archived:
        problems.append(_("The team “%(team)s” is archived.") % {"team": code})
    if values["language"] and values["language"] not in Language.values:
        problems.append(
            _("Unknown language “%(language)s”: write fr or en.") % {"language": raw["language"]}
        )
    if len(values["name"]) > 200:
        problems.append(_("The name is longer than 200 characters."))
    if side and email and (side, email) in first_row:
        problems.append(
            _("%(email)s (%(side)s) is already on row %(row)s.")
            % {"email": email, "side": Side(side).label, "row": first_row[(side, email)]}
        )
    return problems


def _person_changes(values, person):
    if person is None:
        return []
    changes = []
    if person.team.code != values["team"]:
        changes.append(
            _("team: %(old)s → %(new)s") % {"old": person.team.code, "new": values["team"]}
        )
    # An empty cell (or no such column) keeps what the person already has.
    if values["name"] and values["name"] != person.name:
        changes.append(
            _("name: %(old)s → %(new)s") % {"old": person.name or "—", "new": values["name"]}
        )
    if values["language"] and values["language"] != person.language:
        changes.append(
            _("language: %(old)s → %(new)s") % {"old": person.language, "new": values["language"]}
        )
    return changes


def people_import_check(table):
    """Check a people Table against itself and the database; write nothing; return an ImportReport.

    Row problems: missing or invalid e-mail, unknown side (employee/salarié/client,
    any case), unknown or archived team, unknown language (fr/en), the same e-mail and
    side twice in the file.
    """
    return _people_plan(table)[0]


@transaction.atomic
def people_import_apply(*, table):
    """Create or update (by side and e-mail) every person of `table` at once; return the report.

    New people get French unless the file says otherwise; for people already known,
    an empty name or language cell keeps the current value. Raises ImportRefused on
    any problem.
    """
    report, rows, existing, teams = _people_plan(table)
    if not report.ok:
        raise ImportRefused(report)
    new, changed = [], []
    for row, values in rows:
        if row.action == CREATE:
            new.append(
                Person(
                    side=values["side"],
                    email=values["email"],
                    team=teams[values["team"]],
                    name=values["name"],
                    language=values["language"] or Language.FR,
                )
            )
        elif row.action == UPDATE:
            person = existing[(values["side"], values["email"])]
            person.team = teams[values["team"]]
            person.name = values["name"] or person.name
            person.language = values["language"] or person.language
            changed.append(person)
    Person.objects.bulk_create(new, batch_size=1000)
    Person.objects.bulk_update(changed, ["team", "name", "language"], batch_size=1000)
    return report
