"""The timescales page: every rule in force with its source and value, the local values an
IRO service manager may change, and the extra non-working days."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from iro_service.core.errors import ApplicationError
from people.roles import Role
from timescales import services
from timescales.forms import ExtraNonWorkingDayForm, LocalRuleValueForm
from timescales.models import ExtraNonWorkingDay
from timescales.selectors import extra_non_working_days, rules_in_force

READERS = (Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER, Role.SYSTEM_ADMIN, Role.PERFORMANCE)
KEEPERS = (Role.IRO_MANAGER, Role.SYSTEM_ADMIN)


def _render(request: HttpRequest, **forms: object) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        "rules": rules_in_force(on=today),
        "extra_days": extra_non_working_days(),
        "can_change": request.user.has_role(*KEEPERS),
        "rule_form": forms.get("rule_form") or LocalRuleValueForm(),
        "day_form": forms.get("day_form") or ExtraNonWorkingDayForm(),
    }
    return render(request, "timescales/rules.html", context)


def rules(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(*READERS):
        raise PermissionDenied
    return _render(request)


def _require_keeper(request: HttpRequest) -> None:
    if not request.user.has_role(*KEEPERS):
        raise PermissionDenied


@require_POST
def local_value_add(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    form = LocalRuleValueForm(request.POST)
    if form.is_valid():
        try:
            _, moved = services.local_rule_value_set(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Rule changed. {moved} open deadlines moved.")
            return redirect("timescales:rules")
    return _render(request, rule_form=form)


@require_POST
def extra_day_add(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    form = ExtraNonWorkingDayForm(request.POST)
    if form.is_valid():
        try:
            _, moved = services.extra_non_working_day_add(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error("day" if error.field == "day" else None, error.message)
        else:
            messages.success(request, f"Non-working day added. {moved} open deadlines moved.")
            return redirect("timescales:rules")
    return _render(request, day_form=form)


@require_POST
def extra_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_keeper(request)
    extra = get_object_or_404(ExtraNonWorkingDay, pk=pk)
    moved = services.extra_non_working_day_remove(extra=extra, by=request.user)
    messages.success(request, f"Non-working day removed. {moved} open deadlines moved.")
    return redirect("timescales:rules")
