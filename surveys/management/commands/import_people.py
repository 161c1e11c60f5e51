"""Import employees and client contacts from a CSV or XLSX file: every row or none."""

from django.core.management.base import BaseCommand

from surveys.import_columns import PEOPLE_COLUMNS
from surveys.imports import people_import_apply, people_import_check
from surveys.management.commands.import_teams import run_import


class Command(BaseCommand):
    help = (
        "Import people from a CSV or XLSX file with the columns email, side, team and "
        "optionally name, language. All rows are imported or none; people are matched by "
        "side and e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (comma or semicolon) or XLSX file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and print the report only"
        )

    def handle(self, *args, file, dry_run, **options):
        run_import(
            self,
            path=file,
            columns=PEOPLE_COLUMNS,
            check=people_import_check,
            apply=people_import_apply,
            dry_run=dry_run,
        )
