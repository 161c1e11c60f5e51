"""Responses say whether the shuffle pass has moved them yet (surveys/shuffle.py).

The database default keeps the answering statements, which name their columns,
unchanged; the rows already stored start unmoved, so the first pass moves them all.
A partial index finds the few rows still unmoved. SQLite rebuilds the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0008_campaign_releases"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="shuffled",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=models.Q(("shuffled", False)),
                fields=["campaign"],
                name="response_unshuffled",
            ),
        ),
    ]
