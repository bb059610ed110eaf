#!/usr/bin/env python
"""Backup and restore drill (SECURITY.md T11): build a database with the demo dataset,
back it up with pg_dump, restore it into a fresh database with pg_restore, and compare every
table's row count and a checksum of its rows. Exit status 0 only if they are identical.

    .venv/bin/python bench/restore_drill.py [--server postgres://postgres@127.0.0.1:5432]
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SOURCE, TARGET = "iro_restore_drill_source", "iro_restore_drill_target"


def run(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(args, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603


def recreate(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of all rows (in key order) for every table."""
    result = {}
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (table,) in tables:
            rows = "coalesce(string_agg(t::text, '|' ORDER BY t::text), '')"
            count, digest = connection.execute(
                f'SELECT count(*), md5({rows}) FROM "{table}" t'
            ).fetchone()
            result[table] = (count, digest)
    return result


def drill(server: str) -> bool:
    recreate(server, SOURCE)
    env = os.environ | {"DATABASE_URL": f"{server}/{SOURCE}", "IRO_DEMO_MODE": "1"}
    python = sys.executable
    run(python, "manage.py", "migrate", "--noinput", env=env)
    run(python, "manage.py", "sync_roles", env=env)
    run(python, "manage.py", "load_demo", env=env)
    with tempfile.TemporaryDirectory() as folder:
        dump = str(Path(folder) / "backup.dump")
        run("pg_dump", "--format=custom", f"--file={dump}", f"{server}/{SOURCE}")
        recreate(server, TARGET)
        run("pg_restore", "--no-owner", f"--dbname={server}/{TARGET}", dump)
    before, after = fingerprint(f"{server}/{SOURCE}"), fingerprint(f"{server}/{TARGET}")
    rows = sum(count for count, _ in before.values())
    differing = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    print(f"tables: {len(before)}; rows: {rows}; tables differing after restore: {len(differing)}")
    for name in differing:
        print(f"  {name}: before {before.get(name)}, after {after.get(name)}")
    return not differing and rows > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    sys.exit(0 if drill(parser.parse_args().server) else 1)


if __name__ == "__main__":
    main()
