"""The Issues Resolution API: ``/api/v1/challenges/`` with filters, and one action endpoint
per transition, each calling one service. Every queryset starts from
``children_visible_to``; errors come back as 400/403/409 with ``{"detail": message}``."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from challenges import services, workflow
from challenges.models import (
    Approval,
    CafcassReferral,
    Challenge,
    ChallengeEvent,
    ChallengeReason,
    ChallengeStage,
    RecoveryAction,
)
from challenges.selectors import (
    challenge_get_for_user,
    challenge_list_for_api,
    challenge_list_for_user,
    overdue_q,
)
from children.selectors import children_visible_to
from iro_service.core.api import ColumnsFirstSerializer
from iro_service.core.errors import InvalidTransition
from people.models import User

# Read --------------------------------------------------------------------------------------


STAGES_HELP = "One of: " + ", ".join(workflow.STAGES) + "."


def _text_choice(help_text: str, **kwargs: Any) -> serializers.CharField:
    """A choice field shown in the schema as a string with its values in the description:
    the same stage and status values appear under several names, and named enums for each
    would collide with other apps' ``status`` enums."""
    return serializers.CharField(help_text=help_text, **kwargs)


class StageSerializer(ColumnsFirstSerializer):
    stage = _text_choice(STAGES_HELP, read_only=True)

    class Meta:
        model = ChallengeStage
        fields = [
            "id",
            "stage",
            "responder",
            "raised_on",
            "response_rule",
            "response_due",
            "escalation_reason",
            "skipped_reason",
            "response",
            "responded_on",
            "responded_by",
            "ended_on",
            "reassigned_reason",
        ]


class RecoveryActionSerializer(serializers.ModelSerializer):
    status = _text_choice("open, done or not_done.", read_only=True)

    class Meta:
        model = RecoveryAction
        fields = ["id", "stage", "text", "owner", "due_date", "status"]


class ApprovalSerializer(serializers.ModelSerializer):
    target_stage = _text_choice(STAGES_HELP, read_only=True)
    decision = _text_choice("pending, approved or declined.", read_only=True)

    class Meta:
        model = Approval
        fields = [
            "id",
            "target_stage",
            "referral",
            "reason",
            "skipped_reason",
            "requested_by",
            "requested_at",
            "decision",
            "decided_by",
            "decided_at",
            "comment",
        ]


class ReferralSerializer(serializers.ModelSerializer):
    status = _text_choice("awaiting_approval, referred, declined or concluded.", read_only=True)

    class Meta:
        model = CafcassReferral
        fields = [
            "id",
            "concurrent",
            "referred_on",
            "reason",
            "what_was_sent",
            "child_wishes",
            "status",
            "cafcass_response",
            "outcome",
            "responded_on",
            "referred_by",
        ]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChallengeEvent
        fields = [
            "action",
            "by",
            "at",
            "from_stage",
            "to_stage",
            "from_status",
            "to_status",
            "summary",
            "why",
        ]


class ChallengeSerializer(ColumnsFirstSerializer):
    # A challenge in the list, read from ``challenge_list_for_api``.
    children = serializers.ListField(
        child=serializers.IntegerField(), source="child_ids", read_only=True
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), source="reason_codes", read_only=True
    )
    current = StageSerializer(read_only=True)
    scope = _text_choice("child, siblings or service.", read_only=True)
    category = _text_choice("cla, cp, service or other.", read_only=True)
    stage = _text_choice(STAGES_HELP, read_only=True)
    status = _text_choice(
        "awaiting_response, awaiting_iro, awaiting_approval, resolved, withdrawn or closed.",
        read_only=True,
    )

    class Meta:
        model = Challenge
        fields = [
            "id",
            "reference",
            "scope",
            "category",
            "children",
            "team",
            "reasons",
            "what_is_wrong",
            "impact_on_child",
            "what_must_happen",
            "happen_by",
            "child_view",
            "source",
            "raised_by",
            "raised_on",
            "stage",
            "status",
            "version",
            "current",
            "formal_start",
            "formal_due",
            "finished_on",
            "outcome",
            "what_changed",
            "withdrawn_reason",
        ]
        read_only_fields = fields


class ChallengeDetailSerializer(ChallengeSerializer):
    # One challenge with its history, read from ``challenge_get_for_user``.
    children = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reasons = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    stages = StageSerializer(many=True, read_only=True)
    recovery_actions = RecoveryActionSerializer(many=True, read_only=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    cafcass_referrals = ReferralSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(ChallengeSerializer.Meta):
        fields = [
            *ChallengeSerializer.Meta.fields,
            "stages",
            "recovery_actions",
            "approvals",
            "cafcass_referrals",
            "events",
        ]
        read_only_fields = fields


class ChallengeFilter(filters.FilterSet):
    reason = filters.CharFilter(field_name="reasons__code", distinct=True)
    stage = filters.ChoiceFilter(choices=list(workflow.STAGE_LABELS.items()))
    status = filters.ChoiceFilter(choices=Challenge.Status.choices)
    team = filters.NumberFilter(field_name="team_id")
    iro = filters.NumberFilter(field_name="raised_by_id")
    child = filters.NumberFilter(field_name="children__pk", distinct=True)
    overdue = filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Challenge
        fields = ["reason", "stage", "status", "team", "iro", "child", "overdue", "scope"]

    def filter_overdue(
        self, queryset: QuerySet[Challenge], name: str, value: bool
    ) -> QuerySet[Challenge]:
        condition = overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


# Write -------------------------------------------------------------------------------------


class VersionIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)


class RaiseIn(serializers.Serializer):
    children = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    scope = _text_choice("child, siblings or service.", default=Challenge.Scope.CHILD)
    reasons = serializers.ListField(child=serializers.SlugField(), min_length=1)
    what_is_wrong = serializers.CharField()
    impact_on_child = serializers.CharField()
    what_must_happen = serializers.CharField()
    happen_by = serializers.DateField(required=False, allow_null=True)
    child_view = serializers.CharField(required=False, allow_blank=True, default="")
    stage = _text_choice(
        "informal, stage_1 or stage_2 (" + STAGES_HELP + ")", default=workflow.INFORMAL
    )
    skipped_reason = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class ActionIn(serializers.Serializer):
    text = serializers.CharField()
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    due_date = serializers.DateField()


class RespondIn(VersionIn):
    response = serializers.CharField()
    actions = ActionIn(many=True, required=False, default=list)


class AcceptIn(VersionIn):
    outcome = serializers.CharField()
    what_changed = serializers.CharField()


class EscalateIn(VersionIn):
    target_stage = _text_choice(STAGES_HELP)
    reason = serializers.CharField()
    skipped_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionIn(serializers.Serializer):
    approval = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReferIn(VersionIn):
    concurrent = serializers.BooleanField()
    reason = serializers.CharField()
    what_was_sent = serializers.CharField()
    child_wishes = serializers.CharField()
    referred_on = serializers.DateField(required=False, allow_null=True)


class WithdrawIn(VersionIn):
    reason = serializers.CharField()


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ChallengeViewSet(viewsets.ReadOnlyModelViewSet):
    """Challenges the user can see (at least one covered child visible)."""

    filterset_class = ChallengeFilter

    def get_queryset(self) -> QuerySet[Challenge]:
        if self.action == "list":
            return challenge_list_for_api(user=self.request.user)
        return challenge_list_for_user(user=self.request.user, today=timezone.localdate())

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ChallengeDetailSerializer if self.action != "list" else ChallengeSerializer

    def get_object(self) -> Challenge:
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404
        return challenge_get_for_user(user=self.request.user, pk=int(pk))

    def _done(self, challenge: Challenge, code: int = status.HTTP_200_OK) -> Response:
        fresh = challenge_get_for_user(user=self.request.user, pk=challenge.pk)
        return Response(ChallengeDetailSerializer(fresh).data, status=code)

    @extend_schema(request=RaiseIn, responses=ChallengeDetailSerializer)
    @action(detail=False, methods=["post"], url_path="raise")
    def raise_(self, request: Request) -> Response:
        data = _valid(RaiseIn, request)
        ids = data.pop("children")
        children = list(children_visible_to(request.user).filter(pk__in=ids))
        if len(children) != len(set(ids)):
            raise Http404("No such child")
        codes = data.pop("reasons")
        reasons = list(ChallengeReason.objects.filter(code__in=codes, active=True))
        if len(reasons) != len(set(codes)):
            return Response({"detail": "Unknown reason.", "field": "reasons"}, status=400)
        children.sort(key=lambda child: ids.index(child.pk))
        challenge = services.challenge_raise(
            children=children, reasons=reasons, by=request.user, **data
        )
        return self._done(challenge, status.HTTP_201_CREATED)

    @extend_schema(request=RespondIn, responses=ChallengeDetailSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        data = _valid(RespondIn, request)
        actions = [
            services.ActionInput(item["text"], item.get("owner"), item["due_date"])
            for item in data["actions"]
        ]
        challenge = services.challenge_respond(
            challenge=self.get_object(),
            response=data["response"],
            actions=actions,
            by=request.user,
            version=data.get("version"),
        )
        return self._done(challenge)

    @extend_schema(request=AcceptIn, responses=ChallengeDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        data = _valid(AcceptIn, request)
        challenge = services.challenge_accept(challenge=self.get_object(), by=request.user, **data)
        return self._done(challenge)

    @extend_schema(request=EscalateIn, responses=ChallengeDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str) -> Response:
        data = _valid(EscalateIn, request)
        challenge = services.challenge_escalate(
            challenge=self.get_object(), by=request.user, **data
        )
        return self._done(challenge)

    @extend_schema(request=EscalateIn, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request: Request, pk: str) -> Response:
        data = _valid(EscalateIn, request)
        approval = services.challenge_request_approval(
            challenge=self.get_object(), by=request.user, **data
        )
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    def _pending(self, challenge: Challenge, approval_id: int | None) -> Approval:
        pending = challenge.approvals.filter(decision=Approval.Decision.PENDING)
        if approval_id:
            pending = pending.filter(pk=approval_id)
        approval = pending.order_by("-requested_at", "-pk").first()
        if approval is None:
            raise InvalidTransition("There is no request waiting for a decision.")
        return approval

    @extend_schema(request=DecisionIn, responses=ChallengeDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        data = _valid(DecisionIn, request)
        challenge = self.get_object()
        approval = self._pending(challenge, data.get("approval"))
        services.approval_approve(approval=approval, comment=data["comment"], by=request.user)
        return self._done(challenge)

    @extend_schema(request=DecisionIn, responses=ChallengeDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        data = _valid(DecisionIn, request)
        challenge = self.get_object()
        approval = self._pending(challenge, data.get("approval"))
        services.approval_decline(approval=approval, comment=data["comment"], by=request.user)
        return self._done(challenge)

    @extend_schema(request=ReferIn, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="refer-to-cafcass")
    def refer_to_cafcass(self, request: Request, pk: str) -> Response:
        data = _valid(ReferIn, request)
        referral = services.challenge_refer_to_cafcass(
            challenge=self.get_object(), by=request.user, **data
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawIn, responses=ChallengeDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = _valid(WithdrawIn, request)
        challenge = services.challenge_withdraw(
            challenge=self.get_object(), by=request.user, **data
        )
        return self._done(challenge)
