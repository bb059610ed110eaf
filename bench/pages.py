#!/usr/bin/env python
"""The pages the load test visits, who visits them, and how many queries each issues.

    DATABASE_URL=... python bench/pages.py targets   # JSON: page, URL, session cookie
    DATABASE_URL=... python bench/pages.py queries   # JSON: page, status, query count

Each role gets a signed-in session created directly in the session table (the load test
measures pages, not the sign-in and MFA steps). The IRO is the one with the largest caseload
and the child is that IRO's child in care with the longest timeline, so the council and
England runs compare the same page for the same role.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from children.models import Child  # noqa: E402
from people.models import User  # noqa: E402
from people.roles import Role  # noqa: E402

# Names the manager dashboard may have (issue 10 builds it under /reports/).
DASHBOARD_NAMES = (
    "reporting:dashboard_service",
    "reporting:dashboard",
    "reporting:manager_dashboard",
    "reporting:manager-dashboard",
)


def _with_role(role: Role) -> User:
    return User.objects.filter(groups__name=role.value, is_active=True).order_by("pk").first()


def _session(user: User) -> str:
    now = int(time.time())
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store["session_started_at"] = now
    store["session_last_seen_at"] = now
    store.create()
    return store.session_key


def _dashboard() -> str | None:
    for name in DASHBOARD_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def targets() -> list[dict]:
    caseloads = (
        Child.objects.filter(iro__groups__name=Role.IRO.value)
        .values("iro")
        .annotate(n=Count("pk"))
        .order_by("-n", "iro")
    )
    iro = User.objects.get(pk=caseloads[0]["iro"])
    child = (
        Child.objects.filter(iro=iro, periods_of_care__isnull=False, periods_of_care__end_date=None)
        .annotate(events_n=Count("events", distinct=True))
        .order_by("-events_n", "pk")
        .first()
    )
    sessions = {
        Role.IRO: _session(iro),
        Role.BUSINESS_SUPPORT: _session(_with_role(Role.BUSINESS_SUPPORT)),
        Role.IRO_MANAGER: _session(_with_role(Role.IRO_MANAGER)),
    }
    pages = [
        ("floor (base template)", "/bench/floor/", Role.IRO),
        ("IRO home (caseload)", "/", Role.IRO),
        ("My reviews", reverse("reviews:mine"), Role.IRO),
        ("Child page with timeline", reverse("children:detail", args=[child.pk]), Role.IRO),
        ("Schedule queue", reverse("reviews:schedule_queue"), Role.BUSINESS_SUPPORT),
        ("Manager dashboard", _dashboard(), Role.IRO_MANAGER),
        ("Challenges list", reverse("challenges:list"), Role.IRO_MANAGER),
        ("My challenges", reverse("challenges:mine"), Role.IRO),
        ("API children", "/api/v1/children/", Role.IRO),
        ("API reviews", "/api/v1/reviews/", Role.IRO),
        ("API conferences", "/api/v1/conferences/", Role.IRO),
        ("API challenges", "/api/v1/challenges/", Role.IRO),
    ]
    return [
        {"name": name, "url": url, "role": role.value, "session": sessions[role]}
        for name, url, role in pages
    ]


def _timed(client: Client, url: str, *, worked_out: bool) -> tuple[float, int, int]:
    """Seconds, queries and status of one request; ``worked_out`` empties the cache first,
    so the page works out what it would otherwise serve kept (``iro_service.core.kept``)."""
    if worked_out:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    return seconds, len(captured), response.status_code


def queries(pages: list[dict], repeats: int = 7) -> list[dict]:
    """Per page (after one warm-up request): the queries of a request that works the page
    out, and of one served from what is kept (the same for pages that keep nothing); and
    the median in-process time of each over ``repeats`` requests."""
    results = []
    for page in pages:
        if page["url"] is None:
            results.append({**page, "status": None, "queries": None})
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = page["session"]
        client.get(page["url"])
        worked = [_timed(client, page["url"], worked_out=True) for _ in range(repeats)]
        kept = [_timed(client, page["url"], worked_out=False) for _ in range(repeats)]
        results.append(
            {
                **page,
                "status": worked[-1][2],
                "queries": worked[-1][1],
                "kept_queries": kept[-1][1],
                "worked_out_ms": statistics.median(t for t, _, _ in worked) * 1000,
                "kept_ms": statistics.median(t for t, _, _ in kept) * 1000,
            }
        )
    return results


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "targets"
    pages = targets()
    print(json.dumps(queries(pages) if command == "queries" else pages))


if __name__ == "__main__":
    main()
