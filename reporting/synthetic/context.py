"""What every part of the generator shares: the writer, the random source, "today", the
clock engine (calendar and rule books, read once) and small helpers for dates and times."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reporting.synthetic.names import SENTENCES
from reporting.synthetic.staff import SocialWorkTeam, Staff
from reporting.synthetic.writer import CopyWriter
from timescales.calendar import WorkingCalendar
from timescales.services import RuleBooks

LONDON = ZoneInfo("Europe/London")


@dataclass
class Context:
    writer: CopyWriter
    rng: random.Random
    today: date
    years: int
    calendar: WorkingCalendar
    books: RuleBooks
    staff: Staff
    tag: str
    # Audits a held meeting (kind, child id, held date, review_id= or conference_id=).
    audit: Callable[..., None] | None = None

    @property
    def window_start(self) -> date:
        return self.today - timedelta(days=365 * self.years)

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def at(self, day: date, hour: int = 10) -> datetime:
        """A London time on ``day`` (meetings, requests)."""
        return datetime.combine(day, time(hour, 0), tzinfo=LONDON)

    def text(self, sentences: int = 2) -> str:
        return " ".join(self.rng.sample(SENTENCES, sentences))

    def team(self) -> SocialWorkTeam:
        return self.rng.choice(self.staff.teams)

    def iro(self) -> int:
        return self.rng.choice(self.staff.iros)

    def business_support(self) -> int:
        return self.rng.choice(self.staff.business_support)
