""" "Today" for the scans: the London date, moved on by ``demo_fast_forward`` in demo mode only."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone


def _offset_file():  # type: ignore[no-untyped-def]
    return settings.VAR_DIR / "demo-today-offset"


def demo_offset_days() -> int:
    """Days the demo's fake "today" is ahead of the real one (0 outside demo mode)."""
    if not settings.DEMO_MODE:
        return 0
    try:
        return int(_offset_file().read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def set_demo_offset_days(days: int) -> None:
    if not settings.DEMO_MODE:
        raise RuntimeError("The fake today exists in demo mode only.")
    path = _offset_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(days))


def today() -> date:
    """The London date (the service's time zone, ``settings.TIME_ZONE``), plus the demo
    offset in demo mode. Read in the default zone rather than whichever one is active, so a
    caller that switched zones cannot move the statutory day (23:30 UTC in summer is already
    tomorrow in London)."""
    london = timezone.localdate(timezone=timezone.get_default_timezone())
    return london + timedelta(days=demo_offset_days())
