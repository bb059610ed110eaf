"""Seed the schedule with the statutory defaults (retention.schedule.DEFAULT_RULES, as they
were when written) and, on PostgreSQL, refuse UPDATE and DELETE on the destruction log."""

from django.db import migrations

RULES = [
    {"category": "looked_after", "until_birthday": 75, "years_after_death": 15},
    {"category": "adopted", "years_after_closing": 100},
    {"category": "never_looked_after", "until_birthday": 25, "years_after_closing": 6},
]

CREATE = """
CREATE OR REPLACE FUNCTION retention_destruction_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The destruction log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER retention_destruction_log_append_only
    BEFORE UPDATE OR DELETE ON retention_destructionlogentry
    FOR EACH ROW EXECUTE FUNCTION retention_destruction_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS retention_destruction_log_append_only ON retention_destructionlogentry;
DROP FUNCTION IF EXISTS retention_destruction_log_append_only();
"""


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    rule = apps.get_model("retention", "RetentionRule")
    for values in RULES:
        rule.objects.update_or_create(category=values["category"], defaults=values)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_retention_schedule_holds_and_destruction")]
    operations = [migrations.RunPython(forwards, backwards)]
