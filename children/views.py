"""Children's pages: the list with search and filters, and the child page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from children import access, services
from children.deadlines import child_deadlines, deadline_context, health_and_education
from children.forms import (
    BirthForm,
    CareCheckForm,
    ChildSearchForm,
    ConflictForm,
    OpenWithReasonForm,
    ReportMonthForm,
    RestrictionForm,
)
from children.models import Child, ConflictDeclaration
from children.policies import can_edit_child, can_read_placement_address, can_restrict
from children.selectors import (
    child_get_for_user,
    child_list_for_user,
    child_record,
)
from iro_service.core.errors import ApplicationError, NotPermitted
from iro_service.core.models import AccessLogEntry
from iro_service.core.policy import Action, may
from people.models import Team
from people.roles import CASE_ROLES, CHAIR_ROLES, Role
from people.selectors import users_with_roles
from timescales.services import rule_books

PAGE_SIZE = 50


def child_list(request: HttpRequest) -> HttpResponse:
    iros = [(user.pk, str(user)) for user in users_with_roles(CHAIR_ROLES)]
    teams = list(Team.objects.filter(level=Team.Level.TEAM).values_list("pk", "name"))
    form = ChildSearchForm(request.GET or None, iros=iros, teams=teams)
    filters = form.cleaned_data if form.is_valid() else {}
    children = child_list_for_user(
        user=request.user,
        query=filters.get("q") or "",
        status=filters.get("status") or "",
        iro_id=filters.get("iro"),
        team_id=filters.get("team"),
    )
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = request.user.roles
    context = {
        "form": form,
        "page_obj": page,
        "can_review_conflicts": may(roles, Action.CONFLICT_REVIEW),
        "can_open_with_reason": may(roles, Action.ACCESS_REASON_GIVE),
    }
    return render(request, "children/list.html", context)


def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = child_get_for_user(user=request.user, pk=pk)
    record = child_record(child)
    reason = access.access_reason_current(user=request.user, child=child)
    if reason is not None:
        # Opened outside the manager's teams: every view carries the reason to the log.
        request.access_reason = reason.reason
    today = timezone.localdate()
    judge = deadline_context(today=today)
    deadlines = child_deadlines(child=child, today=today, record=record, context=judge)
    health_education = health_and_education(record=record, deadlines=deadlines, context=judge)
    can_edit = can_edit_child(request.user, child)
    context = {
        "child": child,
        "record": record,
        "deadlines": deadlines,
        "health_education": health_education,
        "can_record_care_checks": can_edit,
        "can_restrict": can_restrict(request.user),
        "can_read_access_log": request.user.has_role(*ACCESS_LOG_READERS),
        "opened_with_reason": reason,
        "show_address": can_read_placement_address(request.user, child),
        "can_declare_conflict": may(request.user.roles, Action.CONFLICT_DECLARE),
        "can_record_birth": child.is_unborn and can_edit,
    }
    return render(request, "children/detail.html", context)


def birth_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an unborn child's birth, for those who keep the child's record; the
    deadlines that depend on it are worked out again (CP-8)."""
    child = child_get_for_user(user=request.user, pk=pk)
    if not can_edit_child(request.user, child):
        raise PermissionDenied
    form = BirthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_birth(
                child=child, date_of_birth=form.cleaned_data["date_of_birth"], by=request.user
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                "The birth has been recorded. The deadlines that depend on it have been "
                "worked out again.",
            )
            return redirect("children:detail", pk=child.pk)
    # CP-8's local number of working days after the birth, as it stands today.
    days = rule_books()(timezone.localdate())["CP-8"].amount
    context = {"child": child, "form": form, "birth_working_days": days}
    return render(request, "children/birth.html", context)


ACCESS_LOG_READERS = (Role.IRO_MANAGER, Role.IG_OFFICER)


def child_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who viewed this child: for the IRO service manager (a child they can see) and the
    information governance officer (any child, shown by its ID, without case content)."""
    user = request.user
    if not user.has_role(*ACCESS_LOG_READERS):
        raise PermissionDenied
    if user.has_role(Role.IG_OFFICER):
        child = get_object_or_404(Child.objects.only("pk", "la_child_id"), pk=pk)
    else:
        child = child_get_for_user(user=user, pk=pk)
    entries = AccessLogEntry.objects.filter(child_id=child.pk).select_related("user")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "children/access_log.html", {"child": child, "page_obj": page})


def child_restriction(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO service manager restricts a child to named people, or lifts it."""
    child = child_get_for_user(user=request.user, pk=pk)
    if not can_restrict(request.user):
        raise PermissionDenied
    staff = users_with_roles(CASE_ROLES)
    initial = {"restricted": child.restricted, "allowed": list(child.allowed_users.all())}
    # An unticked form posts nothing at all, so test the method rather than the data.
    data = request.POST if request.method == "POST" else None
    form = RestrictionForm(data, initial=initial, staff=staff)
    if request.method == "POST" and form.is_valid():
        services.child_set_restriction(
            child=child,
            restricted=form.cleaned_data["restricted"],
            allowed=form.cleaned_data["allowed"],
            by=request.user,
        )
        messages.success(request, "Who can see this record has been updated.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/restriction.html", {"child": child, "form": form})


def _form_error(form: forms.Form, error: ApplicationError) -> None:
    if isinstance(error, NotPermitted):
        raise PermissionDenied(error.message)
    form.add_error(error.field if error.field in form.fields else None, error.message)


CARE_CHECKS = {
    "health": {
        "title": "Record a health assessment",
        "label": "Date the health assessment was completed",
        "service": services.health_assessment_record,
        "done": "Health assessment recorded.",
    },
    "pep": {
        "title": "Record a personal education plan (PEP)",
        "label": "Date the PEP or PEP review was completed",
        "service": services.pep_record,
        "done": "Personal education plan recorded.",
    },
}


def care_check_add(request: HttpRequest, pk: int, record: str) -> HttpResponse:
    """Record the date of a health assessment (H-1, H-2) or a PEP (E-1): for those who may
    change the child's record (``policies.can_edit_child``)."""
    child = child_get_for_user(user=request.user, pk=pk)
    if not can_edit_child(request.user, child):
        raise PermissionDenied
    spec = CARE_CHECKS[record]
    # An empty post is still a post: it must show "Enter the date".
    data = request.POST if request.method == "POST" else None
    form = CareCheckForm(data, label=spec["label"])
    if request.method == "POST" and form.is_valid():
        try:
            spec["service"](
                child=child, completed_on=form.cleaned_data["completed_on"], by=request.user
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, spec["done"])
            return redirect(reverse("children:detail", args=[child.pk]) + "#health-and-education")
    context = {"child": child, "form": form, "title": spec["title"]}
    return render(request, "children/care_check_add.html", context)


def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare a connection to this child or their family: the record then disappears for
    the person declaring it (SECURITY.md "conflict declared")."""
    child = child_get_for_user(user=request.user, pk=pk)
    if not may(request.user.roles, Action.CONFLICT_DECLARE):
        raise PermissionDenied
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access.conflict_declare(
                child=child,
                reason=form.cleaned_data["reason"],
                include_siblings=form.cleaned_data["include_siblings"],
                by=request.user,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                "Your connection has been recorded. You will no longer see this record; "
                "the IRO service manager has been asked to review any work you hold for it.",
            )
            return redirect("children:list")
    return render(request, "children/conflict_declare.html", {"child": child, "form": form})


def conflicts(request: HttpRequest) -> HttpResponse:
    """Every conflict declaration, for the IRO service manager to review."""
    if not may(request.user.roles, Action.CONFLICT_REVIEW):
        raise PermissionDenied
    page = Paginator(access.conflicts_for_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "children/conflicts.html", {"page_obj": page})


@require_POST
def conflict_review(request: HttpRequest, pk: int) -> HttpResponse:
    if not may(request.user.roles, Action.CONFLICT_REVIEW):
        raise PermissionDenied
    declaration = get_object_or_404(ConflictDeclaration, pk=pk)
    access.conflict_review(declaration=declaration, by=request.user)
    messages.success(request, "The declaration is marked as reviewed.")
    return redirect("children:conflicts")


def open_with_reason(request: HttpRequest) -> HttpResponse:
    """A manager opens a child outside their teams by giving a reason, which is logged and
    sent to the information governance officer (SECURITY.md)."""
    if not may(request.user.roles, Action.ACCESS_REASON_GIVE):
        raise PermissionDenied
    form = OpenWithReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = access.child_openable_by_reason(
            user=request.user, la_child_id=form.cleaned_data["la_child_id"]
        )
        if child is None:
            form.add_error("la_child_id", "You cannot open a child with that ID this way.")
        else:
            try:
                given = access.access_reason_give(
                    child=child, reason=form.cleaned_data["reason"], by=request.user
                )
            except ApplicationError as error:
                _form_error(form, error)
            else:
                access_log_reason(request, child=child, reason=given.reason)
                return redirect("children:detail", pk=child.pk)
    return render(request, "children/open_with_reason.html", {"form": form})


def access_log_reason(request: HttpRequest, *, child: Child, reason: str) -> None:
    """The reason goes into the access log in the same request as it is given."""
    AccessLogEntry.objects.create(
        user=request.user,
        roles=", ".join(sorted(role.value for role in request.user.roles)),
        record_type="child",
        record_id=str(child.pk),
        child_id=child.pk,
        route="children:open",
        method=request.method or "",
        status_code=302,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        reason=reason[:300],
    )


def out_of_relationship(request: HttpRequest) -> HttpResponse:
    """The monthly report of records opened outside a working relationship, for the
    information governance officer: who, role, when, which child (by ID), and why."""
    if not may(request.user.roles, Action.OUT_OF_RELATIONSHIP_REPORT):
        raise PermissionDenied
    form = ReportMonthForm(request.GET or None)
    month = timezone.localdate().replace(day=1)
    if form.is_valid() and form.cleaned_data["month"]:
        month = form.cleaned_data["month"]
    rows = access.out_of_relationship_report(month=month)
    context = {"form": form, "month": month, "rows": rows}
    return render(request, "children/out_of_relationship.html", context)
