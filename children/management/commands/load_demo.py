"""Load a small demo authority: teams, one user per role, and children with care episodes,
section 47 enquiries, plans and allocations, and health assessments and PEPs for the
children in care. Demo mode only; safe to run again."""

import random
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from children import services
from children.models import Child, PeriodOfCare
from children.rules import EpisodeValues
from people.models import Team, User
from people.roles import Role
from people.services import roles_sync, user_set_roles

DEMO_DOMAIN = "demo.iro-service.example"
FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dylan",
    "Ella",
    "Finn",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kai",
    "Leah",
    "Mia",
    "Noah",
    "Olivia",
    "Priya",
    "Reece",
    "Sofia",
    "Tom",
    "Zara",
]
LAST_NAMES = [
    "Adams",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
]
PLACEMENTS = [("U4", "PR1"), ("U6", "PR4"), ("U3", "PR1"), ("K2", "PR4"), ("P1", "PR0")]
# A health assessment or PEP is recorded this many days at most before its due date.
EARLY_DAYS = 5


class Command(BaseCommand):
    help = "Load the demo dataset and one user per role (demo mode only; idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset-passwords", action="store_true", help="Print new passwords.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only for demo mode (IRO_DEMO_MODE=1, not production).")
        roles_sync()
        users, passwords = self.ensure_users(reset=options["reset_passwords"])
        if passwords:
            self.stdout.write(self.style.WARNING("Demo users (these passwords are shown once):"))
            for email, password in passwords:
                self.stdout.write(f"  {email:45} {password}")
        if Child.objects.exists():
            self.stdout.write("Demo children already loaded.")
            return
        with transaction.atomic():
            count = self.load_children(users)
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} demo children."))
        # The reviews app creates each child in care's next review (by name: no import).
        call_command("reviews_sync_next", stdout=self.stdout)

    def ensure_users(self, *, reset: bool) -> tuple[dict[str, User], list[tuple[str, str]]]:
        teams = ensure_teams()
        people = {
            Role.IRO: ("Irene", "Okafor", "IRO", teams["iro"]),
            Role.SENIOR_IRO: ("Sam", "Reid", "Senior IRO", teams["iro"]),
            Role.IRO_MANAGER: ("Morgan", "Hale", "IRO service manager", teams["iro"]),
            Role.BUSINESS_SUPPORT: ("Bea", "Santos", "Business support officer", teams["iro"]),
            Role.SOCIAL_WORKER: ("Sol", "Wright", "Social worker", teams["cic1"]),
            Role.TEAM_MANAGER: ("Tara", "Mills", "Team manager", teams["cic1"]),
            Role.HEAD_OF_SERVICE: ("Hari", "Shah", "Head of service", teams["cic"]),
            Role.DIRECTOR: ("Dana", "Cole", "Director of children's services", teams["root"]),
            Role.PERFORMANCE: ("Pat", "Ellis", "Performance analyst", None),
            Role.IG_OFFICER: ("Ira", "Grant", "Information governance officer", None),
            Role.SYSTEM_ADMIN: ("Sys", "Admin", "System administrator", None),
        }
        users, passwords = {}, []
        for role, (first, last, title, team) in people.items():
            email = f"{role.value.lower().replace(' ', '.')}@{DEMO_DOMAIN}"
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first, "last_name": last, "job_title": title, "team": team},
            )
            if created or reset:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.is_staff = role == Role.SYSTEM_ADMIN
                user.is_superuser = role == Role.SYSTEM_ADMIN
                user.save()
                passwords.append((email, password))
            user_set_roles(user=user, roles=[role])
            users[role] = user
        for key, role in [
            ("cic1", Role.TEAM_MANAGER),
            ("cic", Role.HEAD_OF_SERVICE),
            ("root", Role.DIRECTOR),
            ("iro", Role.IRO_MANAGER),
        ]:
            teams[key].manager = users[role]
            teams[key].save(update_fields=["manager"])
        return users, passwords

    def load_children(self, users: dict[Role, User]) -> int:
        rng = random.Random(2026)  # noqa: S311 - the same demo every time, not a secret
        admin = users[Role.BUSINESS_SUPPORT]
        manager = users[Role.IRO_MANAGER]
        teams = list(Team.objects.filter(level=Team.Level.TEAM).exclude(name="IRO Service"))
        today = timezone.localdate()
        for index in range(30):
            born = today - timedelta(days=rng.randint(200, 17 * 365))
            child = services.child_create(
                by=admin,
                la_child_id=f"DEMO{index + 1:03d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=born,
                sex=rng.choice("MF"),
                ethnicity=rng.choice(["WBRI", "MWBC", "AIND", "BAFR", "WOTH", "APKN"]),
                restricted=index == 29,
            )
            team = teams[index % len(teams)]
            started = max(born + timedelta(days=1), today - timedelta(days=rng.randint(10, 900)))
            services.allocation_start(
                child=child, kind="team", team=team, start_date=started, by=manager
            )
            if team.name.startswith("Children in Care Team 1"):
                services.allocation_start(
                    child=child,
                    kind="social_worker",
                    user=users[Role.SOCIAL_WORKER],
                    start_date=started,
                    by=manager,
                )
            services.allocation_start(
                child=child, kind="iro", user=users[Role.IRO], start_date=started, by=manager
            )
            if index % 3 != 2:
                place, provider = rng.choice(PLACEMENTS)
                services.episode_add(
                    child=child,
                    by=admin,
                    episode=EpisodeValues(
                        decom=started,
                        rne="S",
                        ls=rng.choice(["C1", "C2", "V2"]),
                        cin="N1",
                        place=place,
                        place_provider=provider,
                    ),
                )
            if index % 3 != 0:
                s47 = started - timedelta(days=20)
                services.s47_record(
                    child=child,
                    start_date=max(s47, born),
                    strategy_discussion_date=max(s47, born),
                    by=admin,
                )
                services.cp_plan_start(
                    child=child,
                    start_date=max(started, born + timedelta(days=1)),
                    categories=rng.choice([["NEG"], ["EMO"], ["NEG", "EMO"], ["PHY"]]),
                    by=admin,
                )
        care_checks_load(rng, by=admin, today=today)
        return 30


def care_checks_load(rng: random.Random, *, by: User, today: date) -> None:
    """Health assessments (H-1, H-2) and PEPs (E-1) for every child in care, recorded through
    the services a few days before each falls due, until the next is due after today: all
    in date, except the PEP of the child whose first PEP fell due most recently, which is
    left undone so the demo shows an overdue badge. A child under the PEP starting age
    (E-1-FROM-AGE) gets none: the page says it is not needed yet."""
    periods = list(PeriodOfCare.objects.filter(end_date__isnull=True).select_related("child"))
    waiting = [period for period in periods if period.pep_due and period.pep_due < today]
    most_recent = max(waiting, key=lambda period: period.pep_due, default=None)
    overdue = most_recent.pk if most_recent else None
    for period in periods:
        _record_until_in_date(
            rng, period, services.health_assessment_record, "health_assessment_due", by, today
        )
        if period.pk != overdue:
            _record_until_in_date(rng, period, services.pep_record, "pep_due", by, today)


def _record_until_in_date(
    rng: random.Random,
    period: PeriodOfCare,
    record: Callable[..., object],
    due_field: str,
    by: User,
    today: date,
) -> None:
    last = period.start_date - timedelta(days=1)
    while (due := getattr(period, due_field)) is not None and due < today:
        day = max(due - timedelta(days=rng.randint(0, EARLY_DAYS)), period.start_date)
        last = max(day, last + timedelta(days=1))
        record(child=period.child, completed_on=last, by=by)
        period.refresh_from_db(fields=[due_field])


def ensure_teams() -> dict[str, Team]:
    root, _ = Team.objects.get_or_create(
        name="Children's Services", defaults={"level": Team.Level.DIRECTORATE}
    )
    cic, _ = Team.objects.get_or_create(
        name="Children in Care Service", defaults={"level": Team.Level.SERVICE, "parent": root}
    )
    safeguarding, _ = Team.objects.get_or_create(
        name="Safeguarding Service", defaults={"level": Team.Level.SERVICE, "parent": root}
    )
    quality, _ = Team.objects.get_or_create(
        name="Quality Assurance Service", defaults={"level": Team.Level.SERVICE, "parent": root}
    )
    teams = {"root": root, "cic": cic, "safeguarding": safeguarding}
    for key, name, parent in [
        ("cic1", "Children in Care Team 1", cic),
        ("cic2", "Children in Care Team 2", cic),
        ("ai", "Assessment and Intervention Team", safeguarding),
        ("iro", "IRO Service", quality),
    ]:
        teams[key], _ = Team.objects.get_or_create(name=name, defaults={"parent": parent})
    return teams
