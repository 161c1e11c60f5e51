"""Answers' link to their question is checked by the database again (0007 had dropped
the check for speed): a question with answers cannot be deleted behind Django's back.
SQLite rebuilds the table; on PostgreSQL adding the constraint checks every answer.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0010_invitation_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="surveys.campaignquestion",
            ),
        ),
    ]
