"""The API's default permission (settings ``REST_FRAMEWORK``). A module of its own: DRF
imports it while ``rest_framework.views`` is still loading, so it must not import that."""

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request


class SignedInAndRecordVisible(IsAuthenticated):
    """Signed in; and a request about one record (a detail route) must name a record the
    user can see before its body is read. A hidden record is a 404 whatever was sent, so a
    write cannot be used to find out which ids exist (SECURITY.md T1: invisible = 404).
    Reads fetch the record anyway (``get_object``), so only writes pay the extra query."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        value = getattr(view, "kwargs", {}).get(lookup)
        if request.method in ("GET", "HEAD", "OPTIONS") or value is None:
            return True
        if not getattr(view, "detail", False) or not hasattr(view, "get_queryset"):
            return True
        field = getattr(view, "lookup_field", "pk")
        if not view.get_queryset().filter(**{field: value}).exists():
            raise NotFound
        return True
