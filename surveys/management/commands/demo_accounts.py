"""Create (or reset the password of) the demo HR account, and print how to log in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from surveys.access import HR_GROUP

DEMO_HR = ("rh@demo.symetrie.fr", "demo-rh-2026")


class Command(BaseCommand):
    help = "Create the demo HR account used by `make run` and print its login."

    def handle(self, *args, **options):
        username, password = DEMO_HR
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": username, "first_name": "Camille"}
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=HR_GROUP))
        self.stdout.write(f"  HR (all teams, campaigns): {username} / {password}")
