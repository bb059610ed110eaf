"""The children's records API. Every queryset starts from ``children_visible_to`` and every
write goes through ``children.services``."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from children import codes, policies, services
from children.deadlines import child_deadlines
from children.models import (
    Allocation,
    Child,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    PeriodOfCare,
    PersonalEducationPlan,
    S47Enquiry,
    Visit,
)
from children.rules import EpisodeValues
from children.selectors import child_get_for_user, children_visible_to, with_status
from iro_service.core.api import ColumnsFirstSerializer
from people.models import Team, User


class ChildSerializer(ColumnsFirstSerializer):
    in_care = serializers.BooleanField(read_only=True)
    on_plan = serializers.BooleanField(read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "la_child_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "date_of_death",
            "sex",
            "ethnicity",
            "upn",
            "disability",
            "uasc",
            "restricted",
            "address_withheld",
            "sibling_group",
            "iro",
            "social_worker",
            "team",
            "in_care",
            "on_plan",
        ]
        read_only_fields = ["iro", "social_worker", "team", "restricted"]


class BirthSerializer(serializers.Serializer):
    date_of_birth = serializers.DateField(help_text="The day the child was born.")


class DeadlineSerializer(serializers.Serializer):
    """One statutory deadline (read-only): the rule and how the child stands against it."""

    rule = serializers.CharField(source="rule.id")
    title = serializers.CharField(source="rule.title")
    source = serializers.CharField(source="rule.source")
    status_tag = serializers.CharField(source="rule.status")
    start_event = serializers.CharField()
    start = serializers.DateField()
    due = serializers.DateField()
    done = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    days_late = serializers.IntegerField(allow_null=True)


class ChildFilter(filters.FilterSet):
    la_child_id = filters.CharFilter(field_name="la_child_id", lookup_expr="iexact")
    status = filters.ChoiceFilter(
        method="filter_status",
        choices=[("in_care", "In care"), ("on_plan", "On a plan"), ("both", "Both")],
    )

    class Meta:
        model = Child
        fields = ["la_child_id", "iro", "social_worker", "team", "status"]

    def filter_status(self, queryset: QuerySet[Child], name: str, value: str) -> QuerySet[Child]:
        flags = {"in_care": {"in_care": True}, "on_plan": {"on_plan": True}}
        return queryset.filter(**flags.get(value, {"in_care": True, "on_plan": True}))


class ChildViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = ChildSerializer
    filterset_class = ChildFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Child]:
        return with_status(children_visible_to(self.request.user)).order_by("pk")

    def perform_create(self, serializer: ChildSerializer) -> None:
        child = services.child_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=child.pk)

    def perform_update(self, serializer: ChildSerializer) -> None:
        child = serializer.instance
        services.child_update(child=child, by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=child.pk)

    @extend_schema(request=BirthSerializer, responses=ChildSerializer)
    @action(detail=True, methods=["post"])
    def birth(self, request: Request, pk: str) -> Response:
        """Record an unborn child's birth: not in the future, near the expected date. The
        due dates that depend on it are worked out again (CP-8: a pre-birth plan's first
        review conference). A bad date is a 400 with the reason."""
        child = self.get_object()
        body = BirthSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_birth(
            child=child, date_of_birth=body.validated_data["date_of_birth"], by=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=child.pk)).data)

    @extend_schema(responses=DeadlineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def deadlines(self, request: Request, pk: str) -> Response:
        """The child's current statutory deadlines: rule, source, start, due, status."""
        child = self.get_object()
        rows = child_deadlines(child=child, today=timezone.localdate())
        return Response(DeadlineSerializer(rows, many=True).data)


@extend_schema_field(OpenApiTypes.INT)
class VisibleChildField(serializers.PrimaryKeyRelatedField):
    """A ``child`` field that only accepts children the requesting user can see."""

    def get_queryset(self) -> QuerySet[Child]:
        return children_visible_to(self.context["request"].user)


class PeriodOfCareSerializer(serializers.ModelSerializer):
    class Meta:
        model = PeriodOfCare
        fields = [
            "id",
            "child",
            "start_date",
            "end_date",
            "health_assessment_rule",
            "health_assessment_due",
            "pep_rule",
            "pep_due",
        ]


class EpisodeSerializer(serializers.ModelSerializer):
    child = VisibleChildField(write_only=True)
    child_id = serializers.IntegerField(source="period.child_id", read_only=True)

    class Meta:
        model = Episode
        fields = [
            "id",
            "child",
            "child_id",
            "period",
            "decom",
            "rne",
            "ls",
            "cin",
            "place",
            "place_provider",
            "dec",
            "rec",
            "reason_place_change",
            "home_post",
            "pl_post",
            "urn",
        ]
        read_only_fields = ["period", "dec", "rec"]

    def to_representation(self, instance: Episode) -> dict[str, Any]:
        """Placement postcodes and the home's URN are blank for roles that do not need
        them (``policies.can_read_placement_address``); they may still enter them."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        child = instance.period.child
        if request is not None and not policies.can_read_placement_address(request.user, child):
            data.update(dict.fromkeys(policies.PLACEMENT_FIELDS, ""))
        return data


class S47EnquirySerializer(serializers.ModelSerializer):
    child = VisibleChildField()

    class Meta:
        model = S47Enquiry
        fields = ["id", "child", "strategy_discussion_date", "start_date", "end_date"]
        read_only_fields = ["end_date"]


class ChildProtectionPlanSerializer(serializers.ModelSerializer):
    child = VisibleChildField()
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=list(codes.CP_CATEGORY)), write_only=True
    )
    initial_category_code = serializers.CharField(read_only=True)
    latest_category_code = serializers.CharField(read_only=True)

    class Meta:
        model = ChildProtectionPlan
        fields = [
            "id",
            "child",
            "start_date",
            "end_date",
            "categories",
            "initial_categories",
            "latest_categories",
            "initial_category_code",
            "latest_category_code",
            "end_reason",
            "previous_plans",
        ]
        read_only_fields = [
            "end_date",
            "initial_categories",
            "latest_categories",
            "end_reason",
            "previous_plans",
        ]


class AllocationSerializer(serializers.ModelSerializer):
    child = VisibleChildField()
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Allocation
        fields = ["id", "child", "kind", "user", "team", "start_date", "end_date"]
        read_only_fields = ["end_date"]


class VisitSerializer(serializers.ModelSerializer):
    child = VisibleChildField()

    class Meta:
        model = Visit
        fields = ["id", "child", "kind", "visit_date", "seen", "seen_alone", "bedroom_seen"]


class ChildRecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Rows that belong to a child: listed for visible children only, created by a service."""

    child_path = "child"

    def get_queryset(self) -> QuerySet[Any]:
        model = self.get_serializer_class().Meta.model
        visible = children_visible_to(self.request.user)
        return model.objects.filter(**{f"{self.child_path}__in": visible}).order_by("pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        child = child_get_for_user(user=request.user, pk=data.pop("child").pk)
        created = self.create_record(child=child, data=data, by=request.user)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def create_record(self, *, child: Child, data: dict[str, Any], by: User) -> Any:
        raise NotImplementedError


class PeriodOfCareViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PeriodOfCareSerializer
    filterset_fields = ["child"]

    def get_queryset(self) -> QuerySet[PeriodOfCare]:
        visible = children_visible_to(self.request.user)
        return PeriodOfCare.objects.filter(child__in=visible).order_by("pk")


class EpisodeViewSet(ChildRecordViewSet):
    """Episodes of care. POST adds an episode: RNE 'S' starts a period of care; any other
    reason continues the current one, ending the open episode that day with X1."""

    serializer_class = EpisodeSerializer
    child_path = "period__child"
    filterset_fields = ["period", "period__child"]

    def get_queryset(self) -> QuerySet[Episode]:
        return super().get_queryset().select_related("period__child")

    def create_record(self, *, child: Child, data: dict[str, Any], by: User) -> Episode:
        extras = {name: data.pop(name, "") for name in services.EPISODE_EXTRAS}
        return services.episode_add(child=child, episode=EpisodeValues(**data), by=by, **extras)


class S47EnquiryViewSet(ChildRecordViewSet):
    serializer_class = S47EnquirySerializer
    filterset_fields = ["child"]

    def create_record(self, *, child: Child, data: dict[str, Any], by: User) -> S47Enquiry:
        return services.s47_record(child=child, by=by, **data)


class ChildProtectionPlanViewSet(ChildRecordViewSet):
    serializer_class = ChildProtectionPlanSerializer
    filterset_fields = ["child"]

    def create_record(self, *, child: Child, data: dict[str, Any], by: User) -> ChildProtectionPlan:
        return services.cp_plan_start(
            child=child, start_date=data["start_date"], categories=data["categories"], by=by
        )


class AllocationViewSet(ChildRecordViewSet):
    serializer_class = AllocationSerializer
    filterset_fields = ["child", "kind", "user", "team"]

    def get_queryset(self) -> QuerySet[Allocation]:
        return super().get_queryset().select_related("user", "team")

    def create_record(self, *, child: Child, data: dict[str, Any], by: User) -> Allocation:
        return services.allocation_start(child=child, by=by, **data)


class VisitViewSet(ChildRecordViewSet):
    serializer_class = VisitSerializer
    filterset_fields = ["child", "kind"]

    def create_record(self, *, child: Child, data: dict[str, Any], by: User) -> Visit:
        return services.visit_record(child=child, by=by, **data)


CARE_CHECK_API_FIELDS = ["id", "child", "period", "kind", "completed_on", "rule_id", "due_date"]


class HealthAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthAssessment
        fields = CARE_CHECK_API_FIELDS
        read_only_fields = CARE_CHECK_API_FIELDS


class PersonalEducationPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalEducationPlan
        fields = CARE_CHECK_API_FIELDS
        read_only_fields = CARE_CHECK_API_FIELDS


class HealthAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Health assessments (H-1, H-2) of the children the user can see; ``?child=`` for one
    child. ``rule_id`` and ``due_date`` are the deadline each one met or missed."""

    serializer_class = HealthAssessmentSerializer
    filterset_fields = ["child", "kind"]

    def get_queryset(self) -> QuerySet[HealthAssessment]:
        visible = children_visible_to(self.request.user)
        return HealthAssessment.objects.filter(child__in=visible).order_by("pk")


class PersonalEducationPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Personal education plans and their reviews (E-1) of the children the user can see;
    ``?child=`` for one child."""

    serializer_class = PersonalEducationPlanSerializer
    filterset_fields = ["child", "kind"]

    def get_queryset(self) -> QuerySet[PersonalEducationPlan]:
        visible = children_visible_to(self.request.user)
        return PersonalEducationPlan.objects.filter(child__in=visible).order_by("pk")
