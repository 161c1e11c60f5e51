"""Create (or reset the password of) the demo HR account, and print how to log in.

With the demo organisation in the database (`seed_demo`), the demo managers' logins
are printed too.
"""

from django.core.management.base import BaseCommand

from demo.queries import login_lines
from demo.seeding import hr_account_ensure


class Command(BaseCommand):
    help = "Create the demo HR account used by `make run` and print the demo logins."

    def handle(self, *args, **options):
        hr_account_ensure()
        for line in login_lines():
            self.stdout.write(f"  {line}")
