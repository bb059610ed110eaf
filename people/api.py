"""Staff and teams, read-only over the API (names and roles are not case data)."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from people.models import Team, User


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "level", "parent", "manager"]


class StaffSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "job_title", "team", "fte", "roles"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(group.name for group in user.groups.all())


class StaffFilter(filters.FilterSet):
    role = filters.CharFilter(field_name="groups__name", label="Role")

    class Meta:
        model = User
        fields = ["team", "role"]


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Team.objects.order_by("name")
    serializer_class = TeamSerializer
    filterset_fields = ["level", "parent"]


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        User.objects.filter(is_active=True)
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "id")
    )
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
