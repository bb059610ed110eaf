"""Pages: notifications (list, acknowledge one or many), email settings and the calendar
feed, the health page for administrators; and two addresses that need no sign-in: /healthz
(no case data) and the secret calendar feed (its token is the credential)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from iro_service.core.errors import ApplicationError
from people.roles import Role
from reminders import calendars, health, selectors, services, tasks
from reminders.enqueue import enqueue_on_commit
from reminders.forms import PreferenceForm
from reminders.models import CalendarFeed, EmailDelivery

PAGE_SIZE = 50
# The session key holding a new calendar token until the settings page shows it (once).
NEW_FEED_SESSION_KEY = "reminders.new_calendar_token"


def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/list.html",
        {"page_obj": page, "unread_only": unread_only},
    )


@require_POST
def notification_acknowledge(request: HttpRequest) -> HttpResponse:
    if request.POST.get("all") == "1":
        ids = selectors.notifications_for(request.user, unread_only=True).values_list(
            "pk", flat=True
        )
    else:
        ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    if not ids:
        messages.error(request, "Select the notifications to mark as read.")
        return redirect("reminders:list")
    count = services.notifications_acknowledge(ids=list(ids), by=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("reminders:list")


def preference_edit(request: HttpRequest) -> HttpResponse:
    current = selectors.preferences_for(request.user)
    form = PreferenceForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(user=request.user, modes=form.cleaned_data, by=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your email settings have been saved.")
            return redirect("reminders:settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    # A new address is shown once, on the page the "make" button leads back to.
    new_token = request.session.pop(NEW_FEED_SESSION_KEY, "") if feed else ""
    feed_url = (
        request.build_absolute_uri(reverse("reminders:feed", args=[new_token])) if new_token else ""
    )
    return render(
        request, "reminders/settings.html", {"form": form, "feed": feed, "feed_url": feed_url}
    )


@require_POST
def calendar_feed_change(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "off":
        services.calendar_feed_revoke(by=request.user)
        messages.success(request, "Your calendar address has been turned off.")
    else:
        request.session[NEW_FEED_SESSION_KEY] = services.calendar_feed_renew(by=request.user)
        messages.success(request, "You have a new calendar address. The old one no longer works.")
    return redirect("reminders:settings")


@login_not_required
@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed; an unknown or revoked token is a 404 (no hint that it existed)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=CalendarFeed.hash_token(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No such calendar")
    response = HttpResponse(calendars.feed_ics(feed.user), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def _health() -> dict[str, object]:
    database = health.database_ok()
    broker = health.broker_status()
    scans = {}
    if database:
        scans = {
            rule: when.isoformat() if when else None
            for rule, when in selectors.last_scans().items()
        }
    status = "ok" if database and broker == "ok" else ("degraded" if database else "down")
    return {
        "status": status,
        "database": "ok" if database else "down",
        "broker": broker,
        "last_scans": scans,
    }


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """No sign-in, no case data. 200 while the database answers (a broker outage is
    "degraded": pages work and reminders wait in the database); 503 when it does not."""
    body = _health()
    return JsonResponse(body, status=503 if body["database"] == "down" else 200)


def health_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied
    if request.method == "POST":
        enqueue_on_commit(tasks.scan_all)
        messages.success(
            request, "Scans asked for. If the broker is down, they run when it is back."
        )
        return redirect("reminders:health")
    body = _health()
    context = {
        "health": body,
        "scans": sorted(selectors.last_scans().items()),
        "queues": health.queue_lengths(),
        "failed": selectors.failed_deliveries(),
        "pending": EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING).count(),
        "now": timezone.now(),
    }
    return render(request, "reminders/health.html", context)
