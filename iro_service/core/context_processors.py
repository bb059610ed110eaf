"""Template context shared by every page: the service name and the user's navigation."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from iro_service.core.policy import Action, may, reaches_children

# Challenges are work for those who raise them, answer them or decide on escalations.
CHALLENGE_WORK = (
    Action.CHALLENGE_RAISE,
    Action.CHALLENGE_RESPOND,
    Action.CHALLENGE_REASSIGN,
    Action.CHALLENGE_DECIDE,
)


def navigation(request: HttpRequest) -> list[dict[str, object]]:
    """Links for the signed-in user's roles, each shown to the roles the policy table
    (``iro_service.core.policy``) lets take its page's action; the current section is
    marked active."""
    user = getattr(request, "user", None)  # absent when a static-file 404 is rendered
    if user is None or not user.is_authenticated:
        return []
    roles = user.roles
    items = [("Home", reverse("home"))]
    if reaches_children(roles):
        items.append(("Children", reverse("children:list")))
        items.append(("Reviews", reverse("reviews:mine")))
        items.append(("Conferences", reverse("conferences:home")))
    if any(may(roles, action) for action in CHALLENGE_WORK):
        items.append(("Challenges", reverse("challenges:mine")))
    if may(roles, Action.CLINIC_RUN):
        items.append(("Clinics", reverse("challenges:clinics")))
    if may(roles, Action.AUDIT_LISTS):
        items.append(("Audits", reverse("audits:due")))
    elif may(roles, Action.AUDIT_RECOMMENDATION_CLOSE):
        items.append(("Recommendations", reverse("audits:recommendations")))
    if may(roles, Action.TIMESCALES_READ):
        items.append(("Timescales", reverse("timescales:rules")))
    if may(roles, Action.ANNUAL_REPORT_READ):
        items.append(("Annual report", reverse("reporting:annual")))
    if may(roles, Action.RETURNS_PAGE):
        items.append(("Returns", reverse("reporting:returns")))
    if may(roles, Action.OUT_OF_RELATIONSHIP_REPORT):
        items.append(("Records opened outside teams", reverse("children:out-of-relationship")))
    if may(roles, Action.RETENTION_REPORT):
        items.append(("Records retention", reverse("retention:records")))
    if may(roles, Action.AUDIT_TEMPLATES):
        items.append(("Audit templates", reverse("audits:templates")))
    if may(roles, Action.SERVICE_HEALTH):
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
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_label": settings.OIDC_PROVIDER_LABEL,
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
