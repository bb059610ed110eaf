"""Audit pages: audits due, the audit form (drafts, live rating), my completed audits,
recommendations, findings and themes for managers. Views parse input, call one service or
selector and render (POST-redirect-GET). The template editor is in ``template_views``.
"""

import csv
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audits import policies, selectors, services
from audits.forms import AuditForm, DoneForm, FindingsForm, RecommendationForm, ThemesForm
from audits.models import Audit, AuditAnswer, AuditTemplate, Rag
from audits.rating import suggest_rating
from audits.themes import BY_CHOICES, ThemeFilters, Themes, themes_for_user
from children.selectors import children_visible_to
from conferences.models import Conference
from iro_service.core.errors import ApplicationError, NotPermitted
from iro_service.core.forms import date_input_data
from people.models import Team
from people.roles import CHAIR_ROLES
from people.selectors import users_with_roles
from reviews.models import Review

PAGE_SIZE = 50
DEFAULT_PERIOD_DAYS = 91


def _form_error(form: forms.Form, error: ApplicationError) -> None:
    if isinstance(error, NotPermitted):
        raise PermissionDenied(error.message)
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _audit(request: HttpRequest, pk: int) -> Audit:
    return selectors.audit_get_for_user(user=request.user, pk=pk)


def _nav(request: HttpRequest) -> dict[str, bool]:
    """Which tabs of the audits sub-navigation the user sees."""
    return {
        "can_audit": policies.can_audit(request.user),
        "can_read_themes": policies.can_read_themes(request.user),
    }


def _answers(audit: Audit) -> list[AuditAnswer]:
    return list(audit.answers.select_related("question").order_by("question__ordering", "pk"))


# The IRO's lists --------------------------------------------------------------------------


def audits_due(request: HttpRequest) -> HttpResponse:
    """The IRO's audits due and drafts; managers start at the findings."""
    if not policies.can_audit(request.user):
        if policies.can_read_themes(request.user):
            return redirect("audits:findings")
        raise PermissionDenied
    today = timezone.localdate()
    rows = selectors.audits_due(user=request.user, today=today)
    drafts = selectors.audit_list_for_user(
        user=request.user, auditor_id=request.user.pk, status=Audit.Status.DRAFT
    )
    context = {"rows": rows, "drafts": drafts, "today": today, **_nav(request)}
    return render(request, "audits/due.html", context)


def my_audits(request: HttpRequest) -> HttpResponse:
    audits = selectors.audit_list_for_user(
        user=request.user, auditor_id=request.user.pk, status=Audit.Status.COMPLETED
    )
    page = Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audits/mine.html", {"page_obj": page, **_nav(request)})


def my_recommendations(request: HttpRequest) -> HttpResponse:
    """What the user has been asked to do by audits (social workers, team managers)."""
    recommendations = selectors.recommendations_for_owner(user=request.user)
    context = {"recommendations": recommendations, "today": timezone.localdate(), **_nav(request)}
    return render(request, "audits/recommendations.html", context)


# Starting and answering -------------------------------------------------------------------


@require_POST
def start_review(request: HttpRequest, review_pk: int) -> HttpResponse:
    review = (
        Review.objects.filter(pk=review_pk, child__in=children_visible_to(request.user))
        .select_related("child")
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return _start(request, child=review.child, review=review)


@require_POST
def start_conference(request: HttpRequest, conference_pk: int) -> HttpResponse:
    conference = (
        Conference.objects.filter(pk=conference_pk, child__in=children_visible_to(request.user))
        .select_related("child")
        .first()
    )
    if conference is None:
        raise Http404("No such conference")
    return _start(request, child=conference.child, conference=conference)


def _start(request: HttpRequest, **meeting: Any) -> HttpResponse:
    try:
        audit = services.audit_start(by=request.user, **meeting)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("audits:due")
    if audit.is_completed:
        return redirect("audits:detail", audit.pk)
    return redirect("audits:edit", audit.pk)


def _rating_context(audit: Audit, rows: list[AuditAnswer], values: dict[int, str]) -> dict:
    """The live rating panel: the suggested rating from the answers chosen so far and the
    questions that drive it (DOMAIN.md audit rating)."""
    pairs, reds, ambers = [], [], []
    for row in rows:
        answer = values.get(row.question_id, row.answer)
        rag = row.question.rag_for(answer)
        pairs.append((rag, row.question.is_key))
        if rag == "red" and row.question.is_key:
            reds.append(row.question.text)
        elif rag in ("red", "amber"):
            ambers.append(row.question.text)
    unanswered = sum(1 for row in rows if not values.get(row.question_id, row.answer))
    return {
        "audit": audit,
        "suggested": suggest_rating(pairs),
        "key_reds": reds,
        "ambers": ambers,
        "unanswered": unanswered,
    }


def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit form: "Save as draft" keeps the answers; "Complete" settles the rating."""
    audit = _audit(request, pk)
    if not policies.can_edit(request.user, audit):
        if audit.is_completed:
            return redirect("audits:detail", audit.pk)
        raise PermissionDenied
    rows = _answers(audit)
    form = AuditForm(
        request.POST or None,
        answers=rows,
        initial={"summary": audit.summary},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "complete":
                services.audit_complete(
                    audit=audit,
                    answers=form.answer_inputs(),
                    summary=data["summary"],
                    rating=data["rating"],
                    override_reason=data["override_reason"],
                    by=request.user,
                )
                messages.success(request, f"Audit {audit.reference} completed.")
                return redirect("audits:detail", audit.pk)
            services.audit_save_draft(
                audit=audit, answers=form.answer_inputs(), summary=data["summary"], by=request.user
            )
            messages.success(request, "Draft saved.")
            return redirect("audits:edit", audit.pk)
        except ApplicationError as error:
            _form_error(form, error)
    posted = {row.question_id: request.POST.get(f"q{row.question_id}", "") for row in rows}
    values = posted if request.method == "POST" else {}
    context = {
        "audit": audit,
        "form": form,
        "live": _rating_context(audit, rows, values),
    }
    return render(request, "audits/edit.html", context)


@require_POST
def audit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: keep the draft and answer the live rating panel, computed by the server."""
    audit = _audit(request, pk)
    if not policies.can_edit(request.user, audit):
        raise PermissionDenied
    rows = _answers(audit)
    form = AuditForm(request.POST, answers=rows)
    values: dict[int, str] = {}
    if form.is_valid():
        inputs = form.answer_inputs()
        values = {pk: posted.answer for pk, posted in inputs.items()}
        services.audit_save_draft(
            audit=audit, answers=inputs, summary=form.cleaned_data["summary"], by=request.user
        )
    context = _rating_context(audit, rows, values)
    context["saved_at"] = timezone.localtime()
    return render(request, "audits/_rating.html", context)


# One audit --------------------------------------------------------------------------------


def _challenge_link(audit: Audit, row: AuditAnswer) -> str:
    """The Issues Resolution "raise" page, prefilled from the finding (challenges app)."""
    answer = row.get_answer_display().lower()
    wrong = f"Audit {audit.reference}: “{row.question.text}” was answered {answer}."
    if row.comment:
        wrong += f" {row.comment}"
    query = urlencode(
        {"child": audit.child_id, "source": f"audit:{audit.pk}", "what_is_wrong": wrong}
    )
    return f"{reverse('challenges:raise')}?{query}"


def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    rows = _answers(audit)
    findings = [
        (row, _challenge_link(audit, row) if row.rag in ("red", "amber") else "") for row in rows
    ]
    context = {
        "audit": audit,
        "findings": findings,
        "recommendations": [
            (rec, policies.can_close_recommendation(request.user, rec))
            for rec in audit.recommendations.select_related("owner", "question")
        ],
        "events": audit.events.select_related("by"),
        "can_edit": policies.can_edit(request.user, audit),
        "can_recommend": policies.can_recommend(request.user, audit),
        "today": timezone.localdate(),
    }
    return render(request, "audits/detail.html", context)


def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    if not policies.can_recommend(request.user, audit):
        raise PermissionDenied
    questions = audit.version.questions.all()
    initial = {"question": request.GET.get("question")} if request.GET.get("question") else None
    form = RecommendationForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(audit=audit, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Recommendation added.")
            return redirect("audits:detail", audit.pk)
    return render(request, "audits/recommend.html", {"audit": audit, "form": form})


def recommendation_done(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    recommendation = selectors.recommendation_get_for_user(
        user=request.user, audit=audit, pk=recommendation_pk
    )
    if not policies.can_close_recommendation(request.user, recommendation):
        raise PermissionDenied
    form = DoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_mark_done(
                recommendation=recommendation, note=form.cleaned_data["note"], by=request.user
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Recommendation recorded as done.")
            return redirect("audits:detail", audit.pk)
    context = {"audit": audit, "recommendation": recommendation, "form": form}
    return render(request, "audits/recommendation_done.html", context)


# Managers: findings and themes -------------------------------------------------------------


def _filter_choices() -> dict[str, Any]:
    return {
        "templates": list(AuditTemplate.objects.order_by("kind", "name")),
        "teams": Team.objects.filter(level=Team.Level.TEAM).values_list("pk", "name"),
        "services": Team.objects.filter(level=Team.Level.SERVICE).values_list("pk", "name"),
        "iros": [(user.pk, str(user)) for user in users_with_roles(CHAIR_ROLES)],
    }


def _require_theme_reader(request: HttpRequest) -> None:
    if not policies.can_read_themes(request.user):
        raise PermissionDenied


def findings(request: HttpRequest) -> HttpResponse:
    """Completed audits with filters: rating, audit, team, service area, IRO, period."""
    _require_theme_reader(request)
    form = FindingsForm(request.GET or None, **_filter_choices())
    data = form.cleaned_data if form.is_valid() else {}
    audits = selectors.audit_list_for_user(
        user=request.user,
        status=Audit.Status.COMPLETED,
        template_id=int(data["template"]) if data.get("template") else None,
        rating=data.get("rating") or "",
        auditor_id=data.get("iro"),
        team_id=data.get("team"),
        service_id=data.get("service"),
        completed_from=data.get("start"),
        completed_to=data.get("end"),
    )
    page = Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page_obj": page, "query": query.urlencode(), **_nav(request)}
    return render(request, "audits/findings.html", context)


def _themes(request: HttpRequest) -> tuple[ThemesForm, Themes | None]:
    _require_theme_reader(request)
    choices = _filter_choices()
    default_end = timezone.localdate()
    default_start = default_end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    default = {
        "template": str(choices["templates"][0].pk) if choices["templates"] else "",
        **date_input_data("start", default_start),
        **date_input_data("end", default_end),
        "by": "team",
    }
    form = ThemesForm({**default, **request.GET.dict()}, **choices)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    template = next((t for t in choices["templates"] if str(t.pk) == data["template"]), None)
    if template is None:
        return form, None
    start: date = data.get("start") or default_start
    end: date = data.get("end") or default_end
    filters = ThemeFilters(
        team_id=data.get("team"), service_id=data.get("service"), iro_id=data.get("iro")
    )
    themes = themes_for_user(
        user=request.user,
        template=template,
        start=start,
        end=end,
        filters=filters,
        by=data.get("by") or "team",
    )
    return form, themes


RAG_COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c"}


def themes(request: HttpRequest) -> HttpResponse:
    form, figures = _themes(request)
    context: dict[str, Any] = {
        "form": form,
        "themes": figures,
        "query": request.GET.urlencode(),
        **_nav(request),
    }
    if figures is not None:
        current, previous = figures.current, figures.previous
        context["rag_rows"] = [
            (
                label,
                key,
                current.rag[key],
                current.rag_pct(key),
                previous.rag[key],
                previous.rag_pct(key),
            )
            for key, label in Rag.choices
        ]
        context["rag_bars"] = [
            (label, current.rag_pct(key), RAG_COLOURS[key]) for key, label in Rag.choices
        ]
        context["yes_bars"] = [(q.text, q.yes_pct, "#1d70b8") for q in figures.questions]
        context["bars_height"] = 24 * len(figures.questions) + 4
        context["by_label"] = dict(BY_CHOICES)[figures.by]
    return render(request, "audits/themes.html", context)


def themes_csv(request: HttpRequest) -> HttpResponse:
    """The themes as CSV: questions, ratings, completion and the breakdown, each with the
    previous period beside."""
    _form, figures = _themes(request)
    if figures is None:
        return redirect(f"{reverse('audits:themes')}?{request.GET.urlencode()}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"audit-themes-{figures.template.code}-{figures.current.start}-{figures.current.end}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    _write_csv(csv.writer(response), figures)
    return response


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _write_csv(writer: Any, themes: Themes) -> None:
    current, previous = themes.current, themes.previous
    writer.writerow(["audit", themes.template.name])
    writer.writerow(["period", current.start.isoformat(), current.end.isoformat()])
    writer.writerow(["previous period", previous.start.isoformat(), previous.end.isoformat()])
    writer.writerow([])
    writer.writerow(
        [
            "question code",
            "question",
            "key",
            "yes",
            "partly",
            "no",
            "not applicable",
            "% yes",
            "% yes previous period",
        ]
    )
    for q in themes.questions:
        writer.writerow(
            [
                q.code,
                q.text,
                "yes" if q.is_key else "no",
                q.yes,
                q.partly,
                q.no,
                q.na,
                _fmt(q.yes_pct),
                _fmt(q.previous_yes_pct),
            ]
        )
    writer.writerow([])
    writer.writerow(["rating", "audits", "%", "audits previous period", "% previous period"])
    for rating in ("red", "amber", "green"):
        writer.writerow(
            [
                rating,
                current.rag[rating],
                _fmt(current.rag_pct(rating)),
                previous.rag[rating],
                _fmt(previous.rag_pct(rating)),
            ]
        )
    writer.writerow([])
    writer.writerow(["completion", "expected", "audited", "%"])
    writer.writerow(
        [
            "this period",
            current.completion.expected,
            current.completion.audited,
            _fmt(current.completion.pct),
        ]
    )
    writer.writerow(
        [
            "previous period",
            previous.completion.expected,
            previous.completion.audited,
            _fmt(previous.completion.pct),
        ]
    )
    writer.writerow([])
    writer.writerow(
        [
            themes.by,
            "completed audits",
            "red",
            "amber",
            "green",
            "expected",
            "audited",
            "completion %",
        ]
    )
    for group in themes.groups:
        writer.writerow(
            [
                group.label,
                group.completed,
                group.red,
                group.amber,
                group.green,
                group.completion.expected,
                group.completion.audited,
                _fmt(group.completion.pct),
            ]
        )
