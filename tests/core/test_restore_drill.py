"""The backup and restore drill (SECURITY.md "restore"): identical after restore."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.conftest import requires_postgres

ROOT = Path(__file__).resolve().parents[2]


@requires_postgres
def test_a_backup_restores_to_an_identical_database():
    database = settings.DATABASES["default"]
    login = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    server = f"postgres://{login}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "bench/restore_drill.py", "--server", server],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tables differing after restore: 0" in result.stdout
