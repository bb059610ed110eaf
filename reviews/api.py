"""The reviews API: ``/api/v1/reviews/`` with filters, explicit action endpoints that call
the services, and the decisions under ``/api/v1/reviews/{id}/decisions/``. Every queryset
starts from ``children_visible_to``."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from iro_service.core.api import ColumnsFirstSerializer
from people.models import User
from reviews import selectors, services
from reviews.models import PARTICIPATION_CODES, SCHEDULE_7, Decision, Review


class ReviewDecisionSerializer(serializers.ModelSerializer):
    # A plain string here: the status choices are named once in the schema, on the update.
    status = serializers.CharField(read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )

    class Meta:
        model = Decision
        fields = ["id", "text", "owner", "owner_role", "due_date", "status", "status_note"]
        read_only_fields = ["status", "status_note"]


class ReviewSerializer(ColumnsFirstSerializer):
    reference = serializers.CharField(read_only=True)
    in_timescale = serializers.BooleanField(read_only=True, allow_null=True)
    iro = serializers.IntegerField(source="iro_id", read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "reference",
            "child",
            "iro",
            "sequence_rule",
            "clock_start",
            "original_due_date",
            "due_date",
            "kind",
            "extra_reason",
            "status",
            "scheduled_date",
            "scheduled_time",
            "venue",
            "online",
            "late_reason",
            "late_reason_text",
            "held_date",
            "in_timescale",
            "participation_code",
            "attendees",
            "apologies",
            "wishes_and_feelings",
            "schedule7",
            "permanence_plan_in_place",
            "permanence_plan_endorsed",
            "summary",
            "decisions_due",
            "decisions_circulated_on",
            "record_due",
            "record_completed_on",
            "ended_reason",
            "version",
        ]
        read_only_fields = fields


class ReviewScheduleSerializer(serializers.Serializer):
    scheduled_date = serializers.DateField()
    scheduled_time = serializers.TimeField(required=False, allow_null=True)
    venue = serializers.CharField(required=False, allow_blank=True, default="")
    online = serializers.BooleanField(required=False, default=False)
    late_reason = serializers.ChoiceField(
        choices=Review.LateReason.choices, required=False, allow_blank=True, default=""
    )
    late_reason_text = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_clash = serializers.BooleanField(required=False, default=False)


class ReviewSchedule7Item(serializers.Serializer):
    considered = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewRecordSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    held_date = serializers.DateField()
    participation_code = serializers.ChoiceField(choices=PARTICIPATION_CODES)
    attendees = serializers.CharField(required=False, allow_blank=True, default="")
    apologies = serializers.CharField(required=False, allow_blank=True, default="")
    wishes_and_feelings = serializers.CharField(required=False, allow_blank=True, default="")
    schedule7 = serializers.DictField(child=ReviewSchedule7Item(), required=False, default=dict)
    permanence_plan_in_place = serializers.BooleanField(required=False, allow_null=True)
    permanence_plan_endorsed = serializers.BooleanField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_schedule7(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = set(value) - {key for key, _ in SCHEDULE_7}
        if unknown:
            raise serializers.ValidationError(f"Unknown matters: {', '.join(sorted(unknown))}")
        return value


class ReviewDateSerializer(serializers.Serializer):
    on = serializers.DateField()


class ReviewReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DecisionStatusUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Decision.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewFilter(filters.FilterSet):
    child = filters.NumberFilter(field_name="child_id")
    iro = filters.NumberFilter(field_name="child__iro_id")
    status = filters.ChoiceFilter(choices=Review.Status.choices)
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Review
        fields = ["child", "iro", "status", "due_before", "due_after"]


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter

    def get_queryset(self) -> QuerySet[Review]:
        return selectors.review_list_for_api(user=self.request.user)

    def _review(self) -> Review:
        return selectors.review_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def _respond(self, review: Review, code: int = status.HTTP_200_OK) -> Response:
        review = get_object_or_404(self.get_queryset(), pk=review.pk)
        return Response(ReviewSerializer(review).data, status=code)

    @staticmethod
    def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=ReviewScheduleSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, pk: str) -> Response:
        data = self._valid(ReviewScheduleSerializer, request)
        review = services.review_schedule(
            review=self._review(),
            on=data["scheduled_date"],
            at=data.get("scheduled_time"),
            venue=data["venue"],
            online=data["online"],
            late_reason=data["late_reason"],
            late_reason_text=data["late_reason_text"],
            confirm_clash=data["confirm_clash"],
            by=request.user,
        )
        return self._respond(review)

    @extend_schema(request=ReviewRecordSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        data = self._valid(ReviewRecordSerializer, request)
        version = data.pop("version")
        review = services.review_record(
            review=self._review(), values=data, version=version, by=request.user
        )
        return self._respond(review)

    @extend_schema(request=ReviewDateSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def circulate(self, request: Request, pk: str) -> Response:
        data = self._valid(ReviewDateSerializer, request)
        review = services.review_circulate(review=self._review(), on=data["on"], by=request.user)
        return self._respond(review)

    @extend_schema(request=ReviewDateSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        data = self._valid(ReviewDateSerializer, request)
        review = services.review_complete(review=self._review(), on=data["on"], by=request.user)
        return self._respond(review)

    @extend_schema(request=ReviewReasonSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def adjourn(self, request: Request, pk: str) -> Response:
        data = self._valid(ReviewReasonSerializer, request)
        review = services.review_adjourn(
            review=self._review(), reason=data["reason"], by=request.user
        )
        return self._respond(review)

    @extend_schema(request=ReviewReasonSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        data = self._valid(ReviewReasonSerializer, request)
        review = services.review_cancel(
            review=self._review(), reason=data["reason"], by=request.user
        )
        return self._respond(review)

    @extend_schema(request=ReviewDecisionSerializer, responses=ReviewDecisionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=ReviewDecisionSerializer)
    def decisions(self, request: Request, pk: str) -> Response:
        review = self._review()
        if request.method == "GET":
            decisions = review.decisions.all()
            return Response(ReviewDecisionSerializer(decisions, many=True).data)
        data = self._valid(ReviewDecisionSerializer, request)
        decision = services.decision_add(
            review=review,
            text=data["text"],
            owner=data.get("owner"),
            owner_role=data.get("owner_role", ""),
            due_date=data["due_date"],
            by=request.user,
        )
        return Response(ReviewDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionStatusUpdateSerializer, responses=ReviewDecisionSerializer)
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"decisions/(?P<decision_pk>\d+)",
        serializer_class=DecisionStatusUpdateSerializer,
    )
    def decision(self, request: Request, pk: str, decision_pk: str) -> Response:
        review = self._review()
        found = selectors.decision_get_for_user(
            user=request.user, review=review, pk=int(decision_pk)
        )
        data = self._valid(DecisionStatusUpdateSerializer, request)
        decision = services.decision_update(
            decision=found, status=data["status"], note=data["note"], by=request.user
        )
        return Response(ReviewDecisionSerializer(decision).data)
