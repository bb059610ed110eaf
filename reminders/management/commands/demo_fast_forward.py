"""Move the demo's fake "today" on by N days, then ask for the scans at once (demo only).

manage.py demo_fast_forward --days 7     # a week later: deadlines crossed, reminders due
manage.py demo_fast_forward --reset      # back to the real date
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reminders import clock, tasks
from reminders.enqueue import enqueue


class Command(BaseCommand):
    help = "Demo mode only: move the fake today used by the reminder scans and scan now."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--days", type=int, default=1, help="Days to move on (default 1).")
        parser.add_argument("--reset", action="store_true", help="Back to the real date.")

    def handle(self, *args: object, days: int, reset: bool, **options: object) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("This only works in demo mode (IRO_DEMO_MODE=1).")
        offset = 0 if reset else clock.demo_offset_days() + days
        clock.set_demo_offset_days(offset)
        queued = enqueue(tasks.scan_all)
        self.stdout.write(
            f"The reminder scans now use {clock.today():%A %d %B %Y} "
            f"({offset} days ahead). "
            + (
                "Scans queued: reminders arrive within a minute."
                if queued
                else "The broker is not running: the next scheduled scan will catch up."
            )
        )
