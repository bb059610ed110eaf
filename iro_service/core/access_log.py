"""Which routes show a case record, and the one function that writes the access log.

Each app registers its record routes (``register_route``) in its AppConfig.ready: the URL
name, the record type, the URL keyword holding its id, and how to find the child it belongs
to. ``AccessLogMiddleware`` writes a row for every request to a registered route; if the row
cannot be written the request fails, so no view of a record goes unlogged.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from iro_service.core.models import AccessLogEntry


@dataclass(frozen=True)
class LoggedRoute:
    record_type: str
    id_kwarg: str
    children_of: Callable[[str], list[int]]


_ROUTES: dict[str, LoggedRoute] = {}


def register_route(
    url_name: str,
    *,
    record_type: str,
    id_kwarg: str = "pk",
    children_of: Callable[[str], list[int]] | None = None,
) -> None:
    """``children_of`` maps the record id to the ids of the children it is about (a
    service-level challenge covers many); omit it for a child's own routes."""
    _ROUTES[url_name] = LoggedRoute(record_type, id_kwarg, children_of or _same_id)


def _same_id(record_id: str) -> list[int]:
    return [int(record_id)] if record_id.isdigit() else []


def logged_route(url_name: str | None) -> LoggedRoute | None:
    return _ROUTES.get(url_name or "")


def logged_route_names() -> frozenset[str]:
    return frozenset(_ROUTES)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _reason(request: HttpRequest) -> str:
    """The reason the user gave for opening the record: set on the request by a view that
    knows one (a child opened outside the user's teams), else given with the request."""
    given = getattr(request, "access_reason", "")
    return given or (request.GET.get("reason", "") if request.method == "GET" else "")


def access_log_write(
    *, request: HttpRequest, route: LoggedRoute, url_name: str, record_id: str, status: int
) -> list[AccessLogEntry]:
    """One row per child the record is about (one row with no child if none is known)."""
    user = request.user
    entry = {
        "user": user,
        "roles": ", ".join(sorted(role.value for role in user.roles)),
        "record_type": route.record_type,
        "record_id": record_id,
        "route": url_name,
        "method": request.method or "",
        "status_code": status,
        "ip_address": client_ip(request),
        "reason": _reason(request)[:300],
    }
    children = route.children_of(record_id) if record_id.isdigit() else []
    if len(children) <= 1:
        # Most records are about one child: a single INSERT, without the transaction
        # bulk_create opens (two more round trips on every page view).
        return [AccessLogEntry.objects.create(child_id=children[0] if children else None, **entry)]
    rows = [AccessLogEntry(child_id=child_id, **entry) for child_id in children]
    return AccessLogEntry.objects.bulk_create(rows)
