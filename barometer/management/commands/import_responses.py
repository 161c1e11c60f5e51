import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from barometer.services import snapshot_compute
from surveys.history import (
    HistoryError,
    history_columns,
    planned_questions,
    responses_check,
    responses_import,
)
from surveys.models import Campaign
from surveys.tabular import ImportFileError, read_table_file


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--closed-on must be a date like 2026-06-30, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Import past results, one row per response (side, team, then question codes); "
        "all rows or none. A missing campaign is created as a closed historical one."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug (created when missing)")
        parser.add_argument("file", help="CSV (comma or semicolon) or XLSX")
        parser.add_argument("--name", help="name of a new campaign (default: the slug)")
        parser.add_argument("--template", help="template of a new campaign (default: built-in)")
        parser.add_argument("--closed-on", type=_date, help="close date of a new campaign")

    def handle(self, *args, campaign, file, name, template, closed_on, **options):
        translation.activate("en")
        existing = Campaign.objects.filter(slug=campaign).first()
        try:
            questions, chosen = planned_questions(campaign=existing, template_name=template)
            table = read_table_file(file, columns=history_columns(questions), strict=True)
        except (HistoryError, ImportFileError) as error:
            raise CommandError(str(error)) from None
        planned, problems = responses_check(table=table, questions=questions)
        if problems:
            for row in problems:
                for problem in row.problems:
                    self.stderr.write(f"row {row.number}: {problem}")
            raise CommandError(f"{len(problems)} row(s) with problems: nothing was imported.")
        imported = responses_import(
            slug=campaign, planned=planned, template=chosen, name=name, closed_on=closed_on
        )
        snapshot = snapshot_compute(campaign=imported)
        created = (
            "created, closed on " + str(imported.closes_on) if existing is None else "existing"
        )
        self.stdout.write(
            f"{len(planned)} responses imported into {imported.slug} ({created}); "
            f"barometer computed at {snapshot.computed_at:%Y-%m-%d %H:%M}."
        )
