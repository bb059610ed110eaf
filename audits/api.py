"""The audits API: ``/api/v1/audit-templates/`` (templates with their versions and
questions), ``/api/v1/audits/`` with filters and answers, and ``/api/v1/audits/themes/`` with
the themes figures. Every audit queryset starts from ``children_visible_to``."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from audits import policies, selectors
from audits.models import (
    Audit,
    AuditAnswer,
    AuditQuestion,
    AuditRecommendation,
    AuditTemplate,
    AuditTemplateVersion,
    Rag,
)
from audits.themes import BY_CHOICES, EARLIEST, LATEST, ThemeFilters, themes_for_user


class AuditQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditQuestion
        fields = [
            "id",
            "code",
            "section",
            "text",
            "help",
            "is_key",
            "allow_na",
            "rag_yes",
            "rag_partly",
            "rag_no",
            "prefill",
            "basis",
            "ordering",
        ]


class AuditTemplateVersionSerializer(serializers.ModelSerializer):
    questions = AuditQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = AuditTemplateVersion
        fields = ["id", "number", "published_at", "notes", "questions"]


class AuditTemplateSerializer(serializers.ModelSerializer):
    versions = AuditTemplateVersionSerializer(many=True, read_only=True)

    class Meta:
        model = AuditTemplate
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "description",
            "expect",
            "sample_percent",
            "expect_rule",
            "active",
            "versions",
        ]


class AuditTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Templates with every version and its questions (a fixed number of queries)."""

    serializer_class = AuditTemplateSerializer

    def get_queryset(self) -> QuerySet[AuditTemplate]:
        versions = AuditTemplateVersion.objects.order_by("-number").prefetch_related(
            Prefetch("questions", queryset=AuditQuestion.objects.order_by("ordering", "pk"))
        )
        return AuditTemplate.objects.prefetch_related(
            Prefetch("versions", queryset=versions)
        ).order_by("kind", "name")


class AuditAnswerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="question.code", read_only=True)

    class Meta:
        model = AuditAnswer
        fields = [
            "code",
            "question",
            "answer",
            "rag",
            "comment",
            "suggested_answer",
            "evidence",
            "changed_from_suggestion",
        ]


class AuditRecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditRecommendation
        fields = [
            "id",
            "text",
            "owner",
            "owner_role",
            "due_date",
            "status",
            "done_on",
            "question",
        ]


class AuditSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    template = serializers.CharField(source="version.template.code", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    answers = AuditAnswerSerializer(many=True, read_only=True)
    recommendations = AuditRecommendationSerializer(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "reference",
            "template",
            "version",
            "version_number",
            "child",
            "review",
            "conference",
            "auditor",
            "status",
            "completed_on",
            "suggested_rating",
            "rating",
            "override_reason",
            "summary",
            "answers",
            "recommendations",
        ]


class AuditFilter(filters.FilterSet):
    template = filters.CharFilter(field_name="version__template__code")
    child = filters.NumberFilter(field_name="child_id")
    auditor = filters.NumberFilter(field_name="auditor_id")
    team = filters.NumberFilter(field_name="child__team_id")
    service = filters.NumberFilter(field_name="child__team__parent_id")
    status = filters.ChoiceFilter(choices=Audit.Status.choices)
    rating = filters.ChoiceFilter(choices=Rag.choices)
    completed_after = filters.DateFilter(field_name="completed_on", lookup_expr="gte")
    completed_before = filters.DateFilter(field_name="completed_on", lookup_expr="lte")

    class Meta:
        model = Audit
        fields = [
            "template",
            "child",
            "auditor",
            "team",
            "service",
            "status",
            "rating",
            "completed_after",
            "completed_before",
        ]


def _date(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        value = date.fromisoformat(raw)
    except ValueError as error:
        raise ValidationError({name: "Enter a date as YYYY-MM-DD."}) from error
    if not EARLIEST <= value <= LATEST:
        raise ValidationError({name: "Enter a date between 1990 and 2100."})
    return value


def _int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name) or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError({name: "Enter a number."})
    return int(raw)


def _themes_payload(themes: Any) -> dict[str, Any]:
    def period(figures: Any) -> dict[str, Any]:
        return {
            "start": figures.start,
            "end": figures.end,
            "audits_completed": figures.completed,
            "rag": figures.rag,
            "completion": {
                "expected": figures.completion.expected,
                "audited": figures.completion.audited,
                "pct": figures.completion.pct,
            },
        }

    return {
        "template": themes.template.code,
        "current": period(themes.current),
        "previous": period(themes.previous),
        "questions": [
            {
                "code": q.code,
                "text": q.text,
                "is_key": q.is_key,
                "yes": q.yes,
                "partly": q.partly,
                "no": q.no,
                "na": q.na,
                "yes_pct": q.yes_pct,
                "previous_yes_pct": q.previous_yes_pct,
            }
            for q in themes.questions
        ],
        "by": themes.by,
        "groups": [
            {
                "id": g.key,
                "label": g.label,
                "audits_completed": g.completed,
                "red": g.red,
                "amber": g.amber,
                "green": g.green,
                "expected": g.completion.expected,
                "audited": g.completion.audited,
                "completion_pct": g.completion.pct,
            }
            for g in themes.groups
        ],
    }


class AuditViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditSerializer
    filterset_class = AuditFilter

    def get_queryset(self) -> QuerySet[Audit]:
        return (
            selectors.audits_visible_to(self.request.user)
            .select_related("version__template")
            .prefetch_related(
                Prefetch("answers", queryset=AuditAnswer.objects.select_related("question")),
                "recommendations",
            )
            .order_by("-completed_on", "-pk")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("template", str, required=True, description="Template code"),
            OpenApiParameter("start", date),
            OpenApiParameter("end", date),
            OpenApiParameter("team", int),
            OpenApiParameter("service", int),
            OpenApiParameter("iro", int),
            OpenApiParameter("by", str, enum=[key for key, _ in BY_CHOICES]),
        ],
        responses={200: dict},
    )
    @action(detail=False, methods=["get"])
    def themes(self, request: Request) -> Response:
        """% yes per question (not applicable left out), ratings, completion rate and the
        breakdown, with the previous period of the same length beside."""
        if not policies.can_read_themes(request.user):
            raise PermissionDenied("You cannot read audit themes.")
        template = AuditTemplate.objects.filter(code=request.query_params.get("template")).first()
        if template is None:
            raise NotFound("No such audit template.")
        today = timezone.localdate()
        end = _date(request, "end", today)
        start = _date(request, "start", end - timedelta(days=90))
        if end < start:
            raise ValidationError({"end": "The end must be on or after the start."})
        filters_ = ThemeFilters(
            team_id=_int(request, "team"),
            service_id=_int(request, "service"),
            iro_id=_int(request, "iro"),
        )
        themes = themes_for_user(
            user=request.user,
            template=template,
            start=start,
            end=end,
            filters=filters_,
            by=request.query_params.get("by", "team"),
        )
        return Response(_themes_payload(themes))
