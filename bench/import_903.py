#!/usr/bin/env python
"""SSDA903 import throughput: generate a synthetic but valid 903 return (Header, Episodes,
Reviews; 50,000 episodes by default, fixed seed), import it into a freshly migrated database
and print episodes per second. Then import the same files again (nothing may change) and
time that too.

    .venv/bin/python bench/import_903.py [--server postgres://postgres@127.0.0.1:5432]
                                         [--episodes 50000] [--keep-files DIR]

The children, postcodes and UPNs are made up (ZZ postcodes, LA code 999).
"""

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "iro_bench_import_903"
YEAR = 2024  # 2024-25
YEAR_END = date(YEAR + 1, 3, 31)
SEED = 903
ETHNIC = ["WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "AIND", "APKN", "BCRB", "BAFR", "OOTH"]
PLACES = ["U1", "U3", "U4", "U6", "K2", "R1"]
LEAVING = ["E4A", "E13", "E41", "E45", "E11", "E8"]
HEADER_COLUMNS = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODE_COLUMNS = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
REVIEW_COLUMNS = "CHILD,DOB,REVIEW,REVIEW_CODE"


def ddmmyyyy(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def one_child(rng: random.Random, n: int, wanted: int) -> tuple[list, list, list]:
    """One child's header row, up to ``wanted`` episodes in one period of care, and reviews."""
    child = f"B{n:07d}"
    start = date(2018, 4, 1) + timedelta(days=rng.randrange(0, 2400))
    born = start - timedelta(days=rng.randrange(30, 17 * 365))
    header = [child, rng.choice("MF"), ddmmyyyy(born), rng.choice(ETHNIC), f"A999{n:09d}", "", ""]
    cin, legal, place = rng.choice(["N1", "N4", "N5"]), rng.choice(["C1", "V2"]), rng.choice(PLACES)
    episodes, decom, rne = [], start, "S"
    for index in range(wanted):
        dec = decom + timedelta(days=rng.randrange(20, 220))
        last = index == wanted - 1 or dec >= YEAR_END
        if dec >= YEAR_END:
            dec, rec = None, ""
        elif last:
            dec, rec = (None, "") if rng.random() < 0.5 else (dec, rng.choice(LEAVING))
        else:
            rec = "X1"
        move = not last and rng.random() < 0.6
        episodes.append(
            [child, ddmmyyyy(decom), rne, legal, cin, place, "PR1" if place != "K2" else "PR4",
             ddmmyyyy(dec), rec, "CARPL" if move else "", "ZZ1 1AA", f"ZZ{n % 9 + 1} 2BB",
             "XXXXXXX" if place.startswith("U") else f"999{n % 10000:04d}"]
        )  # fmt: skip
        if last:
            break
        decom = dec
        if move:
            rne, place = "P", rng.choice([p for p in PLACES if p != place])
        else:
            rne, legal = "L", "C2" if legal != "C2" else "E1"
    end = dec if dec is not None else YEAR_END
    reviews, held, gap = [], start + timedelta(days=10), 85
    while held <= end:
        code = "PN0" if age_on(born, held) < 4 else f"PN{rng.randrange(1, 8)}"
        reviews.append([child, ddmmyyyy(born), ddmmyyyy(held), code])
        held, gap = held + timedelta(days=gap), 175
    return [header], episodes, reviews


def generate(episodes_wanted: int) -> dict[str, bytes]:
    """A valid return of exactly ``episodes_wanted`` episodes (seed fixed: same bytes every run)."""
    rng = random.Random(SEED)
    tables: dict[str, list] = {"header": [], "episodes": [], "reviews": []}
    n = 0
    while len(tables["episodes"]) < episodes_wanted:
        n += 1
        left = episodes_wanted - len(tables["episodes"])
        header, episodes, reviews = one_child(rng, n, min(left, rng.randrange(1, 8)))
        tables["header"] += header
        tables["episodes"] += episodes
        tables["reviews"] += reviews
    columns = {"header": HEADER_COLUMNS, "episodes": EPISODE_COLUMNS, "reviews": REVIEW_COLUMNS}
    files = {}
    for table, rows in tables.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns[table].split(","))
        writer.writerows(rows)
        files[f"SSDA903_{YEAR + 1}_{table}.csv"] = buffer.getvalue().encode()
    return files


def fresh_database(server: str, name: str = DATABASE) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    env = os.environ | {"DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks"],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return url


def timed_import(url: str, files: dict[str, bytes]) -> list[dict]:
    """Import twice in this process (Django set up against ``url``); seconds and summaries."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from reporting.imports.ssda903 import import_ssda903

    results = []
    for _ in range(2):
        started, cpu = time.perf_counter(), time.process_time()
        summary = import_ssda903(files, year=YEAR, by=None)
        results.append(
            {
                "seconds": time.perf_counter() - started,
                "cpu": time.process_time() - cpu,
                "summary": summary,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--episodes", type=int, default=50_000)
    parser.add_argument("--keep-files", help="also write the generated return to this folder")
    parser.add_argument("--database", default=DATABASE, help="dropped and created again")
    options = parser.parse_args()
    files = generate(options.episodes)
    if options.keep_files:
        folder = Path(options.keep_files)
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)
    rows = {name: content.count(b"\r\n") - 1 for name, content in files.items()}
    first, again = timed_import(fresh_database(options.server, options.database), files)
    episodes = first["summary"]["episodes"]["added"]
    print(f"rows in the files: {json.dumps(rows)}")
    print(f"load average before: {os.getloadavg()[0]:.1f} (other work on the machine slows this)")
    print(
        f"first import: {first['seconds']:.1f} s, {episodes / first['seconds']:.0f} episodes/s "
        f"(this process's CPU: {first['cpu']:.1f} s; the rest is PostgreSQL and waiting)"
    )
    print(f"  {json.dumps(first['summary'])}")
    print(
        f"same files again: {again['seconds']:.1f} s (CPU {again['cpu']:.1f} s), "
        f"{json.dumps(again['summary'])}"
    )
    # Last line: what bench/run shows.
    print(
        f"{episodes} episodes in {first['seconds']:.1f} s: "
        f"{episodes / first['seconds']:.0f} episodes/s"
    )


if __name__ == "__main__":
    main()
