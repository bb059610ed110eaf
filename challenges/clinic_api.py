"""``/api/v1/challenge-clinics/``: the clinics the user may see, read-only. Scoped like the
pages (``clinics_visible_to``): challenges, children and items the user may not see are
left out of each clinic."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from challenges.clinic_models import ClinicAction, ClinicEvent, ClinicInvitee, ClinicItem
from challenges.models import Clinic
from challenges.selectors import clinic_get_for_user, clinic_list_for_user


def _text_choice(help_text: str) -> serializers.CharField:
    """A choice shown in the schema as a string with its values described (named enums
    would collide with other apps' ``status`` and ``role`` enums)."""
    return serializers.CharField(help_text=help_text, read_only=True)


class ClinicActionSerializer(serializers.ModelSerializer):
    status = _text_choice("open, done or not_done.")

    class Meta:
        model = ClinicAction
        fields = ["id", "text", "owner", "due_date", "status"]
        read_only_fields = fields


class ClinicItemSerializer(serializers.ModelSerializer):
    actions = ClinicActionSerializer(many=True, read_only=True)

    class Meta:
        model = ClinicItem
        fields = ["id", "challenge", "child", "finding", "actions"]
        read_only_fields = fields


class ClinicInviteeSerializer(serializers.ModelSerializer):
    role = _text_choice("panel, iro, social_worker, team_manager or other.")

    class Meta:
        model = ClinicInvitee
        fields = ["user", "role", "sent_at"]
        read_only_fields = fields


class ClinicEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClinicEvent
        fields = ["action", "by", "at", "from_status", "to_status", "summary", "why"]
        read_only_fields = fields


class ClinicSerializer(serializers.ModelSerializer):
    status = _text_choice("scheduled, held or cancelled.")
    challenges = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Clinic
        fields = [
            "id",
            "reference",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "chair",
            "status",
            "challenges",
            "cohort",
            "cohort_label",
            "held_on",
            "summary",
            "cancelled_reason",
            "version",
        ]
        read_only_fields = fields


class ClinicDetailSerializer(ClinicSerializer):
    items = ClinicItemSerializer(many=True, read_only=True, source="visible_items")
    invitees = ClinicInviteeSerializer(many=True, read_only=True)
    events = ClinicEventSerializer(many=True, read_only=True)

    class Meta(ClinicSerializer.Meta):
        fields = [*ClinicSerializer.Meta.fields, "items", "invitees", "events"]
        read_only_fields = fields


class ClinicFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Clinic.Status.choices)
    challenge = filters.NumberFilter(field_name="challenges__pk", distinct=True)
    starts_after = filters.DateFilter(field_name="starts_at__date", lookup_expr="gte")
    starts_before = filters.DateFilter(field_name="starts_at__date", lookup_expr="lte")

    class Meta:
        model = Clinic
        fields = ["status", "challenge", "starts_after", "starts_before"]


class ClinicViewSet(viewsets.ReadOnlyModelViewSet):
    """Challenge clinics the user runs, chairs, sits on or is invited to, covering a child
    they may see; latest first."""

    filterset_class = ClinicFilter

    def get_queryset(self) -> QuerySet[Clinic]:
        return clinic_list_for_user(user=self.request.user, today=timezone.localdate())

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ClinicDetailSerializer if self.action != "list" else ClinicSerializer

    def get_object(self) -> Any:
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404
        return clinic_get_for_user(user=self.request.user, pk=int(pk))
