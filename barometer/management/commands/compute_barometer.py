from django.core.management.base import BaseCommand, CommandError

from barometer.services import snapshot_compute
from surveys.models import Campaign


class Command(BaseCommand):
    help = (
        "Publish what a campaign's barometer has to publish now: a live release while it "
        "is open (live results), the final results once closed."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug")

    def handle(self, *args, campaign, **options):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"No campaign with the slug {campaign!r}.")
        snapshot = snapshot_compute(campaign=found)
        if snapshot is None:
            self.stdout.write(
                f"{found.slug}: nothing published — results appear when the campaign closes "
                "(live results are off)."
            )
            return
        organisation = snapshot.document["organisation"]
        responses = sum(organisation[side].get("responses", 0) for side in ("employee", "client"))
        kind = "final results" if snapshot.final else "live release"
        self.stdout.write(
            f"{found.slug}: {kind} published at {snapshot.computed_at:%Y-%m-%d %H:%M:%S} — "
            f"{responses} responses in the figures, "
            f"{len(snapshot.document['teams'])} teams, "
            f"employees {organisation['employee']['status']}, "
            f"clients {organisation['client']['status']}"
        )
