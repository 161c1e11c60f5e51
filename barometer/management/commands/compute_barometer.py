from django.core.management.base import BaseCommand, CommandError

from barometer.services import snapshot_compute
from surveys.models import Campaign


class Command(BaseCommand):
    help = "Compute a snapshot of a campaign's barometer now."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug")

    def handle(self, *args, campaign, **options):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"No campaign with the slug {campaign!r}.")
        snapshot = snapshot_compute(campaign=found)
        organisation = snapshot.document["organisation"]
        self.stdout.write(
            f"{found.slug}: snapshot computed at {snapshot.computed_at:%Y-%m-%d %H:%M:%S} — "
            f"{snapshot.responses_seen} responses, "
            f"{len(snapshot.document['teams'])} teams, "
            f"employees {organisation['employee']['status']}, "
            f"clients {organisation['client']['status']}"
        )
