"""The conferences API: /api/v1/conferences/, /api/v1/core-groups/, and CP plans with their
conferences (/api/v1/cp-plans/). Querysets start from ``children_visible_to``; every write
is an explicit action calling one service."""

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from children import codes as child_codes
from children.api import ChildProtectionPlanSerializer, ChildProtectionPlanViewSet
from children.models import ChildProtectionPlan
from children.selectors import child_get_for_user, children_visible_to
from conferences import codes, selectors, services
from conferences.models import Conference, CoreGroup, Invitation, Room
from iro_service.core.api import ColumnsFirstSerializer
from people.models import User


def _choice(choices: list[Any], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field shown in the schema as a string listing its codes. drf-spectacular
    names enums by field name, and ``decision`` and ``late_reason`` already name other
    apps' enums: an enum here would collide with theirs (a ``check --deploy`` warning)."""
    codes_ = [value for value, _ in serializers.ChoiceField(choices=choices).choices.items()]
    kwargs.setdefault("help_text", "One of: " + ", ".join(codes_))
    # A class per field: DRF deep-copies declared fields by re-instantiating their class,
    # so the schema annotation must live on the class, not the instance.
    field_class = extend_schema_field(OpenApiTypes.STR)(
        type("CodeField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


class InvitationSerializer(ColumnsFirstSerializer):
    class Meta:
        model = Invitation
        fields = [
            "id",
            "name",
            "agency",
            "sent_at",
            "interpreter_needed",
            "interpreter_language",
            "advocate_needed",
            "attendance",
        ]


class ConferenceSerializer(ColumnsFirstSerializer):
    late_reason = _choice(codes.choices(codes.LATE_REASON), read_only=True, allow_blank=True)
    decision = _choice(Conference.Decision.choices, read_only=True, allow_blank=True)
    reference = serializers.CharField(read_only=True)
    census_category = serializers.CharField(read_only=True)
    invitations = InvitationSerializer(many=True, read_only=True, source="invitation_list")

    class Meta:
        model = Conference
        fields = [
            "id",
            "reference",
            "child",
            "s47_enquiry",
            "cp_plan",
            "conference_type",
            "status",
            "rule_id",
            "clock_start",
            "original_due_date",
            "scheduled_start",
            "scheduled_end",
            "chair",
            "room",
            "online_link",
            "late_reason",
            "held_on",
            "quorate",
            "not_quorate_reason",
            "child_participation",
            "parents_participation",
            "decision",
            "categories",
            "census_category",
            "end_reason",
            "outcome_due",
            "outcome_sent_on",
            "minutes_due",
            "minutes_completed_on",
            "version",
            "invitations",
        ]
        read_only_fields = fields


class ConferenceFilter(filters.FilterSet):
    type = filters.ChoiceFilter(field_name="conference_type", choices=Conference.Type.choices)
    date_from = filters.DateFilter(field_name="scheduled_start", lookup_expr="date__gte")
    date_to = filters.DateFilter(field_name="scheduled_start", lookup_expr="date__lte")

    class Meta:
        model = Conference
        fields = ["child", "cp_plan", "chair", "type", "status", "date_from", "date_to"]


class RequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["icpc", "pre_birth", "transfer_in"])
    child = serializers.IntegerField()
    enquiry = serializers.IntegerField(required=False)
    notified_on = serializers.DateField(required=False)


class ScheduleSerializer(serializers.Serializer):
    chair = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.filter(active=True), required=False, allow_null=True
    )
    online_link = serializers.URLField(required=False, allow_blank=True, default="")
    late_reason = _choice(
        codes.choices(codes.LATE_REASON), required=False, allow_blank=True, default=""
    )


class OutcomeSerializer(serializers.Serializer):
    attendance = serializers.DictField(
        child=serializers.ChoiceField(choices=[*codes.ATTENDANCE, ""]), required=False
    )
    child_participation = serializers.ChoiceField(choices=list(codes.CHILD_PARTICIPATION))
    child_views = serializers.CharField(required=False, allow_blank=True)
    parents_participation = serializers.ChoiceField(
        choices=list(codes.PARENT_PARTICIPATION), required=False, allow_blank=True
    )
    parents_views = serializers.CharField(required=False, allow_blank=True)
    not_quorate_reason = serializers.CharField(required=False, allow_blank=True)
    decision = _choice(Conference.Decision.choices)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=list(child_codes.CP_CATEGORY)), required=False
    )
    end_reason = serializers.ChoiceField(
        choices=list(child_codes.CP_PLAN_END_REASON.items()), required=False, allow_blank=True
    )
    outline_plan = serializers.CharField(required=False, allow_blank=True)
    core_group_members = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False, help_text="The record's version you started from; older is refused (409)."
    )


class AmendSerializer(serializers.Serializer):
    """The narrative of a held record, with the reason; the decision cannot be amended."""

    child_participation = serializers.ChoiceField(
        choices=list(codes.CHILD_PARTICIPATION), required=False
    )
    child_views = serializers.CharField(required=False, allow_blank=True)
    parents_participation = serializers.ChoiceField(
        choices=list(codes.PARENT_PARTICIPATION), required=False, allow_blank=True
    )
    parents_views = serializers.CharField(required=False, allow_blank=True)
    not_quorate_reason = serializers.CharField(required=False, allow_blank=True)
    outline_plan = serializers.CharField(required=False, allow_blank=True)
    core_group_members = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField()
    version = serializers.IntegerField(
        help_text="The record's version you started from; older is refused (409)."
    )


class CirculateSerializer(serializers.Serializer):
    outcome_sent_on = serializers.DateField(required=False)
    minutes_completed_on = serializers.DateField(required=False)


class ConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Conferences of the children the user may see. Filters: child, cp_plan (a CP plan's
    conferences), chair, type, status, date_from, date_to (the booked date)."""

    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilter

    def get_queryset(self) -> QuerySet[Conference]:
        return selectors.conference_list_for_api(user=self.request.user)

    def _respond(self, conference: Conference, code: int = status.HTTP_200_OK) -> Response:
        conference = self.get_queryset().get(pk=conference.pk)
        return Response(ConferenceSerializer(conference).data, status=code)

    @extend_schema(request=RequestSerializer, responses=ConferenceSerializer)
    @action(detail=False, methods=["post"], url_path="request")
    def request_conference(self, request: Request) -> Response:
        """Request an initial, pre-birth or transfer-in conference (CP-1, CP-9)."""
        body = RequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        child = child_get_for_user(user=request.user, pk=data["child"])
        if data["kind"] == "transfer_in":
            if "notified_on" not in data:
                raise serializers.ValidationError({"notified_on": "Enter the notification date."})
            conference = services.conference_request_transfer_in(
                child=child, notified_on=data["notified_on"], by=request.user
            )
        else:
            enquiry = get_object_or_404(child.s47_enquiries, pk=data.get("enquiry"))
            conference = services.conference_request_icpc(
                enquiry=enquiry, by=request.user, pre_birth=data["kind"] == "pre_birth"
            )
        return self._respond(conference, status.HTTP_201_CREATED)

    @extend_schema(request=ScheduleSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, pk: str) -> Response:
        """Book or rebook: chair, room or online link, start and end; a late reason when
        after the original due date. A double booking is refused with 400."""
        conference = self.get_object()
        body = ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        conference = services.conference_schedule(
            conference=conference, by=request.user, **body.validated_data
        )
        return self._respond(conference)

    @extend_schema(request=OutcomeSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"], url_path="record-outcome")
    def record_outcome(self, request: Request, pk: str) -> Response:
        """The chair records the conference: attendance by invitation id, participation,
        the decision (plan / no plan; continue / end) and categories."""
        conference = self.get_object()
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        attendance = {int(key): value for key, value in data.pop("attendance", {}).items()}
        conference = services.conference_record_outcome(
            conference=conference, by=request.user, attendance=attendance, **data
        )
        return self._respond(conference)

    @extend_schema(request=AmendSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        """Amend a held record with a reason (the original is kept); a stale ``version``
        is refused with 409."""
        conference = self.get_object()
        body = AmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        reason, version = data.pop("reason"), data.pop("version")
        services.conference_amend(
            conference=conference, values=data, reason=reason, version=version, by=request.user
        )
        return self._respond(conference)

    @extend_schema(request=CirculateSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"])
    def circulate(self, request: Request, pk: str) -> Response:
        """Record the outcome sent (CP-OUTCOME) and the minutes completed (CP-MINUTES)."""
        conference = self.get_object()
        body = CirculateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        conference = services.conference_circulate(
            conference=conference, by=request.user, **body.validated_data
        )
        return self._respond(conference)


class CoreGroupSerializer(serializers.ModelSerializer):
    cp_plan = serializers.PrimaryKeyRelatedField(queryset=ChildProtectionPlan.objects.none())

    class Meta:
        model = CoreGroup
        fields = ["id", "cp_plan", "child", "held_on", "rule_id", "due_date", "attendance"]
        read_only_fields = ["child", "rule_id", "due_date"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["cp_plan"].queryset = ChildProtectionPlan.objects.filter(
                child__in=children_visible_to(request.user)
            )
        return fields


class CoreGroupViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Core groups (CP-4, CP-5) of visible children. POST records one."""

    serializer_class = CoreGroupSerializer
    filterset_fields = ["child", "cp_plan"]

    def get_queryset(self) -> QuerySet[CoreGroup]:
        return selectors.core_groups_visible_to(self.request.user).order_by("held_on", "pk")

    def perform_create(self, serializer: CoreGroupSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.core_group_record(
            plan=data["cp_plan"],
            held_on=data["held_on"],
            attendance=data.get("attendance", ""),
            by=self.request.user,
        )


class PlanConferenceSerializer(serializers.ModelSerializer):
    """One line per conference of a plan; ``url`` leads to the whole record."""

    url = serializers.HyperlinkedIdentityField(view_name="conference-detail")
    status = _choice(Conference.Status.choices, read_only=True)
    date = serializers.SerializerMethodField(help_text="Held on, or else booked for.")
    outcome = _choice(
        Conference.Decision.choices, source="decision", read_only=True, allow_blank=True
    )

    class Meta:
        model = Conference
        fields = ["id", "conference_type", "status", "date", "original_due_date", "outcome", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_date(self, conference: Conference) -> datetime.date | None:
        return conference.held_on or conference.scheduled_date


# The plan keeps its schema name: this is the only serializer /api/v1/cp-plans/ uses.
@extend_schema_serializer(component_name="ChildProtectionPlan")
class PlanWithConferencesSerializer(ChildProtectionPlanSerializer):
    conferences = PlanConferenceSerializer(many=True, read_only=True)

    class Meta(ChildProtectionPlanSerializer.Meta):
        fields = [*ChildProtectionPlanSerializer.Meta.fields, "conferences"]


class PlanViewSet(ChildProtectionPlanViewSet):
    """CP plans of visible children (``children.api``), each with a compact list of its
    conferences (issue 5: "CP plans gain their conferences"); the conferences in full at
    /cp-plans/{id}/conferences/. A plan of a child the user cannot see is a 404."""

    serializer_class = PlanWithConferencesSerializer

    def get_queryset(self) -> QuerySet[ChildProtectionPlan]:
        in_order = Conference.objects.order_by("original_due_date", "pk")
        return super().get_queryset().prefetch_related(Prefetch("conferences", in_order))

    @extend_schema(responses=ConferenceSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def conferences(self, request: Request, pk: str) -> Response:
        """The plan's conferences, soonest due first, as /api/v1/conferences/ gives them."""
        plan = self.get_object()
        rows = selectors.conference_list_for_api(user=request.user).filter(cp_plan=plan)
        page = self.paginate_queryset(rows)
        context = self.get_serializer_context()
        return self.get_paginated_response(
            ConferenceSerializer(page, many=True, context=context).data
        )
