"""Dashboards: the home page of each role, the drill-down lists behind every figure, and
the caseload settings. Views parse the query string, call the selectors of
``reporting.dashboards`` and render; the figures are built once, as charts with their
tables (``reporting.charts``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from children.models import Child
from children.selectors import children_visible_to
from conferences.models import Conference
from iro_service.core.errors import ApplicationError
from iro_service.core.kept import kept
from iro_service.core.policy import Action, may
from people.models import User
from people.roles import Role
from reporting import charts
from reporting.dashboards import audits as audit_panel
from reporting.dashboards import caseload, challenges, deadlines, drilldown, support, timeliness
from reporting.dashboards.common import (
    NamedPeriod,
    dashboard_periods,
    deadline_context,
    london_today,
    week_of,
)
from reporting.dashboards.forms import CaseloadSettingsForm
from reporting.dashboards.services import (
    can_change_caseload_settings,
    caseload_settings_update,
)
from reporting.dashboards.week import my_week
from reporting.models import CaseloadSettings
from reviews.models import Review

ROLE_INTRODUCTIONS = {
    Role.IRO: "Your caseload, the reviews and conferences you chair, and every deadline.",
    Role.SENIOR_IRO: "Your caseload and the IROs you support.",
    Role.IRO_MANAGER: "Caseloads, timeliness and escalations across the IRO service.",
    Role.BUSINESS_SUPPORT: "Reviews and conferences to schedule, invitations and records to send.",
    Role.SOCIAL_WORKER: "The children of your team and the decisions you own.",
    Role.TEAM_MANAGER: "Your team's children and the challenges for you to answer.",
    Role.HEAD_OF_SERVICE: "The children of your service and escalations for you.",
    Role.DIRECTOR: "The children of the directorate and escalations for you.",
    Role.PERFORMANCE: "The IRO annual report: each year's figures beside the year before.",
    Role.IG_OFFICER: "Access logs and information requests.",
    Role.SYSTEM_ADMIN: "Staff accounts, teams and bank holidays.",
}

RATINGS = ("red", "amber", "green")
# How long each dashboard's figures are kept before they are worked out again (issue 11:
# the service dashboard's figures cost about 100 ms, the IRO's caseload about 70 ms).
IRO_KEPT_SECONDS = 60
SERVICE_KEPT_SECONDS = 5 * 60
# Whose home page is which dashboard, first match wins.
HOME_SERVICE = (Role.IRO_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR)
HOME_IRO = (Role.IRO, Role.SENIOR_IRO)
HOME_SUPPORT = (Role.BUSINESS_SUPPORT,)


def _require(request: HttpRequest, action: Action) -> None:
    """Who opens each dashboard is the policy table's (``iro_service.core.policy``);
    performance staff see figures but no case content (SECURITY.md), and these dashboards
    drill down to children: they have the annual report instead."""
    if not may(request.user.roles, action):
        raise PermissionDenied


def _dashboards(user: User) -> list[tuple[str, str]]:
    """The dashboards the user may open, for the sub-navigation."""
    links = []
    if may(user.roles, Action.DASHBOARD_IRO):
        links.append(("My caseload", reverse("reporting:dashboard_iro")))
    if may(user.roles, Action.DASHBOARD_SERVICE):
        links.append(("IRO service", reverse("reporting:dashboard_service")))
    if may(user.roles, Action.DASHBOARD_SUPPORT):
        links.append(("Scheduling", reverse("reporting:dashboard_support")))
    if can_change_caseload_settings(user):
        links.append(("Caseload settings", reverse("reporting:caseload_settings")))
    return links


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["dashboards"] = _dashboards(request.user)
    return render(request, f"reporting/dashboards/{template}", context)


def home(request: HttpRequest) -> HttpResponse:
    """Each role's dashboard at "/"; roles without one get their introductions."""
    user = request.user
    if user.has_role(*HOME_SERVICE):
        return _service(request, home=True)
    if user.has_role(*HOME_IRO):
        return _iro(request, home=True)
    if user.has_role(*HOME_SUPPORT):
        return _support(request, home=True)
    roles = [role for role in Role if role in user.roles]
    introductions = [(role.value, ROLE_INTRODUCTIONS[role]) for role in roles]
    context = {"introductions": introductions, "dashboards": _dashboards(user)}
    return render(request, "reporting/dashboards/home.html", context)


def iro_dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, Action.DASHBOARD_IRO)
    return _iro(request)


def service_dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, Action.DASHBOARD_SERVICE)
    return _service(request)


def support_dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, Action.DASHBOARD_SUPPORT)
    return _support(request)


# The IRO ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    child: Any
    status: str
    next: deadlines.OpenItem | None
    points: int


SEVERITY = {"overdue": 0, "due_soon": 1, "upcoming": 2}
SORTS: dict[str, Callable[[CaseloadRow], Any]] = {
    "child": lambda row: (row.child.last_name.lower(), row.child.first_name.lower(), row.child.pk),
    "status": lambda row: (row.status, row.child.pk),
    "next": lambda row: (row.next.deadline.due if row.next else date.max, row.child.pk),
    "badge": lambda row: (
        SEVERITY.get(row.next.deadline.status, 3) if row.next else 4,
        row.next.deadline.due if row.next else date.max,
    ),
    "points": lambda row: (row.points, row.child.pk),
}


def _sort(request: HttpRequest) -> tuple[str, bool]:
    """``?sort=next`` ascending, ``?sort=-next`` descending; soonest deadline by default."""
    value = request.GET.get("sort", "next")
    key = value.lstrip("-")
    return (key, value.startswith("-")) if key in SORTS else ("next", False)


def _status(child: Any) -> str:
    if child.in_care and child.on_plan:
        return "In care and on a plan"
    return "In care" if child.in_care else "On a plan"


def _iro(request: HttpRequest, *, home: bool = False) -> HttpResponse:
    """My caseload with each child's next deadline, my overdue items, my week: worked out
    once a minute at most (``kept``), and at once after the IRO changes anything."""
    user, today = request.user, london_today()
    sort, descending = _sort(request)
    figures = kept(
        request,
        "dashboard-iro",
        (today, sort, descending),
        IRO_KEPT_SECONDS,
        lambda: render_to_string(
            "reporting/dashboards/_iro_figures.html",
            _iro_figures(user, today, sort, descending),
        ),
    )
    context = {"home": home, "figures": figures}
    return _render(request, "iro.html", context | {"current": "My caseload"})


def _allocated_or_chaired(user: User) -> list[int]:
    """The ids of the children allocated to the IRO or whose review or conference they
    chair: one UNION query. Read as ids first, so the open-items queries filter on a known
    list: with the three as OR'd subqueries PostgreSQL could not estimate the rows and read
    every review and conference (1.5 s at England scale, bench/RESULTS.md)."""
    ids = (
        Child.objects.filter(iro=user)
        .order_by()
        .values_list("pk", flat=True)
        .union(
            Review.objects.filter(chair=user).order_by().values_list("child_id", flat=True),
            Conference.objects.filter(chair=user).order_by().values_list("child_id", flat=True),
        )
    )
    return list(ids)


def _iro_figures(user: User, today: date, sort: str, descending: bool) -> dict[str, Any]:
    settings = CaseloadSettings.current()
    visible = children_visible_to(user)
    mine = list(
        caseload.caseload_children(user=user, today=today, settings=settings).filter(iro=user)
    )
    items = deadlines.open_items(
        children=visible.filter(pk__any=_allocated_or_chaired(user)),
        context=deadline_context(today),
    )
    soonest = deadlines.next_deadline_by_child(items)
    rows = [
        CaseloadRow(
            child,
            _status(child),
            soonest.get(child.pk),
            caseload.caseload_points(child, settings),
        )
        for child in mine
    ]
    rows.sort(key=SORTS[sort], reverse=descending)
    monday, sunday = week_of(today)
    return {
        "kept_for": "a minute",
        "today": today,
        "rows": rows,
        "sort": sort,
        "descending": descending,
        "overdue": [i for i in items if i.owner_id == user.pk and i.deadline.status == "overdue"],
        "week": my_week(user=user, children=visible, monday=monday),
        "monday": monday,
        "sunday": sunday,
    }


# The IRO service manager -----------------------------------------------------------------


def _drill(name: str, **params: Any) -> str:
    query = {key: value for key, value in params.items() if value not in ("", None)}
    url = reverse(f"reporting:{name}")
    return f"{url}?{urlencode(query)}" if query else url


def _caseload_charts(rows: list[caseload.IroCaseload], settings: CaseloadSettings) -> dict:
    markers = [
        charts.Marker(f"Guidance {caseload.GUIDANCE_LOW}", caseload.GUIDANCE_LOW),
        charts.Marker(f"Guidance {caseload.GUIDANCE_HIGH}", caseload.GUIDANCE_HIGH),
        charts.Marker(f"Target {settings.local_target_per_fte}", settings.local_target_per_fte),
    ]
    per_fte = charts.bar_chart(
        [(str(r.iro), r.per_fte, _drill("drill_caseload", iro=r.iro.pk)) for r in rows],
        title="Children per full-time IRO",
        value_heading="Children per FTE",
        label_heading="IRO",
        markers=markers,
        description="Children on each IRO's caseload divided by their full-time equivalent.",
    )
    weighted = charts.bar_chart(
        [(str(r.iro), r.points_per_fte, _drill("drill_caseload", iro=r.iro.pk)) for r in rows],
        title="Complexity-weighted caseload: points per full-time IRO",
        value_heading="Points per FTE",
        label_heading="IRO",
        markers=markers,
        description="Each child counts 1 point plus the points of each complexity factor.",
    )
    totals = {name: sum(r.factors.get(name, 0) for r in rows) for name in caseload.FACTOR_LABELS}
    factors = charts.bar_chart(
        [
            (label, totals[name], _drill("drill_caseload", factor=name))
            for name, label in caseload.FACTOR_LABELS.items()
        ],
        title="Children with each complexity factor",
        value_heading="Children",
        label_heading="Factor",
    )
    return {"per_fte": per_fte, "weighted": weighted, "factors": factors}


def _timeliness_charts(
    rows: list[timeliness.TimelinessRow], periods: dict[str, NamedPeriod]
) -> list[SafeString]:
    result = []
    for key, named in periods.items():
        counts = "; ".join(
            f"{row.measure.label} {row.figures[key].on_time} of {row.figures[key].judged}"
            for row in rows
        )
        result.append(
            charts.bar_chart(
                [
                    (
                        row.measure.label,
                        row.figures[key].pct,
                        _drill("drill_timeliness", measure=row.measure.key, period=key),
                    )
                    for row in rows
                ],
                title=f"On time: {named.label.lower()}",
                max_value=100,
                unit="%",
                value_heading="On time",
                label_heading="Measure",
                description=f"On time out of those counted: {counts}.",
            )
        )
    return result


def _trend_chart(
    months: list[tuple[date, timeliness.Figure]], measure: timeliness.Measure
) -> SafeString:
    return charts.line_chart(
        [(f"{month:%b}", figure.pct) for month, figure in months],
        title=f"{measure.label} on time, month by month this year",
        max_value=100,
        unit="%",
        label_heading="Month",
        value_heading="On time",
        description="A month with nothing held shows no data.",
    )


def _overdue_chart(counts: dict, names: dict[int, str]) -> SafeString:
    categories = list(deadlines.CATEGORY_LABELS)
    rows = []
    for owner_id in sorted(counts, key=lambda pk: (pk is None, names.get(pk, ""))):
        param = owner_id if owner_id is not None else "none"
        rows.append(
            (
                names.get(owner_id, "No IRO allocated"),
                [counts[owner_id].get(category, 0) for category in categories],
                [_drill(f"drill_overdue_{category}", iro=param) for category in categories],
            )
        )
    return charts.stacked_bar_chart(
        rows,
        series=[deadlines.CATEGORY_LABELS[c] for c in categories],
        title="Overdue items by IRO",
        label_heading="IRO",
        description="Deadlines passed with nothing done: reviews, conferences, records to "
        "circulate and IRO allocations, by the IRO who holds them.",
    )


def _audit_charts(figures: dict[str, audit_panel.AuditFigures], periods: dict) -> dict:
    rag = charts.stacked_bar_chart(
        [
            (
                periods[key].label,
                [figures[key].rag[value] for value in RATINGS],
                [_drill("drill_audits", period=key, rating=value) for value in RATINGS],
            )
            for key in periods
        ],
        series=["Red", "Amber", "Green"],
        colours=charts.RAG_COLOURS,
        title="Completed audits by rating",
        label_heading="Period",
    )
    completion = charts.bar_chart(
        [
            (
                periods[key].label,
                figures[key].completion_pct,
                _drill("drill_audits", period=key, unaudited=1),
            )
            for key in periods
        ],
        title="Reviews and conferences held with a completed audit",
        max_value=100,
        unit="%",
        value_heading="Audited",
        label_heading="Period",
    )
    return {"rag": rag, "completion": completion}


def _challenges_link(url: str, stage: str) -> str:
    """The challenges list, filtered to one stage's open challenges (its own filters)."""
    return f"{url}?{urlencode({'stage': stage, 'status': 'open'})}"


def _service(request: HttpRequest, *, home: bool = False) -> HttpResponse:
    """Caseloads, timeliness, overdue items, challenges and audits across the service:
    worked out once every 5 minutes at most (``kept``), and at once after the manager
    changes anything."""
    user, today = request.user, london_today()
    figures = kept(
        request,
        "dashboard-service",
        (today,),
        SERVICE_KEPT_SECONDS,
        lambda: render_to_string(
            "reporting/dashboards/_service_figures.html", _service_figures(user, today)
        ),
    )
    context = {"home": home, "today": today, "figures": figures}
    return _render(request, "service.html", context | {"current": "IRO service"})


def _service_figures(user: User, today: date) -> dict[str, Any]:
    settings = CaseloadSettings.current()
    visible = children_visible_to(user)
    periods = dashboard_periods(today)
    caseloads = caseload.iro_caseloads(user=user, today=today, settings=settings)
    names = {row.iro.pk: str(row.iro) for row in caseloads}
    overdue = deadlines.overdue_counts_by_owner(children=visible, today=today)
    missing = [pk for pk in overdue if pk is not None and pk not in names]
    if missing:
        names |= {u.pk: str(u) for u in User.objects.filter(pk__in=missing)}
    stages = challenges.open_challenges_by_stage(user=user)
    challenge_list = reverse("challenges:list")
    context = {
        "kept_for": "5 minutes",
        "can_change_settings": can_change_caseload_settings(user),
        "today": today,
        "settings": settings,
        "caseloads": caseloads,
        "guidance": (caseload.GUIDANCE_LOW, caseload.GUIDANCE_HIGH),
        "caseload_charts": _caseload_charts(caseloads, settings),
        "factor_help": [
            (label, CaseloadSettings._meta.get_field(name).help_text, settings.weights[name])
            for name, label in caseload.FACTOR_LABELS.items()
        ],
        "timeliness_charts": _timeliness_charts(
            timeliness.timeliness(children=visible, periods=periods, today=today), periods
        ),
        "measures": timeliness.MEASURES,
        "trend_chart": _trend_chart(
            timeliness.monthly_on_time(
                measure=timeliness.MEASURES_BY_KEY["cla_reviews"],
                children=visible,
                period=periods["ytd"].period,
                today=today,
            ),
            timeliness.MEASURES_BY_KEY["cla_reviews"],
        ),
        "overdue_chart": _overdue_chart(overdue, names),
        "challenges_chart": charts.bar_chart(
            [
                (
                    s.label,
                    s.count,
                    f"{challenge_list}?{urlencode({'stage': s.stage, 'status': 'open'})}",
                )
                for s in stages
            ],
            title="Open challenges by stage",
            label_heading="Stage",
            value_heading="Open",
        ),
        "audit_charts": _audit_charts(
            audit_panel.audit_figures(children=visible, periods=periods), periods
        ),
    }
    return context


# Business support ------------------------------------------------------------------------


RECORD_SOURCES = ("review_decisions", "conference_outcome", "conference_minutes")


def _support(request: HttpRequest, *, home: bool = False) -> HttpResponse:
    user, today = request.user, london_today()
    visible = children_visible_to(user)
    sunday = week_of(today)[1]
    sources = [s for s in deadlines.SOURCES if s.key in RECORD_SOURCES]
    context = {
        "home": home,
        "today": today,
        "sunday": sunday,
        "next_sunday": sunday + timedelta(days=7),
        "to_schedule": support.to_schedule(children=visible, today=today, sunday=sunday),
        "agency_reports": support.agency_reports_overdue(user=user, today=today),
        "sw_reports": support.social_worker_reports_awaited(
            children=visible, today=today, until=sunday + timedelta(days=7)
        ),
        "records": deadlines.open_items(
            children=visible, context=deadline_context(today), sources=sources
        ),
    }
    return _render(request, "support.html", context | {"current": "Scheduling"})


# Drill-down lists --------------------------------------------------------------------------


def _iro_param(request: HttpRequest) -> tuple[int | str | None, str]:
    """``?iro=<id>`` or ``?iro=none``, with the words for the page's caption."""
    value = request.GET.get("iro", "")
    if value == "none":
        return "none", "No IRO allocated"
    if value.isdigit():
        iro = User.objects.filter(pk=int(value)).first()
        if iro is None:
            raise Http404("No such IRO")
        return iro.pk, f"IRO: {iro}"
    return None, "All IROs"


def _period_param(request: HttpRequest, today: date) -> NamedPeriod:
    periods = dashboard_periods(today)
    return periods.get(request.GET.get("period", ""), periods["ytd"])


def _drill_page(
    request: HttpRequest,
    title: str,
    caption: str,
    rows: list,
    *,
    help_text: str = "",
    date_heading: str = "Date",
) -> HttpResponse:
    context = {
        "title": title,
        "caption": caption,
        "rows": rows,
        "help_text": help_text,
        "date_heading": date_heading,
    }
    return _render(request, "drilldown.html", context)


def drill_caseload(request: HttpRequest) -> HttpResponse:
    _require(request, Action.DASHBOARD_DRILL)
    iro_id, caption = _iro_param(request)
    if not isinstance(iro_id, int):
        iro_id, caption = None, "All IROs"  # every child on a caseload has an IRO
    factor = request.GET.get("factor", "")
    title = "Caseload"
    if factor in caseload.FACTOR_LABELS:
        title = f"Caseload: {caseload.FACTOR_LABELS[factor].lower()}"
    rows = drilldown.caseload_rows(
        user=request.user,
        today=london_today(),
        iro_id=iro_id,
        factor=factor,
    )
    return _drill_page(request, title, caption, rows, date_heading="")


def _overdue_view(category: str) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        _require(request, Action.DASHBOARD_DRILL)
        owner_id, caption = _iro_param(request)
        rows = drilldown.overdue_rows(
            user=request.user, today=london_today(), category=category, owner_id=owner_id
        )
        title = f"Overdue: {deadlines.CATEGORY_LABELS[category].lower()}"
        return _drill_page(request, title, caption, rows, date_heading="Due")

    view.__name__ = f"drill_overdue_{category}"
    view.__doc__ = f"Overdue {deadlines.CATEGORY_LABELS[category].lower()}, by IRO."
    return view


drill_overdue_reviews = _overdue_view(deadlines.Category.REVIEWS)
drill_overdue_conferences = _overdue_view(deadlines.Category.CONFERENCES)
drill_overdue_records = _overdue_view(deadlines.Category.RECORDS)
drill_overdue_allocation = _overdue_view(deadlines.Category.ALLOCATION)


def drill_timeliness(request: HttpRequest) -> HttpResponse:
    _require(request, Action.DASHBOARD_DRILL)
    today = london_today()
    measure = timeliness.MEASURES_BY_KEY.get(request.GET.get("measure", ""))
    if measure is None:
        raise Http404("No such measure")
    period = _period_param(request, today)
    rows = drilldown.timeliness_rows(user=request.user, today=today, measure=measure, period=period)
    caption = f"{period.label}: {period.period.start:%-d %B %Y} to {period.period.end:%-d %B %Y}"
    return _drill_page(
        request, measure.label, caption, rows, help_text=measure.help, date_heading="Held"
    )


def drill_audits(request: HttpRequest) -> HttpResponse:
    _require(request, Action.DASHBOARD_DRILL)
    period = _period_param(request, london_today())
    rating = request.GET.get("rating", "")
    rating = rating if rating in RATINGS else ""
    unaudited = request.GET.get("unaudited") == "1"
    rows = drilldown.audit_rows(
        user=request.user,
        period=period,
        rating=rating,
        unaudited=unaudited,
    )
    if unaudited:
        title = "Meetings held with no completed audit"
    else:
        title = (
            f"Completed audits{f' rated {rating}' if rating in ('red', 'amber', 'green') else ''}"
        )
    return _drill_page(request, title, period.label, rows, date_heading="Held or completed")


# Settings ----------------------------------------------------------------------------------


def caseload_settings(request: HttpRequest) -> HttpResponse:
    """The local caseload target and complexity points (the IRO service manager)."""
    if not can_change_caseload_settings(request.user):
        raise PermissionDenied
    current = CaseloadSettings.current()
    form = CaseloadSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            caseload_settings_update(
                values={name: form.cleaned_data[name] for name in form.fields}, by=request.user
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Caseload settings saved")
            return redirect("reporting:dashboard_service")
    return _render(request, "settings.html", {"form": form, "current": "Caseload settings"})
