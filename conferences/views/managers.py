"""Managers' lists (long and repeat plans, timeliness) and the outcome letter and minutes
PDFs."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from conferences import documents, policies, selectors
from conferences.forms import TimelinessFilterForm
from conferences.models import Conference
from conferences.views._common import PAGE_SIZE, chair_users
from timescales.rules import assess
from timescales.services import rule_books, working_calendar

# Managers --------------------------------------------------------------------------------

PLAN_LISTS = {
    "15m": "Plans open more than 15 months",
    "18m": "Plans open more than 18 months",
    "2y": "Plans open more than 2 years",
    "repeat": "Second or subsequent plans",
}


def plans(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("list", "15m")
    if which not in PLAN_LISTS:
        which = "15m"
    today = timezone.localdate()
    if which == "repeat":
        rows = selectors.repeat_plans(user=request.user)
    else:
        months = {"15m": 15, "18m": 18, "2y": 24}[which]
        rows = selectors.plans_open_longer_than(user=request.user, months=months, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "which": which, "lists": PLAN_LISTS, "today": today}
    return render(request, "conferences/plans.html", context)


def timeliness(request: HttpRequest) -> HttpResponse:
    chairs = chair_users()
    form = TimelinessFilterForm(request.GET or None, chairs=chairs)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.conference_timeliness(
        user=request.user,
        conference_type=filters.get("conference_type") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        chair_id=filters.get("chair"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    books, calendar_, today = rule_books(), working_calendar(), timezone.localdate()
    met = 0
    for conference in page:
        rule = books(conference.clock_start)[conference.rule_id]
        conference.verdict = assess(
            due=conference.original_due_date,
            done=conference.held_on,
            today=today,
            unit=rule.unit,
            calendar=calendar_,
        )
        conference.rule = rule
        met += conference.verdict.status == "met"
    context = {"form": form, "page_obj": page, "met": met, "shown": len(page.object_list)}
    return render(request, "conferences/timeliness.html", context)


# Documents -------------------------------------------------------------------------------


def _held_for_documents(request: HttpRequest, pk: int) -> Conference:
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    if not policies.can_circulate(request.user, conference):
        raise PermissionDenied("Only business support or the chair can produce documents.")
    if conference.status != Conference.Status.HELD:
        raise Http404("The conference has not been held")
    return conference


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def outcome_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome letter, addressed to one invitee when ``?invitation=`` names one."""
    conference = _held_for_documents(request, pk)
    recipient = None
    if request.GET.get("invitation", "").isdigit():
        recipient = conference.invitations.filter(pk=int(request.GET["invitation"])).first()
    html = documents.outcome_letter_html(conference, recipient, by=request.user)
    return _pdf_response(documents.pdf_from_html(html), f"{conference.reference}-outcome.pdf")


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _held_for_documents(request, pk)
    html = documents.minutes_html(conference, by=request.user)
    return _pdf_response(documents.pdf_from_html(html), f"{conference.reference}-minutes.pdf")
