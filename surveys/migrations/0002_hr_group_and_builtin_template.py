"""Install the `hr` group and the built-in paired questionnaire."""

from django.db import migrations

from surveys.builtin_template import ITEMS

BUILTIN_NAME = "Baromètre de la symétrie des attentions"


def install(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    TemplateQuestion = apps.get_model("surveys", "TemplateQuestion")
    Group.objects.get_or_create(name="hr")
    questionnaire, _ = Questionnaire.objects.get_or_create(name=BUILTIN_NAME, builtin=True)
    for order, item in enumerate(ITEMS, start=1):
        for side in ("employee", "client"):
            TemplateQuestion.objects.update_or_create(
                questionnaire=questionnaire,
                side=side,
                code=item["code"],
                defaults={
                    "dimension": item["dimension"] or "",
                    "kind": item["kind"],
                    "text_fr": item[f"{side}_fr"],
                    "text_en": item[f"{side}_en"],
                    "required": item["required"],
                    "order": order,
                },
            )


def uninstall(apps, schema_editor):
    apps.get_model("surveys", "Questionnaire").objects.filter(builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(install, uninstall)]
