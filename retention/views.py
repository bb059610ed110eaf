"""Records retention pages: records past retention (with a CSV download), the schedule,
legal holds, destruction requests and their approval, and the destruction log.

A child appears here by its IDs only; no page loads a child's names or case content.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from iro_service.core.errors import ApplicationError, NotPermitted
from iro_service.core.policy import Action, may
from retention import selectors, services
from retention.forms import DecisionForm, FindChildForm, ReasonForm, RuleForm
from retention.models import LegalHold
from retention.schedule import BASIS_LABELS, CATEGORY_LABELS, Basis, Category

PAGE_SIZE = 50


def _require(request: HttpRequest, action: Action) -> None:
    if not may(request.user.roles, action):
        raise PermissionDenied


def _fail(form: object, error: ApplicationError) -> None:
    if isinstance(error, NotPermitted):
        raise PermissionDenied(error.message)
    field = error.field if error.field in form.fields else None  # type: ignore[attr-defined]
    form.add_error(field, error.message)  # type: ignore[attr-defined]


def _find_form(request: HttpRequest) -> FindChildForm:
    """Bound only when an ID was asked for, so paging a list shows no error."""
    return FindChildForm(request.GET if "la_child_id" in request.GET else None)


def records(request: HttpRequest) -> HttpResponse:
    """Records past retention: each child by ID, when its retention ended and why."""
    _require(request, Action.RETENTION_REPORT)
    rows = selectors.records_past_retention(today=timezone.localdate())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "basis_labels": BASIS_LABELS,
        "can_request": may(request.user.roles, Action.DESTRUCTION_REQUEST),
    }
    return render(request, "retention/records.html", context)


def records_csv(request: HttpRequest) -> HttpResponse:
    _require(request, Action.RETENTION_REPORT)
    today = timezone.localdate()
    rows = selectors.records_past_retention(today=today)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="records-past-retention-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Internal ID",
            "Local authority child ID",
            "Retention ended",
            "Rule",
            "Destruction request waiting",
        ]
    )
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                row.child_id,
                row.la_child_id,
                row.ends_on.isoformat(),
                BASIS_LABELS[Basis(row.basis)],
                "yes" if row.request_waiting else "no",
            ]
        )
    return response


def rules(request: HttpRequest) -> HttpResponse:
    _require(request, Action.RETENTION_REPORT)
    schedule = selectors.rules_in_force()
    context = {
        "rules": [(CATEGORY_LABELS[category], schedule[category]) for category in Category],
        "can_change": may(request.user.roles, Action.RETENTION_RULES_KEEP),
    }
    return render(request, "retention/rules.html", context)


def rules_edit(request: HttpRequest) -> HttpResponse:
    """The system administrator changes the schedule; every child's end is recomputed."""
    _require(request, Action.RETENTION_RULES_KEEP)
    schedule = selectors.rules_in_force()
    data = request.POST if request.method == "POST" else None
    forms = {
        category: RuleForm(data, prefix=category.value, initial=vars(schedule[category]))
        for category in Category
    }
    if data is not None and all(form.is_valid() for form in forms.values()):
        try:
            with transaction.atomic():
                for category, form in forms.items():
                    if form.has_changed():
                        services.retention_rule_update(
                            category=category, by=request.user, **form.cleaned_data
                        )
        except ApplicationError as error:
            _fail(forms[category], error)
        else:
            messages.success(request, "The retention schedule has been changed.")
            return redirect("retention:rules")
    sections = [(CATEGORY_LABELS[category], form) for category, form in forms.items()]
    errors = [form for form in forms.values() if form.errors]
    context = {"sections": sections, "form": errors[0] if errors else None}
    return render(request, "retention/rules_edit.html", context)


def holds(request: HttpRequest) -> HttpResponse:
    """Legal holds in place, and finding any child by ID to place one."""
    _require(request, Action.LEGAL_HOLD_KEEP)
    form = _find_form(request)
    if form.is_valid():
        child = selectors.child_by_la_id(la_child_id=form.cleaned_data["la_child_id"])
        if child is not None:
            return redirect("retention:child", pk=child.pk)
        form.add_error("la_child_id", "There is no child with that local authority ID.")
    page = Paginator(selectors.holds_in_place(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "retention/holds.html", {"form": form, "page_obj": page})


def child(request: HttpRequest, pk: int) -> HttpResponse:
    """One child's retention: when it ends and why, its holds and destruction requests."""
    _require(request, Action.LEGAL_HOLD_KEEP)
    found = selectors.child_for_retention(pk=pk)
    retention = selectors.retention_of(found)
    roles = request.user.roles
    requests = list(selectors.requests_of(found))
    holds_ = list(selectors.holds_of(found))
    context = {
        "child": found,
        "retention": retention,
        "basis": BASIS_LABELS[Basis(retention.basis)] if retention else None,
        "past": retention is not None
        and retention.ends_on is not None
        and retention.ends_on <= timezone.localdate(),
        "holds": holds_,
        "hold_in_place": next((hold for hold in holds_ if hold.in_place), None),
        "requests": requests,
        "waiting": next((each for each in requests if each.status == "pending"), None),
        "can_request": may(roles, Action.DESTRUCTION_REQUEST),
    }
    return render(request, "retention/child.html", context)


def hold_place(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.LEGAL_HOLD_KEEP)
    found = selectors.child_for_retention(pk=pk)
    form = ReasonForm(
        request.POST or None,
        label="Why must this record be kept?",
        required="Say why the record must be kept.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(
                child=found, reason=form.cleaned_data["reason"], by=request.user
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, "Legal hold placed. The record will not be destroyed.")
            return redirect("retention:child", pk=found.pk)
    return render(request, "retention/hold_place.html", {"child": found, "form": form})


def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.LEGAL_HOLD_KEEP)
    hold = get_object_or_404(LegalHold.objects.select_related("placed_by"), pk=pk)
    found = selectors.child_for_retention(pk=hold.child_id)
    form = ReasonForm(
        request.POST or None,
        label="Why can the hold be lifted?",
        required="Say why the legal hold is being lifted.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_lift(hold=hold, reason=form.cleaned_data["reason"], by=request.user)
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, "Legal hold lifted. The retention schedule applies again.")
            return redirect("retention:child", pk=found.pk)
    context = {"child": found, "hold": hold, "form": form}
    return render(request, "retention/hold_lift.html", context)


def destruction_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Person A asks for a record past retention to be destroyed."""
    _require(request, Action.DESTRUCTION_REQUEST)
    found = selectors.child_for_retention(pk=pk)
    form = ReasonForm(
        request.POST or None,
        label="Why should this record be destroyed now?",
        required="Say why the record should be destroyed.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.destruction_request(
                child=found, reason=form.cleaned_data["reason"], by=request.user
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(
                request,
                "Destruction requested. Another information governance officer must approve it.",
            )
            return redirect("retention:child", pk=found.pk)
    context = {"child": found, "form": form, "retention": selectors.retention_of(found)}
    return render(request, "retention/destruction_request.html", context)


def requests(request: HttpRequest) -> HttpResponse:
    _require(request, Action.DESTRUCTION_DECIDE)
    rows = selectors.requests_waiting()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "retention/requests.html", {"page_obj": page})


def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Person B checks the request and approves (the records are destroyed) or rejects."""
    _require(request, Action.DESTRUCTION_DECIDE)
    waiting = selectors.request_get(pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                entry = services.destruction_approve(request=waiting, by=request.user)
                message = f"The record has been destroyed (destruction log entry {entry.pk})."
            else:
                services.destruction_reject(
                    request=waiting, comment=form.cleaned_data["comment"], by=request.user
                )
                message = "Request rejected. The record will be kept."
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, message)
            return redirect("retention:requests")
    context = {
        "waiting": waiting,
        "form": form,
        "basis": BASIS_LABELS.get(Basis(waiting.retention_basis))
        if waiting.retention_basis
        else "",
        "own": waiting.requested_by_id == request.user.pk,
    }
    return render(request, "retention/request.html", context)


def log(request: HttpRequest) -> HttpResponse:
    """The destruction log; "was this child's record destroyed?" by local authority ID."""
    _require(request, Action.RETENTION_REPORT)
    form = _find_form(request)
    entries = selectors.destruction_log()
    if form.is_valid():
        entries = entries.filter(
            reference=services.child_reference(form.cleaned_data["la_child_id"])
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "basis_labels": BASIS_LABELS}
    return render(request, "retention/log.html", context)
