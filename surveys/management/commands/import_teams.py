"""Import the team tree from a CSV or XLSX file: every row or none, with a per-row report."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from surveys.import_columns import TEAM_COLUMNS
from surveys.imports import teams_import_apply, teams_import_check
from surveys.tabular import ImportFileError, ImportRefused, read_table_file, report_lines


def run_import(command, *, path, columns, check, apply, dry_run):
    """Read, check and (unless `dry_run`) apply a file, printing one line per row.

    Raises CommandError (exit status 1) when the file cannot be read or any row has a
    problem; nothing is written then.
    """
    try:
        table = read_table_file(path, columns=columns)
    except ImportFileError as error:
        raise CommandError(str(error)) from None
    report = check(table)
    for line in report_lines(report):
        command.stdout.write(line)
    if not report.ok:
        raise CommandError(
            _("%(count)s row(s) with problems: nothing was imported.")
            % {"count": len(report.problem_rows)}
        )
    if dry_run:
        command.stdout.write(_("Dry run: the file is fine; nothing was written."))
        return
    try:
        report = apply(table=table)
    except ImportRefused as refused:
        for line in report_lines(refused.report):
            command.stdout.write(line)
        raise CommandError(str(refused)) from None
    summary = _("Done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    if report.accounts:
        summary += " " + _("%(count)s manager account(s) created and e-mailed.") % {
            "count": report.accounts
        }
    command.stdout.write(command.style.SUCCESS(summary))


class Command(BaseCommand):
    help = (
        "Import teams from a CSV or XLSX file with the columns code, name, parent, managers. "
        "All rows are imported or none; teams are matched by code."
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
            columns=TEAM_COLUMNS,
            check=teams_import_check,
            apply=teams_import_apply,
            dry_run=dry_run,
        )
