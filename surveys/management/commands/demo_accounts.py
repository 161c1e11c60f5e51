"""Create (or reset the password of) the demo HR account, and print how to log in.

With the demo organisation in the database (`seed_demo`), the demo managers' logins
are printed too.
"""

from django.core.management.base import BaseCommand

from surveys import demo

DEMO_HR = demo.DEMO_HR


class Command(BaseCommand):
    help = "Create the demo HR account used by `make run` and print the demo logins."

    def handle(self, *args, **options):
        demo.hr_account_ensure()
        for line in demo.login_lines():
            self.stdout.write(f"  {line}")
