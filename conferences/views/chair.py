"""The chair's pages: my conferences, the record and amend forms (drafts saved as they type
with htmx, and by "Save draft" without JavaScript), unavailability, and core groups."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.views.decorators.http import require_POST

from conferences import drafts, selectors, services
from conferences.drafts import DraftForm
from conferences.forms import AmendForm, CoreGroupForm, RecordForm, UnavailabilityForm
from conferences.models import Conference
from conferences.views._common import attempt, chair_users
from iro_service.core.drafts import initial_from_draft, posted_data
from iro_service.core.errors import NotPermitted
from people.roles import CHAIR_ROLES, Role

# The chair -------------------------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "conferences/mine.html", selectors.my_conferences(user=request.user))


def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record form: "Save draft" keeps it as it stands; "Record the outcome" checks
    it and holds the conference. With JavaScript, htmx also saves drafts as the chair types."""
    conference = _draft_conference(request, pk, drafts.RECORD)
    if conference.status != Conference.Status.SCHEDULED:
        return redirect("conferences:detail", pk)
    form = RecordForm(request.POST or None, conference=conference)
    if "draft" in request.POST:
        if _save_draft(request, conference, drafts.RECORD):
            return redirect("conferences:record", pk)
    elif request.method == "POST" and form.is_valid():
        held = attempt(
            form,
            lambda: services.conference_record_outcome(
                conference=conference,
                by=request.user,
                version=form.cleaned_data.get("version"),
                attendance=form.attendance(),
                **form.record_fields(),
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
    it since this page was opened) is shown in the error summary with the text kept.

    The person's draft (``drafts.AMENDMENT``) is saved as they type (htmx) and by "Save
    draft", put back in the form when they come back, and discarded when they amend the
    record or choose "Discard draft"."""
    conference = _draft_conference(request, pk, drafts.AMENDMENT)
    if "draft" in request.POST:
        _save_draft(request, conference, drafts.AMENDMENT)
        return redirect("conferences:amend", pk)
    if "discard" in request.POST:
        services.conference_amend_draft_discard(conference=conference, by=request.user)
        messages.success(request, "Draft discarded. The form shows the record as it is now.")
        return redirect("conferences:amend", pk)
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
    draft = selectors.amendment_draft_for(user=request.user, conference=conference)
    if draft is not None and not form.is_bound:
        form.initial.update(initial_from_draft(form, draft.data))
        form.initial["version"] = draft.based_on_version
    context = {"form": form, "conference": conference, "draft": draft}
    return render(request, "conferences/amend.html", context, status=400 if form.errors else 200)


@require_POST
def record_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the record's draft as the chair types; answers with the "saved at" line."""
    return _autosave(request, pk, drafts.RECORD)


@require_POST
def amend_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the amend form's draft as the person types; answers with the "saved at"
    line."""
    return _autosave(request, pk, drafts.AMENDMENT)


def _draft_conference(request: HttpRequest, pk: int, draft_form: DraftForm) -> Conference:
    """The conference of a form that keeps a draft: 404 if hidden, 403 if not theirs to write."""
    try:
        return draft_form.conference(user=request.user, pk=pk)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error


def _save_draft(request: HttpRequest, conference: Conference, draft_form: DraftForm) -> bool:
    """The "Save draft" button (no JavaScript needed): says when the draft was saved."""
    saved_at = draft_form.keep(conference=conference, user=request.user, data=posted_data(request))
    if saved_at is not None:
        # "10:32am", the GOV.UK style for times, as _draft_status.html says it.
        at = time_format(timezone.localtime(saved_at), "g:iA").lower()
        messages.success(request, f"Draft saved at {at}")
    return saved_at is not None


def _autosave(request: HttpRequest, pk: int, draft_form: DraftForm) -> HttpResponse:
    """The "saved at" line, and the "Discard draft" button of a form that offers it (swapped
    in out of band), as the page shows them after a reload."""
    conference = _draft_conference(request, pk, draft_form)
    saved_at = draft_form.keep(conference=conference, user=request.user, data=posted_data(request))
    context = {"saved_at": saved_at, "discardable": draft_form.discardable}
    return render(request, "conferences/_draft_autosaved.html", context)


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
