"""Issues Resolution pages. Each POST calls one service and redirects (POST-redirect-GET);
service errors appear in the GOV.UK error summary."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from challenges import policies, services, workflow
from challenges.forms import (
    AcceptForm,
    AmendForm,
    CafcassForm,
    CafcassResponseForm,
    DecisionForm,
    EscalateForm,
    FilterForm,
    RaiseForm,
    ReassignForm,
    RespondForm,
    WithdrawForm,
)
from challenges.models import CafcassReferral, Challenge, RecoveryAction
from challenges.selectors import (
    ChallengeFilters,
    approval_get_for_user,
    challenge_draft_for,
    challenge_get_for_user,
    challenge_table_for_user,
    challenges_awaiting_approval,
    challenges_to_answer,
    challenges_visible_to,
    clinics_for_challenge,
    my_challenges,
)
from challenges.themes import themes_for
from children.selectors import child_get_for_user, children_visible_to
from iro_service.core.drafts import initial_from_draft
from iro_service.core.errors import ApplicationError, NotPermitted
from people.models import Team, User
from people.roles import CHAIR_ROLES, Role
from people.selectors import users_with_roles
from people.services import team_manager_chain
from timescales.rules import Unit, assess
from timescales.services import working_calendar

PAGE_SIZE = 50
MANAGERS = (Role.IRO_MANAGER, Role.SENIOR_IRO)


def _fail(form: Form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _annotate_deadlines(challenges: Iterable[Challenge]) -> None:
    """Attach ``deadline`` (met/late/overdue via ``assess``) to each challenge's current
    stage, from one calendar read."""
    calendar, today = working_calendar(), timezone.localdate()
    for challenge in challenges:
        stage = challenge.current
        challenge.deadline = None
        if stage is not None and stage.response_due is not None and challenge.is_open:
            challenge.deadline = assess(
                due=stage.response_due,
                done=stage.responded_on,
                today=today,
                unit=Unit.WORKING_DAYS,
                calendar=calendar,
            )


# Lists -----------------------------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    """The IRO's open challenges: overdue, awaiting a response, awaiting their decision."""
    groups = my_challenges(user=request.user, today=timezone.localdate())
    _annotate_deadlines(row for rows in groups.values() for row in rows)
    return render(request, "challenges/mine.html", {"groups": groups})


def to_answer(request: HttpRequest) -> HttpResponse:
    rows = list(challenges_to_answer(user=request.user))
    _annotate_deadlines(rows)
    return render(request, "challenges/to_answer.html", {"challenges": rows})


def approvals(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.IRO_MANAGER):
        raise PermissionDenied
    rows = list(challenges_awaiting_approval(user=request.user))
    return render(request, "challenges/approvals.html", {"approvals": rows})


def all_challenges(request: HttpRequest) -> HttpResponse:
    teams = list(Team.objects.filter(level=Team.Level.TEAM).values_list("pk", "name"))
    chairs = users_with_roles(CHAIR_ROLES).only("first_name", "last_name", "email")
    iros = [(user.pk, str(user)) for user in chairs]
    form = FilterForm(request.GET or None, teams=teams, iros=iros)
    data = form.cleaned_data if form.is_valid() else {}
    filters = ChallengeFilters(
        reason=data.get("reason") or "",
        stage=data.get("stage") or "",
        team_id=data.get("team"),
        iro_id=data.get("iro"),
        status=data.get("status") or "",
        overdue=bool(data.get("overdue")),
    )
    rows = challenge_table_for_user(user=request.user, filters=filters, today=timezone.localdate())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _annotate_deadlines(list(page.object_list))
    return render(request, "challenges/list.html", {"form": form, "page_obj": page})


def themes(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.IRO_MANAGER, Role.SENIOR_IRO, Role.PERFORMANCE, Role.IRO):
        raise PermissionDenied
    years = themes_for(user=request.user, today=timezone.localdate(), calendar=working_calendar())
    return render(request, "challenges/themes.html", {"years": years})


# Raise -----------------------------------------------------------------------------------


def _raise_initial(request: HttpRequest) -> dict[str, Any]:
    """Prefill from the link that led here (an overdue review decision, an audit finding)."""
    return {
        "source": request.GET.get("source", "")[:60],
        "reasons": request.GET.getlist("reason"),
        "what_is_wrong": request.GET.get("what_is_wrong", ""),
        "what_must_happen": request.GET.get("what_must_happen", ""),
    }


def _cohort(request: HttpRequest, form: RaiseForm, child: Any) -> list[Any] | None:
    scope = form.cleaned_data["scope"]
    if scope == Challenge.Scope.SIBLINGS and child.sibling_group_id:
        return list(children_visible_to(request.user).filter(sibling_group=child.sibling_group_id))
    if scope != Challenge.Scope.SERVICE:
        return [child]
    ids = [line.strip() for line in form.cleaned_data["other_children"].split() if line.strip()]
    found = list(children_visible_to(request.user).filter(la_child_id__in=ids))
    missing = set(ids) - {other.la_child_id for other in found}
    if missing:
        form.add_error("other_children", f"No child with ID {sorted(missing)[0]} was found")
        return None
    return [child, *[other for other in found if other.pk != child.pk]]


def raise_challenge(request: HttpRequest) -> HttpResponse:
    if not policies.can_raise(request.user):
        raise PermissionDenied
    child_pk = request.POST.get("child") or request.GET.get("child") or "0"
    child = child_get_for_user(user=request.user, pk=int(child_pk) if child_pk.isdigit() else 0)
    has_siblings = child.sibling_group_id is not None
    if request.method == "POST":
        form = RaiseForm(request.POST, has_siblings=has_siblings)
        if form.is_valid():
            cohort = _cohort(request, form, child)
            if cohort is not None:
                data = form.cleaned_data
                try:
                    challenge = services.challenge_raise(
                        children=cohort,
                        scope=data["scope"],
                        reasons=data["reasons"],
                        what_is_wrong=data["what_is_wrong"],
                        impact_on_child=data["impact_on_child"],
                        what_must_happen=data["what_must_happen"],
                        happen_by=data["happen_by"],
                        child_view=data["child_view"],
                        stage=data["stage"],
                        skipped_reason=data["skipped_reason"],
                        source=data["source"],
                        by=request.user,
                    )
                except ApplicationError as error:
                    _fail(form, error)
                else:
                    messages.success(request, f"Challenge {challenge.reference} raised.")
                    return redirect("challenges:detail", challenge.pk)
    else:
        form = RaiseForm(initial=_raise_initial(request), has_siblings=has_siblings)
        _restore_draft(request, form, child=child)
    return render(request, "challenges/raise.html", {"form": form, "child": child})


def _restore_draft(
    request: HttpRequest,
    form: Form,
    *,
    child: Any = None,
    challenge: Challenge | None = None,
) -> None:
    """Show the person's kept draft (``challenges.drafts``) in the form they come back to."""
    draft = challenge_draft_for(user=request.user, child=child, challenge=challenge)
    if draft is not None:
        form.initial.update(initial_from_draft(form, draft.data))
        form.draft = draft  # type: ignore[attr-defined]


# Detail and actions ----------------------------------------------------------------------


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = challenge_get_for_user(user=request.user, pk=pk)
    _annotate_deadlines([challenge])
    calendar, today = working_calendar(), timezone.localdate()
    formal_used = None
    if challenge.formal_start:
        formal_used = calendar.working_days_between(
            challenge.formal_start, challenge.finished_on or today
        )
    user = request.user
    context = {
        "challenge": challenge,
        "stages": list(challenge.stages.all()),
        "events": list(challenge.events.all()),
        "formal_used": formal_used,
        "can_iro": policies.can_act_for_iro(user, challenge) and challenge.is_open,
        "can_iro_any": policies.can_act_for_iro(user, challenge),
        "can_respond": policies.can_respond(user, challenge)
        and challenge.status == workflow.AWAITING_RESPONSE,
        "can_reassign": policies.can_reassign(user, challenge)
        and challenge.status == workflow.AWAITING_RESPONSE,
        "declined": [a for a in challenge.approvals.all() if a.decision == "declined"],
        "clinics": list(clinics_for_challenge(user=user, challenge=challenge)),
        "can_schedule_clinic": policies.can_run_clinics(user) and challenge.is_open,
    }
    return render(request, "challenges/detail.html", context)


def _action_page(
    request: HttpRequest,
    pk: int,
    *,
    template: str,
    make_form: Callable[..., Form],
    run: Callable[[Challenge, dict[str, Any], Form], str],
    allowed: Callable[[User, Challenge], bool],
) -> HttpResponse:
    """GET shows the form; POST runs the service and returns to the challenge."""
    challenge = challenge_get_for_user(user=request.user, pk=pk)
    if not allowed(request.user, challenge):
        raise PermissionDenied
    if request.method == "POST":
        form = make_form(request.POST, challenge=challenge)
        if form.is_valid():
            try:
                message = run(challenge, form.cleaned_data, form)
            except ApplicationError as error:
                _fail(form, error)
            else:
                messages.success(request, message)
                return redirect("challenges:detail", challenge.pk)
    else:
        form = make_form(initial={"version": challenge.version}, challenge=challenge)
    return render(request, template, {"form": form, "challenge": challenge})


def _owners(challenge: Challenge) -> list[User]:
    team_users = list(User.objects.filter(is_active=True, team=challenge.team))
    chain = team_manager_chain(challenge.team) if challenge.team else []
    return list({user.pk: user for user in [*team_users, *chain]}.values())


def respond(request: HttpRequest, pk: int) -> HttpResponse:
    def make(*args: Any, challenge: Challenge, **kwargs: Any) -> Form:
        form = RespondForm(*args, owners=_owners(challenge), **kwargs)
        if not args:
            _restore_draft(request, form, challenge=challenge)
        return form

    def run(challenge: Challenge, data: dict[str, Any], form: Form) -> str:
        assert isinstance(form, RespondForm)
        actions = [services.ActionInput(t, o, d) for t, o, d in form.actions()]
        services.challenge_respond(
            challenge=challenge,
            response=data["response"],
            actions=actions,
            by=request.user,
            version=data["version"],
        )
        return "Response recorded. The IRO has been told."

    return _action_page(
        request,
        pk,
        template="challenges/respond.html",
        make_form=make,
        run=run,
        allowed=policies.can_respond,
    )


def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    def make(*args: Any, challenge: Challenge, **kwargs: Any) -> Form:
        return EscalateForm(*args, challenge=challenge, **kwargs)

    def run(challenge: Challenge, data: dict[str, Any], form: Form) -> str:
        target = data["target_stage"]
        fields = {
            "challenge": challenge,
            "target_stage": target,
            "reason": data["reason"],
            "skipped_reason": data["skipped_reason"],
            "by": request.user,
            "version": data["version"],
        }
        label = workflow.STAGE_LABELS[target].lower()
        if services.stage_config(target).needs_approval:
            services.challenge_request_approval(**fields)
            return f"Approval asked from the IRO service manager to escalate to {label}."
        services.challenge_escalate(**fields)
        return f"Escalated to {label}."

    return _action_page(
        request,
        pk,
        template="challenges/escalate.html",
        make_form=make,
        run=run,
        allowed=policies.can_act_for_iro,
    )


def accept(request: HttpRequest, pk: int) -> HttpResponse:
    def run(challenge: Challenge, data: dict[str, Any], form: Form) -> str:
        services.challenge_accept(
            challenge=challenge,
            outcome=data["outcome"],
            what_changed=data["what_changed"],
            by=request.user,
            version=data["version"],
        )
        return "Challenge resolved."

    return _action_page(
        request,
        pk,
        template="challenges/accept.html",
        make_form=lambda *a, challenge, **k: AcceptForm(*a, **k),
        run=run,
        allowed=policies.can_act_for_iro,
    )


def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(challenge: Challenge, data: dict[str, Any], form: Form) -> str:
        services.challenge_withdraw(
            challenge=challenge, reason=data["reason"], by=request.user, version=data["version"]
        )
        return "Challenge withdrawn."

    return _action_page(
        request,
        pk,
        template="challenges/withdraw.html",
        make_form=lambda *a, challenge, **k: WithdrawForm(*a, **k),
        run=run,
        allowed=policies.can_act_for_iro,
    )


def refer(request: HttpRequest, pk: int) -> HttpResponse:
    def run(challenge: Challenge, data: dict[str, Any], form: Form) -> str:
        referral = services.challenge_refer_to_cafcass(
            challenge=challenge,
            concurrent=data["concurrent"],
            reason=data["reason"],
            what_was_sent=data["what_was_sent"],
            child_wishes=data["child_wishes"],
            by=request.user,
            version=data["version"],
        )
        if referral.status == referral.Status.AWAITING_APPROVAL:
            return "Approval asked from the IRO service manager to refer to Cafcass."
        return "Referral to Cafcass recorded."

    return _action_page(
        request,
        pk,
        template="challenges/refer.html",
        make_form=lambda *a, challenge, **k: CafcassForm(*a, **k),
        run=run,
        allowed=policies.can_act_for_iro,
    )


def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    def make(*args: Any, challenge: Challenge, **kwargs: Any) -> Form:
        return ReassignForm(*args, users=_owners(challenge), **kwargs)

    def run(challenge: Challenge, data: dict[str, Any], form: Form) -> str:
        responder = User.objects.get(pk=data["responder"])
        services.challenge_reassign(
            challenge=challenge,
            responder=responder,
            reason=data["reason"],
            by=request.user,
            version=data["version"],
        )
        return f"Stage given to {responder}."

    return _action_page(
        request,
        pk,
        template="challenges/reassign.html",
        make_form=make,
        run=run,
        allowed=policies.can_reassign,
    )


def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO service manager approves or declines one request."""
    approval = approval_get_for_user(user=request.user, pk=pk)
    if not request.user.has_role(Role.IRO_MANAGER):
        raise PermissionDenied
    challenge = challenge_get_for_user(user=request.user, pk=approval.challenge_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if request.POST.get("decision") == "approve":
                services.approval_approve(approval=approval, comment=comment, by=request.user)
                message = "Approved."
            else:
                services.approval_decline(approval=approval, comment=comment, by=request.user)
                message = "Declined. The IRO will see your comment."
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, message)
            return redirect("challenges:approvals")
    context = {"form": form, "approval": approval, "challenge": challenge}
    return render(request, "challenges/decide.html", context)


def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Amend the outcome of a finished challenge; the original is kept."""
    challenge = challenge_get_for_user(user=request.user, pk=pk)
    if not policies.can_act_for_iro(request.user, challenge) or challenge.is_open:
        raise PermissionDenied
    initial = {"outcome": challenge.outcome, "what_changed": challenge.what_changed}
    form = AmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_amend(challenge=challenge, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, "Outcome amended. The original is kept in the history.")
            return redirect("challenges:detail", challenge.pk)
    return render(request, "challenges/amend.html", {"form": form, "challenge": challenge})


def cafcass_response(request: HttpRequest, pk: int) -> HttpResponse:
    """Record Cafcass's response and outcome to a referral."""
    referral = get_object_or_404(
        CafcassReferral.objects.filter(challenge__in=challenges_visible_to(request.user)), pk=pk
    )
    challenge = challenge_get_for_user(user=request.user, pk=referral.challenge_id)
    if not policies.can_act_for_iro(request.user, challenge):
        raise PermissionDenied
    form = CafcassResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cafcass_response_record(
                referral=referral, by=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(request, "Cafcass's response recorded.")
            return redirect("challenges:detail", challenge.pk)
    context = {"form": form, "challenge": challenge, "referral": referral}
    return render(request, "challenges/cafcass_response.html", context)


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a recovery plan action done or not done."""
    action = get_object_or_404(
        RecoveryAction.objects.filter(challenge__in=challenges_visible_to(request.user)), pk=pk
    )
    try:
        services.recovery_action_set_status(
            action=action, status=request.POST.get("status", ""), by=request.user
        )
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Action marked {action.get_status_display().lower()}.")
    return redirect("challenges:detail", action.challenge_id)
