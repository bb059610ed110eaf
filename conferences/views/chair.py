"""The chair's pages: my conferences, the record form (drafts saved as they type with
htmx, and on submit without JavaScript), unavailability, and core groups."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conferences import policies, selectors, services
from conferences.forms import AmendForm, CoreGroupForm, RecordForm, UnavailabilityForm
from conferences.models import Conference
from conferences.views._common import attempt, chair_users
from people.roles import CHAIR_ROLES, Role

# The chair -------------------------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "conferences/mine.html", selectors.my_conferences(user=request.user))


def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record form: "Save draft" keeps it as it stands; "Record the outcome" checks
    it and holds the conference. With JavaScript, htmx also saves drafts as the chair types."""
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    if not policies.can_record(request.user, conference):
        raise PermissionDenied("Only the chair of this conference can record it.")
    if conference.status != Conference.Status.SCHEDULED:
        return redirect("conferences:detail", pk)
    form = RecordForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        kwargs = {"attendance": form.attendance(), **form.record_fields()}
        if "draft" in request.POST:
            services.conference_record_draft(conference=conference, by=request.user, **kwargs)
            messages.success(request, "Draft saved")
            return redirect("conferences:record", pk)
        held = attempt(
            form,
            lambda: services.conference_record_outcome(
                conference=conference,
                by=request.user,
                version=form.cleaned_data.get("version"),
                **kwargs,
            ),
        )
        if held:
            note = "Conference recorded"
            if held.census_category == "MUL":
                note += ": the national return will record the categories as MUL (multiple)"
            messages.success(request, note)
            return redirect("conferences:detail", pk)
    context = {"form": form, "conference": conference}
    return render(request, "conferences/record.html", context, status=400 if form.errors else 200)


def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Amend a held record with a reason; the original is kept. A conflict (someone amended
    it since this page was opened) is shown in the error summary with the text kept."""
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    if not policies.can_amend(request.user, conference):
        raise PermissionDenied("Only the chair or the IRO service manager can amend this record.")
    form = AmendForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.conference_amend(
                conference=conference,
                values=form.values(),
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data.get("version"),
                by=request.user,
            ),
        )
        if done:
            messages.success(request, "Record amended. The original is kept with your reason.")
            return redirect("conferences:detail", pk)
    context = {"form": form, "conference": conference}
    return render(request, "conferences/amend.html", context, status=400 if form.errors else 200)


@require_POST
def record_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the draft as the chair types; answers with the "saved at" line."""
    conference = selectors.conference_get_for_user(user=request.user, pk=pk)
    if not policies.can_record(request.user, conference):
        raise PermissionDenied("Only the chair of this conference can record it.")
    form = RecordForm(request.POST, conference=conference)
    if form.is_valid() and conference.status == Conference.Status.SCHEDULED:
        conference = services.conference_record_draft(
            conference=conference,
            by=request.user,
            attendance=form.attendance(),
            **form.record_fields(),
        )
    return render(request, "conferences/_draft_status.html", {"conference": conference})


def unavailability(request: HttpRequest) -> HttpResponse:
    user = request.user
    chairs = chair_users() if user.has_role(Role.IRO_MANAGER) else [user]
    if not user.has_role(*CHAIR_ROLES, Role.IRO_MANAGER):
        raise PermissionDenied("Only chairs and their manager enter unavailability.")
    form = UnavailabilityForm(request.POST or None, chairs=chairs, initial={"chair": user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chair = next(c for c in chairs if c.pk == data["chair"])
        if attempt(
            form,
            lambda: services.chair_unavailability_add(
                chair=chair, day=data["day"], reason=data["reason"], by=user
            ),
        ):
            messages.success(request, f"{chair} is unavailable on {data['day']:%d %B %Y}")
            return redirect("conferences:unavailability")
    return render(request, "conferences/unavailability.html", {"form": form})


@require_POST
def core_group_add(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plans = selectors.plans_visible_to(request.user)
    plan = plans.filter(pk=plan_pk).first()
    if plan is None:
        raise Http404("No such plan")
    form = CoreGroupForm(request.POST, prefix="core")
    if form.is_valid() and attempt(
        form,
        lambda: services.core_group_record(plan=plan, by=request.user, **form.cleaned_data),
    ):
        messages.success(request, "Core group recorded")
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors))
    return redirect(reverse("children:detail", args=[plan.child_id]) + "#conferences")
