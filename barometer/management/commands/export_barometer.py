import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.models import Action
from audit.services import command_user, entry_create
from barometer import exports
from barometer.models import Snapshot
from barometer.services import snapshot_compute
from surveys.models import Campaign


class Command(BaseCommand):
    help = "Export a campaign's results document (thresholds applied) as JSON, CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language and conventions of CSV and XLSX (JSON keeps its English keys)",
        )

    def handle(self, *args, campaign, format, output, language, **options):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"No campaign with the slug {campaign!r}.")
        if format == "xlsx" and not output:
            raise CommandError("XLSX is a binary format: give a file with --output.")
        # What is due is published first (a release, or the final results of a campaign
        # closed since); what is exported is only ever a published document.
        snapshot = snapshot_compute(campaign=found) or Snapshot.objects.latest_for(found)
        if snapshot is None:
            raise CommandError(
                f"Nothing is published for {found.slug!r} yet: results appear when the "
                "campaign closes (live results are off)."
            )
        document = snapshot.document
        if format == "json":
            content = json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"
        elif format == "csv":
            content = exports.to_csv(document, language)
        else:
            content = exports.to_xlsx(document, language)
        # Recorded before anything is written: an export the log cannot hold does not happen.
        entry_create(
            action=Action.COMMAND_EXPORT,
            username=command_user(),
            campaign=found.slug,
            format=format,
        )
        if not output:
            self.stdout.write(content.decode("utf-8-sig"), ending="")
            return
        with open(output, "wb") as handle:
            handle.write(content)
        self.stderr.write(f"Wrote {output} ({len(content)} bytes).")
