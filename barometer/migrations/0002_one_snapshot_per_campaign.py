"""One published document per campaign, with its release state.

Existing databases: every snapshot of a campaign that is not closed goes (it was computed
from every answer at that moment, so comparing it with the releases that follow could
isolate fewer than k answers); a closed campaign keeps its latest snapshot only, marked
final. The `responses_seen` counter and its per-refresh history go with them.
"""

import django.db.models.deletion
from django.db import migrations, models


def keep_latest_finals(apps, schema_editor):
    Snapshot = apps.get_model("barometer", "Snapshot")
    Snapshot.objects.exclude(campaign__status="closed").delete()
    kept = set()
    for pk, campaign_id in Snapshot.objects.order_by("campaign_id", "-computed_at", "-pk").values_list(
        "pk", "campaign_id"
    ):
        if campaign_id in kept:
            Snapshot.objects.filter(pk=pk).delete()
        else:
            kept.add(campaign_id)


class Migration(migrations.Migration):
    dependencies = [
        ("barometer", "0001_initial"),
        ("surveys", "0008_campaign_releases"),
    ]

    operations = [
        migrations.RunPython(keep_latest_finals, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="snapshot", name="barometer_s_campaig_13ebf9_idx"),
        migrations.AlterModelOptions(name="snapshot", options={}),
        migrations.RemoveField(model_name="snapshot", name="responses_seen"),
        migrations.AddField(
            model_name="snapshot",
            name="final",
            field=models.BooleanField(default=False),
        ),
        migrations.RunSQL(
            "UPDATE barometer_snapshot SET final = TRUE",
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="snapshot",
            name="state",
            field=models.JSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="snapshot",
            name="campaign",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="snapshot",
                to="surveys.campaign",
            ),
        ),
    ]
