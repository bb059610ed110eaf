"""A second child in another team, allocated to bob, for the themes and visibility tests."""

import pytest

from tests.factories import ChildFactory


@pytest.fixture
def other_child(people, org):
    return ChildFactory(team=org["other_team"], iro=people["bob"], social_worker=people["charlie"])


@pytest.fixture(autouse=True)
def seeded_templates(db):
    """The data migration seeds the two templates; a transactional (browser) test run in the
    same database flushes them, so make sure they are there (seeding is idempotent)."""
    from audits.models import AuditQuestion, AuditTemplate, AuditTemplateVersion
    from audits.seed import seed_templates

    seed_templates(AuditTemplate, AuditTemplateVersion, AuditQuestion)
