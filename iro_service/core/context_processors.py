"""Template context shared by every page: the service name and the user's navigation."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from people.roles import CASE_ROLES, Role

AUDIT_ROLES = (
    Role.IRO,
    Role.SENIOR_IRO,
    Role.IRO_MANAGER,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.DIRECTOR,
)

REPORT_ROLES = (
    Role.IRO_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.DIRECTOR,
    Role.PERFORMANCE,
    Role.SYSTEM_ADMIN,
)


def navigation(request: HttpRequest) -> list[dict[str, object]]:
    """Links for the signed-in user's roles; the current section is marked active."""
    user = getattr(request, "user", None)  # absent when a static-file 404 is rendered
    if user is None or not user.is_authenticated:
        return []
    items = [("Home", reverse("home"))]
    if user.roles & CASE_ROLES:
        items.append(("Children", reverse("children:list")))
    if user.roles & CASE_ROLES:
        items.append(("Reviews", reverse("reviews:mine")))
    if user.roles & CASE_ROLES:
        items.append(("Conferences", reverse("conferences:home")))
    if user.roles & (CASE_ROLES - {Role.BUSINESS_SUPPORT, Role.SOCIAL_WORKER}):
        items.append(("Challenges", reverse("challenges:mine")))
    if user.has_role(Role.IRO_MANAGER):
        items.append(("Clinics", reverse("challenges:clinics")))
    if user.has_role(*AUDIT_ROLES):
        items.append(("Audits", reverse("audits:due")))
    elif user.has_role(Role.SOCIAL_WORKER):
        items.append(("Recommendations", reverse("audits:recommendations")))
    if user.has_role(Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER, Role.SYSTEM_ADMIN):
        items.append(("Timescales", reverse("timescales:rules")))
    if user.has_role(*REPORT_ROLES):
        items.append(("Annual report", reverse("reporting:annual")))
    if user.has_role(Role.IRO_MANAGER, Role.SYSTEM_ADMIN):
        items.append(("Returns", reverse("reporting:returns")))
    if user.has_role(Role.IG_OFFICER):
        items.append(("Records opened outside teams", reverse("children:out-of-relationship")))
    if user.has_role(Role.SYSTEM_ADMIN):
        items.append(("Audit templates", reverse("audits:templates")))
        items.append(("Service health", reverse("reminders:health")))
    path = request.path
    matches = [url for _, url in items if path == url or (url != "/" and path.startswith(url))]
    # The longest match only: /challenges/clinics/ is Clinics, not Challenges as well.
    active = max(matches, key=len, default=None)
    return [{"label": label, "url": url, "active": url == active} for label, url in items]


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "mfa_required": settings.MFA_REQUIRED,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "nav_items": navigation(request),
        "unread_notifications": unread_notifications(request),
    }


def unread_notifications(request: HttpRequest) -> int | None:
    """The header's unread count: one COUNT query, only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from reminders.selectors import unread_count

    return unread_count(user)
