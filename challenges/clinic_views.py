"""Challenge clinic pages: the list, the schedule form, the clinic, its invitees, the record
and cancel forms. Each POST calls one service and redirects (POST-redirect-GET); service
errors appear in the GOV.UK error summary. Every read goes through a scoped selector: a
clinic the user is not part of, or whose children they cannot see, is a 404."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from challenges import clinic_services, policies, workflow
from challenges.clinic_forms import CancelForm, InviteeAddForm, RecordForm, ScheduleForm
from challenges.clinic_models import ClinicAction, ClinicInvitee
from challenges.cohorts import COHORTS
from challenges.models import Clinic
from challenges.selectors import (
    PAST,
    UPCOMING,
    challenge_list_for_user,
    clinic_get_for_user,
    clinic_list_for_user,
    clinics_visible_to,
)
from iro_service.core.errors import ApplicationError, NotPermitted
from people.models import User
from people.roles import CASE_ROLES, Role
from people.selectors import users_with_roles

PAGE_SIZE = 50


def _fail(form: Form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _require_runner(request: HttpRequest) -> None:
    if not policies.can_run_clinics(request.user):
        raise PermissionDenied


def clinics(request: HttpRequest) -> HttpResponse:
    """Upcoming clinics and past ones (paged), as the user may see them."""
    today = timezone.localdate()
    upcoming = list(clinic_list_for_user(user=request.user, today=today, when=UPCOMING))
    past = Paginator(
        clinic_list_for_user(user=request.user, today=today, when=PAST), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "upcoming": upcoming,
        "page_obj": past,
        "can_run": policies.can_run_clinics(request.user),
    }
    return render(request, "challenges/clinics.html", context)


def schedule(request: HttpRequest) -> HttpResponse:
    """Schedule a clinic on open challenges and/or a cohort; ``?challenge=ID`` ticks one."""
    _require_runner(request)
    open_challenges = list(
        challenge_list_for_user(user=request.user, today=timezone.localdate()).filter(
            status__in=workflow.OPEN_STATUSES
        )
    )
    heads = list(users_with_roles([Role.HEAD_OF_SERVICE]).order_by("last_name", "first_name"))
    cohorts = [(cohort.key, cohort.label) for cohort in COHORTS.values()]
    options = {"heads": heads, "challenges": open_challenges, "cohorts": cohorts}
    if request.method == "POST":
        form = ScheduleForm(request.POST, **options)
        if form.is_valid():
            starts_at, ends_at = form.when()
            try:
                clinic = clinic_services.clinic_schedule(
                    starts_at=starts_at,
                    ends_at=ends_at,
                    venue=form.cleaned_data["venue"],
                    online_link=form.cleaned_data["online_link"],
                    panel=form.chosen_panel(),
                    challenges=form.chosen_challenges(),
                    cohort=form.cleaned_data["cohort"],
                    by=request.user,
                )
            except ApplicationError as error:
                _fail(form, error)
            else:
                messages.success(
                    request,
                    f"Clinic {clinic.reference} scheduled. Check the invitees, then send the "
                    "invitations.",
                )
                return redirect("challenges:clinic", clinic.pk)
    else:
        form = ScheduleForm(initial={"challenges": request.GET.getlist("challenge")}, **options)
    return render(request, "challenges/clinic_schedule.html", {"form": form})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = clinic_get_for_user(user=request.user, pk=pk)
    user = request.user
    context = {
        "clinic": clinic,
        "items": clinic.visible_items,
        "can_run": policies.can_run_clinics(user) and clinic.is_scheduled,
        "can_update": {
            action.pk
            for item in clinic.visible_items
            for action in item.actions.all()
            if action.status == ClinicAction.Status.OPEN
            and policies.can_update_clinic_action(user, action)
        },
    }
    return render(request, "challenges/clinic_detail.html", context)


def _invitable_staff() -> list[User]:
    return list(
        users_with_roles(CASE_ROLES)
        .filter(is_active=True)
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )


def invitees(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation list: add someone (POST) or remove someone (``invitee_remove``)."""
    clinic = clinic_get_for_user(user=request.user, pk=pk)
    _require_runner(request)
    form = InviteeAddForm(request.POST or None, staff=_invitable_staff())
    if request.method == "POST" and form.is_valid():
        try:
            invitee = clinic_services.clinic_invitee_add(
                clinic=clinic,
                user=form.chosen_user(),
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, f"{invitee.user} added to the invitees.")
            return redirect("challenges:clinic_invitees", clinic.pk)
    context = {
        "clinic": clinic,
        "form": form,
        "any_sent": any(invitee.sent_at for invitee in clinic.invitees.all()),
    }
    return render(request, "challenges/clinic_invitees.html", context)


def _removed_message(invitee: ClinicInvitee, told: bool) -> str:
    if told:
        who = "They had been sent an invitation, so they have been sent a cancellation."
    else:
        who = "No invitation had been sent to them, so nobody was emailed."
    return f"{invitee.user} removed from the invitees. {who}"


@require_POST
def invitee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take someone off the list; the page says whether they were emailed a cancellation."""
    invitee = get_object_or_404(
        ClinicInvitee.objects.filter(clinic__in=clinics_visible_to(request.user)).select_related(
            "user"
        ),
        pk=pk,
    )
    _require_runner(request)
    try:
        told = clinic_services.clinic_invitee_remove(invitee=invitee, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _removed_message(invitee, told))
    return redirect("challenges:clinic_invitees", invitee.clinic_id)


@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = clinic_get_for_user(user=request.user, pk=pk)
    _require_runner(request)
    try:
        sent = clinic_services.clinic_invitations_send(clinic=clinic, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if sent:
            plural = "s" if sent != 1 else ""
            messages.success(request, f"{sent} invitation{plural} sent by email.")
        else:
            messages.success(request, "Everyone invited has already been sent an invitation.")
    return redirect("challenges:clinic", clinic.pk)


def _owners(clinic: Clinic) -> list[User]:
    people = [clinic.chair, *[invitee.user for invitee in clinic.invitees.all()]]
    return list({user.pk: user for user in people}.values())


def record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the clinic: the summary, a finding on each item, actions with owners."""
    clinic = clinic_get_for_user(user=request.user, pk=pk)
    _require_runner(request)
    options: dict[str, Any] = {"items": clinic.visible_items, "owners": _owners(clinic)}
    if request.method == "POST":
        form = RecordForm(request.POST, **options)
        if form.is_valid():
            try:
                clinic_services.clinic_record(
                    clinic=clinic,
                    summary=form.cleaned_data["summary"],
                    findings=form.findings(),
                    actions=form.actions(),
                    by=request.user,
                    version=form.cleaned_data["version"],
                )
            except ApplicationError as error:
                _fail(form, error)
            else:
                messages.success(
                    request, "Clinic recorded. The findings are on each child's timeline."
                )
                return redirect("challenges:clinic", clinic.pk)
    else:
        form = RecordForm(initial={"version": clinic.version}, **options)
    return render(request, "challenges/clinic_record.html", {"clinic": clinic, "form": form})


def _cancelled_message(clinic: Clinic, told: int) -> str:
    if not told:
        who = "No invitations had been sent, so nobody was emailed."
    elif told == 1:
        who = "The 1 person invited has been sent a cancellation."
    else:
        who = f"The {told} people invited have been sent a cancellation."
    return f"Clinic {clinic.reference} cancelled. {who}"


def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the clinic with a reason; the page says who will be, then who was, emailed."""
    clinic = clinic_get_for_user(user=request.user, pk=pk)
    _require_runner(request)
    form = CancelForm(request.POST or None, initial={"version": clinic.version})
    if request.method == "POST" and form.is_valid():
        try:
            told = clinic_services.clinic_cancel(
                clinic=clinic,
                reason=form.cleaned_data["reason"],
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, _cancelled_message(clinic, told))
            return redirect("challenges:clinic", clinic.pk)
    context = {
        "clinic": clinic,
        "form": form,
        "invited": clinic.invitees.filter(sent_at__isnull=False).count(),
    }
    return render(request, "challenges/clinic_cancel.html", context)


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a clinic action done or not done (its owner, or the IRO service manager)."""
    action = get_object_or_404(
        ClinicAction.objects.filter(clinic__in=clinics_visible_to(request.user)), pk=pk
    )
    try:
        clinic_services.clinic_action_set_status(
            action=action, status=request.POST.get("status", ""), by=request.user
        )
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Action updated.")
    return redirect("challenges:clinic", action.clinic_id)
