"""``manage.py generate_data``: synthetic data for the benchmarks (issue 11).

    manage.py generate_data --size council --seed 1
    manage.py generate_data --children 5000 --years 3 --seed 7
    manage.py generate_data --size england --fraction 0.5 --seed 1 --tag EA

Refused in production: the rows are made up.
"""

import re
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.synthetic import PRESETS, Size, generate


class Command(BaseCommand):
    help = "Generate a synthetic authority (children, reviews, conferences, challenges, staff)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(PRESETS), help="A preset size.")
        parser.add_argument("--children", type=int, help="Children in care today.")
        parser.add_argument("--on-plans", type=int, help="Children on a plan today.")
        parser.add_argument("--iros", type=int, help="IROs (default one per 70 children).")
        parser.add_argument("--years", type=int, default=3, help="Years of history.")
        parser.add_argument("--fraction", type=float, default=1.0, help="Scale the size.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (default today).")
        parser.add_argument("--tag", default="", help="Letters/digits prefixing child IDs.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Synthetic data is never generated in production.")
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("generate_data writes with COPY: it needs PostgreSQL.")
        size = self.size(options)
        tag = options["tag"]
        if tag and not re.fullmatch(r"[A-Za-z0-9]{1,8}", tag):
            raise CommandError("--tag must be 1 to 8 letters or digits.")
        started = time.monotonic()
        counts = generate(
            size,
            seed=options["seed"],
            today=options["today"],
            tag=tag,
            progress=lambda line: self.stdout.write(f"  {line}"),
        )
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label:45} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {size.in_care:,} in care, {size.on_plans:,} on plans, "
                f"{size.iros:,} IROs "
                f"in {time.monotonic() - started:.1f} s"
            )
        )

    def size(self, options: dict[str, Any]) -> Size:
        if options["size"]:
            base = PRESETS[options["size"]]
        elif options["children"]:
            base = Size.for_children(options["children"], options["years"])
        else:
            raise CommandError("Give --size or --children.")
        on_plans = options["on_plans"] if options["on_plans"] is not None else base.on_plans
        iros = options["iros"] or base.iros
        fraction = options["fraction"]
        if not 0 < fraction <= 1:
            raise CommandError("--fraction must be above 0 and at most 1.")
        return Size(
            in_care=max(1, round(base.in_care * fraction)),
            on_plans=round(on_plans * fraction),
            iros=max(1, round(iros * fraction)),
            years=options["years"],
        )
