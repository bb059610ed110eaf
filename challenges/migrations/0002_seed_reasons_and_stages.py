"""Seed the default reasons for challenge (DOMAIN.md 7.3) and the stage settings (DOMAIN.md
"Decided defaults", Issues Resolution Process; DR-1 .. DR-4)."""

from django.db import migrations

REASONS = [
    ("drift-delay", "Drift and delay in the care plan"),
    ("permanence", "Permanence planning"),
    ("care-planning", "Care planning and implementing review decisions"),
    ("placement", "Placement suitability or stability"),
    ("statutory-compliance", "Statutory compliance (visits, reviews, plans)"),
    ("health", "Health"),
    ("education", "Education and PEP"),
    ("contact", "Contact and family time"),
    ("no-social-worker", "No allocated social worker or frequent changes"),
    ("poor-practice", "Poor practice or recording"),
    ("participation", "Participation, advocacy, independent visitor"),
    ("legal-status", "Legal status"),
    ("leaving-care", "Leaving care and pathway planning"),
    ("resources", "Resources"),
]

# stage, owner level, needs approval to escalate into it. Days: blank = the rule book
# (DR-1 10 WD informal, DR-2 5 WD per formal stage), changed there with an effective date.
STAGES = [
    ("informal", "team_manager", False),
    ("stage_1", "team_manager", False),
    ("stage_2", "head_of_service", False),
    ("stage_3", "head_of_service", True),
    ("stage_4", "director", True),
    ("cafcass", "none", True),
]


def seed(apps, schema_editor):
    reason = apps.get_model("challenges", "ChallengeReason")
    for order, (code, label) in enumerate(REASONS, start=1):
        reason.objects.get_or_create(code=code, defaults={"label": label, "order": order})
    config = apps.get_model("challenges", "StageConfig")
    for stage, owner, approval in STAGES:
        config.objects.get_or_create(
            stage=stage, defaults={"owner_level": owner, "needs_approval": approval}
        )


class Migration(migrations.Migration):
    dependencies = [("challenges", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
