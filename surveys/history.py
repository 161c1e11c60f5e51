"""Bringing past barometers in: one row per response, all rows or none.

The file has `side`, `team`, then one column per question code; an empty cell is
an unanswered question, `0` on a 1–5 item means "don't know".
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from surveys.answering.form import COMMENT_MAX_LENGTH
from surveys.imports import side_from_text
from surveys.models import (
    Answer,
    Campaign,
    Kind,
    Questionnaire,
    Response,
    Side,
    Team,
)
from surveys.questionnaires import campaign_questions_freeze
from surveys.tabular import Column
from surveys.teams import campaign_tree_freeze

RANGES = {Kind.NPS: range(0, 11), Kind.LIKERT: range(0, 6)}


class HistoryError(Exception):
    """The command's arguments cannot work (unknown template, bad campaign); nothing written."""


@dataclass
class RowProblems:
    number: int
    problems: list = field(default_factory=list)


def history_columns(questions):
    """The columns a responses file may have, given the campaign's questions."""
    codes = sorted({question.code for question in questions})
    return [Column("side", True), Column("team", True), *(Column(code, False) for code in codes)]


def planned_questions(*, campaign=None, template_name=None):
    """(questions, template): the campaign's own questions (template None), or the
    questions of the template a new campaign would freeze (the built-in by default)."""
    if campaign is not None:
        return list(campaign.questions.all()), None
    questionnaires = Questionnaire.objects.all()
    found = (
        questionnaires.filter(name=template_name).first()
        if template_name
        else questionnaires.filter(builtin=True).first()
    )
    if found is None:
        raise HistoryError(
            _("No template named “%(name)s”.") % {"name": template_name}
            if template_name
            else _("The built-in template is missing: run the migrations.")
        )
    return list(found.questions.all()), found


def _value(question, cell):
    """(value, text, problem) for one non-empty cell."""
    if question.kind == Kind.TEXT:
        if len(cell) > COMMENT_MAX_LENGTH:
            return None, "", _("the comment is longer than 2,000 characters")
        return None, cell, None
    try:
        number = float(cell.replace(",", "."))
    except ValueError:
        return None, "", _("“%(value)s” is not a number") % {"value": cell[:40]}
    allowed = RANGES.get(question.kind, range(len(question.choices or [])))
    if not number.is_integer() or int(number) not in allowed:
        return (
            None,
            "",
            _("%(value)s is outside %(low)s–%(high)s")
            % {
                "value": cell[:40],
                "low": allowed.start,
                "high": allowed.stop - 1,
            },
        )
    return int(number), "", None


def responses_check(*, table, questions):
    """Validate every row; return (planned rows, problems per row).

    A planned row is (side, team, [(question, value, text)]). A problem names the
    column: unknown side or team, a question not asked to that side, text in a
    numeric column, a value out of range, a comment too long.
    """
    teams = {team.code: team for team in Team.objects.only("pk", "code")}
    by_side = {side: {q.code: q for q in questions if q.side == side} for side in Side.values}
    planned, problems = [], []
    for number, values in table.rows:
        row = RowProblems(number, problems=table.suspect_problems(values))
        side = side_from_text(values.get("side", ""))
        team = teams.get(values.get("team", ""))
        if side is None:
            row.problems.append(
                _("side: “%(side)s” is neither employee nor client")
                % {"side": values.get("side", "")}
            )
        if team is None:
            row.problems.append(
                _("team: unknown code “%(team)s”") % {"team": values.get("team", "")}
            )
        answers = []
        for code, cell in values.items():
            if code in ("side", "team") or not cell or side is None:
                continue
            question = by_side[side].get(code)
            if question is None:
                row.problems.append(
                    _("%(code)s: not a question asked to this side") % {"code": code}
                )
                continue
            value, text, problem = _value(question, cell)
            if problem:
                row.problems.append(f"{code}: {problem}")
            else:
                answers.append((question, value, text))
        if row.problems:
            problems.append(row)
        else:
            planned.append((side, team, answers))
    return planned, problems


@transaction.atomic
def responses_import(*, slug, planned, template=None, name=None, closed_on=None):
    """Store the planned rows; create the campaign first when it does not exist.

    A new campaign is closed and historical, closes (and opened) on `closed_on`,
    with its own frozen copy of the template's questions. Returns the campaign.
    """
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        closed_on = closed_on or datetime.date.today()
        campaign = Campaign.objects.create(
            name=name or slug,
            slug=slug,
            questionnaire=template,
            opens_on=closed_on,
            closes_on=closed_on,
            status=Campaign.Status.CLOSED,
            historical=True,
        )
        campaign_questions_freeze(campaign=campaign, questionnaire=template)
    frozen = {(q.side, q.code): q for q in campaign.questions.all()}
    campaign.teams.add(*{team for _, team, _ in planned})
    if campaign.frozen_tree is None:
        campaign_tree_freeze(campaign=campaign)
    responses, answers = [], []
    for side, team, row in planned:
        response = Response(
            campaign=campaign,
            team=team,
            side=side,
            submitted_on=campaign.closes_on,
            channel=Response.Channel.IMPORT,
            # The file's order is no trail of submissions: nothing for the pass to move.
            shuffled=True,
        )
        responses.append(response)
        answers += [
            Answer(
                response=response,
                question=frozen[(side, question.code)],
                value=value,
                text=text,
            )
            for question, value, text in row
        ]
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return campaign
