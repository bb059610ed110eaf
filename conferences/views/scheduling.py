"""Business support's pages: requests awaiting a date, the calendar, the chasing list,
requests, bookings, invitations, reports and circulation."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.deadlines import ChildDeadline, DeadlineContext
from children.selectors import child_get_for_user
from conferences import policies, selectors, services
from conferences.forms import (
    CancelForm,
    CirculateForm,
    InvitationForm,
    ReportForm,
    ReportReceivedForm,
    RequestForm,
    ScheduleForm,
)
from conferences.models import AgencyReport, Conference, Invitation, Room
from conferences.views._common import PAGE_SIZE, attempt, chair_users
from people.models import User
from people.roles import CHAIR_ROLES, Role
from timescales.services import rule_books, working_calendar


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its conference work."""
    user = request.user
    if user.has_role(Role.BUSINESS_SUPPORT):
        return redirect("conferences:queue")
    if user.has_role(*CHAIR_ROLES):
        return redirect("conferences:mine")
    return redirect("conferences:plans")


# Business support ------------------------------------------------------------------------


def queue(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_awaiting_date(user=request.user)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conferences/queue.html", {"page_obj": page})


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar(request: HttpRequest) -> HttpResponse:
    try:
        anchor = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        anchor = timezone.localdate()
    view = "day" if request.GET.get("view") == "day" else "week"
    start, days = (anchor, 1) if view == "day" else (_week_start(anchor), 5)
    step = timedelta(days=1 if view == "day" else 7)
    context = selectors.scheduling_calendar(user=request.user, start=start, days=days)
    context.update(
        {
            "view": view,
            "start": start,
            "previous": start - step,
            "next": start + step,
            "can_book": policies.can_schedule(request.user),
        }
    )
    return render(request, "conferences/calendar.html", context)


def chasing(request: HttpRequest) -> HttpResponse:
    context = selectors.chasing_list(user=request.user, today=timezone.localdate())
    return render(request, "conferences/chasing.html", context)


# Requests and bookings -------------------------------------------------------------------


def request_conference(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = child_get_for_user(user=request.user, pk=child_pk)
    if not policies.can_request(request.user, child):
        raise PermissionDenied("You cannot request conferences for this child.")
    form = RequestForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call() -> Conference:
            if data["kind"] == "transfer_in":
                return services.conference_request_transfer_in(
                    child=child, notified_on=data["notified_on"], by=request.user
                )
            enquiry = get_object_or_404(child.s47_enquiries, pk=data["enquiry"])
            return services.conference_request_icpc(
                enquiry=enquiry, by=request.user, pre_birth=data["kind"] == "pre_birth"
            )

        conference = attempt(form, call)
        if conference is not None:
            messages.success(
                request, f"Conference requested: due by {conference.original_due_date:%d %B %Y}"
            )
            return redirect("conferences:detail", conference.pk)
    return render(request, "conferences/request.html", {"form": form, "child": child})


def _conference_deadlines(conference: Conference) -> list[ChildDeadline]:
    """The conference's own deadline (judged against the original due date) and, once
    held, the outcome and minutes deadlines; each through ``timescales.rules.assess``."""
    context = DeadlineContext(
        today=timezone.localdate(), calendar=working_calendar(), books=rule_books()
    )
    rows = [
        context.row(
            conference.rule_id,
            conference.clock_start,
            conference.original_due_date,
            conference.held_on,
        )
    ]
    if conference.held_on and conference.outcome_due and conference.minutes_due:
        rows.append(
            context.row(
                "CP-OUTCOME", conference.held_on, conference.outcome_due, conference.outcome_sent_on
            )
        )
        rows.append(
            context.row(
                "CP-MINUTES",
                conference.held_on,
                conference.minutes_due,
                conference.minutes_completed_on,
            )
        )
    return rows


def _received_form(report: AgencyReport, today: date) -> ReportReceivedForm:
    """The "received" date of one report in the reports table; ids unique to the report."""
    form = ReportReceivedForm(initial={"received_on": today}, auto_id=f"received-{report.pk}-%s")
    form.fields["received_on"].label = f"Date received from {report.get_agency_display()}"
    return form


def _detail_context(request: HttpRequest, conference: Conference) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    return {
        "conference": conference,
        "deadlines": _conference_deadlines(conference),
        "can_schedule": policies.can_schedule(user),
        "can_record": policies.can_record(user, conference),
        "can_amend": policies.can_amend(user, conference),
        "amendments": conference.amendments.select_related("by"),
        "can_circulate": policies.can_circulate(user, conference),
        "invitation_form": InvitationForm(prefix="invite"),
        "report_form": ReportForm(prefix="report"),
        "circulate_form": CirculateForm(),
        "reports": [
            (report, None if report.received_on else _received_form(report, today))
            for report in conference.reports.all()
        ],
        "today": today,
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    return render(request, "conferences/detail.html", _detail_context(request, conference))


def book(request: HttpRequest, pk: int) -> HttpResponse:
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    if not policies.can_schedule(request.user):
        raise PermissionDenied("Only business support can book conferences.")
    rooms = list(Room.objects.filter(active=True))
    initial = {}
    if conference.scheduled_start:
        local = timezone.localtime(conference.scheduled_start)
        initial = {
            "chair": conference.chair_id,
            "day": local.date(),
            "start": local.time(),
            "end": timezone.localtime(conference.scheduled_end).time(),
            "room": conference.room_id,
            "online_link": conference.online_link,
            "late_reason": conference.late_reason,
        }
    form = ScheduleForm(request.POST or None, initial=initial, chairs=chair_users(), rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.times()
        chair = User.objects.filter(pk=data["chair"]).first()
        room = next((r for r in rooms if r.pk == data["room"]), None)
        done = chair and attempt(
            form,
            lambda: services.conference_schedule(
                conference=conference,
                chair=chair,
                start=start,
                end=end,
                room=room,
                online_link=data["online_link"],
                late_reason=data["late_reason"],
                by=request.user,
            ),
        )
        if done:
            messages.success(request, f"Conference booked for {start:%d %B %Y at %H:%M}")
            return redirect("conferences:detail", conference.pk)
    return render(request, "conferences/book.html", {"form": form, "conference": conference})


def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    if not policies.can_schedule(request.user):
        raise PermissionDenied("Only business support can cancel conferences.")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if attempt(
            form,
            lambda: services.conference_cancel(
                conference=conference, reason=reason, by=request.user
            ),
        ):
            messages.success(request, "Conference cancelled")
            return redirect("conferences:detail", conference.pk)
    return render(request, "conferences/cancel.html", {"form": form, "conference": conference})


def _detail_with_errors(
    request: HttpRequest, conference: Conference, **forms_: Any
) -> HttpResponse:
    context = {**_detail_context(request, conference), **forms_}
    context["form"] = next(iter(forms_.values()))
    return render(request, "conferences/detail.html", context, status=400)


@require_POST
def invitation_add(request: HttpRequest, pk: int) -> HttpResponse:
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    form = InvitationForm(request.POST, prefix="invite")
    if form.is_valid() and attempt(
        form,
        lambda: services.invitation_add(
            conference=conference, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, "Invitation added")
        return redirect(reverse("conferences:detail", args=[pk]) + "#invitations")
    return _detail_with_errors(request, conference, invitation_form=form)


@require_POST
def invitation_send(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("conference"),
        pk=pk,
        conference__in=selectors.conferences_visible_to(request.user),
    )
    form = forms.Form(request.POST)
    if attempt(form, lambda: services.invitation_send(invitation=invitation, by=request.user)):
        messages.success(request, f"Invitation to {invitation.name} recorded as sent")
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect(reverse("conferences:detail", args=[invitation.conference_id]) + "#invitations")


@require_POST
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    form = ReportForm(request.POST, prefix="report")
    if form.is_valid() and attempt(
        form,
        lambda: services.report_request(
            conference=conference, agency=form.cleaned_data["agency"], by=request.user
        ),
    ):
        messages.success(request, "Report requested")
        return redirect(reverse("conferences:detail", args=[pk]) + "#reports")
    return _detail_with_errors(request, conference, report_form=form)


@require_POST
def report_received(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        AgencyReport.objects.select_related("conference"),
        pk=pk,
        conference__in=selectors.conferences_visible_to(request.user),
    )
    form = ReportReceivedForm(request.POST)
    if form.is_valid() and attempt(
        form,
        lambda: services.report_receive(
            report=report, received_on=form.cleaned_data["received_on"], by=request.user
        ),
    ):
        messages.success(request, f"Report from {report.get_agency_display()} received")
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors) or "Enter the date received.")
    return redirect(
        request.POST.get("next") or reverse("conferences:detail", args=[report.conference_id])
    )


@require_POST
def circulate(request: HttpRequest, pk: int) -> HttpResponse:
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    form = CirculateForm(request.POST)
    if form.is_valid() and attempt(
        form,
        lambda: services.conference_circulate(
            conference=conference, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, "Dates recorded")
        return redirect("conferences:detail", pk)
    return _detail_with_errors(request, conference, circulate_form=form)
