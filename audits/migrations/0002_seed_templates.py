"""Seed the CLA review and CP conference audit templates (DOMAIN.md section 8)."""

from django.db import migrations


def seed(apps, schema_editor):
    from audits.seed import seed_templates

    seed_templates(
        apps.get_model("audits", "AuditTemplate"),
        apps.get_model("audits", "AuditTemplateVersion"),
        apps.get_model("audits", "AuditQuestion"),
    )


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
