"""PostgreSQL: leave a fifth of each page of the invitations table free.

An invitation is rewritten in place over and over: marked used by its submission,
then again every minute by the unlink job while its campaign is open (see
surveys/answering/traces.py, invitations_unlink). With room on its page, PostgreSQL keeps
the new row version there without touching the table's seven indexes (a HOT
update), and the old one is reclaimed the next time the page is read. On packed
pages each rewrite moved the row to a new page and added an entry to every index:
the table and its indexes grew with every pass until a vacuum.

Existing tables need no rewrite: a row that a rewrite moves lands on a new page,
which keeps the room, so after a few passes most rewrites stay in place.
"""

from django.db import migrations

FREE_SHARE = 80  # percent of a page filled by inserts; the rest awaits updates


def _alter(apps, schema_editor, setting):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no such setting
    table = schema_editor.quote_name(apps.get_model("surveys", "Invitation")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} {setting}")


def leave_room(apps, schema_editor):
    _alter(apps, schema_editor, f"SET (fillfactor = {FREE_SHARE})")


def fill_pages(apps, schema_editor):
    _alter(apps, schema_editor, "RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_drop_indexes_covered_by_composites"),
    ]

    operations = [migrations.RunPython(leave_room, fill_pages)]
