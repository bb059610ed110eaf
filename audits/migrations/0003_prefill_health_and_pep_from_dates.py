"""The health assessment and PEP questions are now prefilled from the dates the children's
records hold (``audits.prefill``): rename their prefill keys in every template version.
Completed audits keep the answers and evidence they were given."""

from django.db import migrations

RENAMED = {"health_considered": "health_assessment_in_date", "pep_considered": "pep_in_date"}


def rename(apps, schema_editor, mapping=RENAMED):
    AuditQuestion = apps.get_model("audits", "AuditQuestion")
    for old, new in mapping.items():
        AuditQuestion.objects.filter(prefill=old).update(prefill=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("audits", "0002_seed_templates")]

    operations = [migrations.RunPython(rename, rename_back)]
