"""The API's filter backend (settings ``REST_FRAMEWORK``). A module of its own, as
``api_permissions``: DRF imports it while ``rest_framework.generics`` is still loading."""

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, left out when the query asks for nothing but a page: the
    filter set would build and validate a form only to return the queryset unchanged. Any
    other parameter, known or not, goes to the filter set as before (an invalid value is
    still a 400)."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        paginator = getattr(view, "paginator", None)
        page_only = {getattr(paginator, "page_query_param", None)}
        if set(request.query_params) <= page_only:
            return queryset
        return super().filter_queryset(request, queryset, view)
