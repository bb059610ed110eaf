"""The page for raising a service-level challenge about a cohort chosen by filter (issue 6):
choose the cohort (and a team), see who is in it, then raise one challenge covering them all.
Thin: the cohort is a selector (``challenges.cohorts``), the raise is ``challenge_raise``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from challenges import policies, services
from challenges.cohorts import COHORTS, cohort_children
from challenges.forms import CohortRaiseForm
from challenges.models import Challenge
from children.models import Child
from iro_service.core.errors import ApplicationError
from people.models import Team

PREVIEW_ROWS = 50


def _form(request: HttpRequest, teams: list[Team]) -> CohortRaiseForm:
    cohorts = [(cohort.key, cohort.label) for cohort in COHORTS.values()]
    if request.method == "POST":
        return CohortRaiseForm(request.POST, cohorts=cohorts, teams=teams)
    initial = {"cohort": request.GET.get("cohort", ""), "team": request.GET.get("team", "")}
    return CohortRaiseForm(initial=initial, cohorts=cohorts, teams=teams)


def _chosen(request: HttpRequest) -> tuple[str, int | None]:
    data = request.POST if request.method == "POST" else request.GET
    key = data.get("cohort", "")
    team = data.get("team", "")
    return (key if key in COHORTS else ""), (int(team) if team.isdigit() else None)


def _raise(
    request: HttpRequest, form: CohortRaiseForm, key: str, team: Team | None, cohort: list
) -> Challenge | None:
    data = form.cleaned_data
    try:
        return services.challenge_raise(
            children=cohort,
            scope=Challenge.Scope.SERVICE,
            team=team,
            reasons=data["reasons"],
            what_is_wrong=data["what_is_wrong"],
            impact_on_child=data["impact_on_child"],
            what_must_happen=data["what_must_happen"],
            happen_by=data["happen_by"],
            child_view=data["child_view"],
            stage=data["stage"],
            skipped_reason=data["skipped_reason"],
            source=f"cohort:{key}",
            by=request.user,
        )
    except ApplicationError as error:
        # An empty cohort is the service's "children" error: shown against the cohort.
        form.add_error(error.field if error.field in form.fields else "cohort", error.message)
        return None


def raise_cohort(request: HttpRequest) -> HttpResponse:
    """GET shows the cohort's children (the first 50 and the count); POST raises one
    challenge about every child in the cohort at that moment."""
    if not policies.can_raise(request.user):
        raise PermissionDenied
    teams = list(Team.objects.filter(level=Team.Level.TEAM).order_by("name"))
    form = _form(request, teams)
    key, team_id = _chosen(request)
    children = (
        cohort_children(user=request.user, key=key, today=timezone.localdate(), team_id=team_id)
        if key
        else Child.objects.none()
    )
    if request.method == "POST" and form.is_valid():
        cohort = list(children)
        team = next((team for team in teams if team.pk == team_id), None)
        challenge = _raise(request, form, key, team, cohort)
        if challenge is not None:
            messages.success(
                request, f"Challenge {challenge.reference} raised about {len(cohort)} children."
            )
            return redirect("challenges:detail", challenge.pk)
    count = children.count()
    context = {
        "form": form,
        "cohort": COHORTS.get(key),
        "count": count,
        "preview": list(children[:PREVIEW_ROWS]),
        "more": max(count - PREVIEW_ROWS, 0),
    }
    status = 400 if form.errors else 200
    return render(request, "challenges/raise_cohort.html", context, status=status)
