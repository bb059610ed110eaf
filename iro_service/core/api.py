"""API glue: errors from services become 400/403/409 responses with the same message; the
router; the base of the serializers that lists use."""

import copy
from functools import cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from iro_service.core.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)


class ApiRouter(DefaultRouter):
    """Ids in URLs are database keys: anything but 1 to 18 digits is a 404, never a query
    that overflows the column."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if getattr(viewset, "lookup_value_regex", None) is None:
            viewset.lookup_value_regex = "[0-9]{1,18}"
        return super().get_lookup_regex(viewset, lookup_prefix)


# A comment, not a docstring: drf-spectacular would show a docstring in the schema of every
# serializer built on this class.
class ColumnsFirstSerializer(serializers.ModelSerializer):
    # The same representation as DRF's ``to_representation``, faster for the fields that
    # read one column of the row (most of them): ``getattr`` on the column instead of DRF's
    # general attribute walk (a mapping check and a callable check per field per row, and
    # a field lookup for each foreign key). A plain field still formats the value (dates,
    # choices); a foreign key shown as its id is the id column as it is, as DRF gives it.
    # Everything else (properties, annotations, nested serializers) takes DRF's own steps.

    def get_fields(self) -> dict[str, Field]:
        # The fields DRF builds from the model are the same for every instance of a class:
        # built once, then copied for each serializer as DRF copies the declared ones.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)

    @cached_property
    def _columns_plan(self) -> list[tuple[str, str | None, Field | None]]:
        return [
            (field.field_name, *_column(field, self.Meta.model)) for field in self._readable_fields
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        ret: dict[str, Any] = {}
        for name, column, field in self._columns_plan:
            if column is not None:
                value = getattr(instance, column)
                ret[name] = (
                    value if value is None or field is None else field.to_representation(value)
                )
                continue
            try:
                attribute = field.get_attribute(instance)
            except serializers.SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check is None else field.to_representation(attribute)
        return ret


def _column(field: Field, model: type[Model]) -> tuple[str | None, Field | None]:
    """The column a field reads, and the field that formats it (None: shown as it is, a
    foreign key's id); or no column, when DRF must find the value itself."""
    source = field.source_attrs
    if len(source) != 1:
        return None, field
    try:
        model_field = model._meta.get_field(source[0])
    except FieldDoesNotExist:
        return None, field
    if not model_field.concrete or model_field.many_to_many:
        return None, field
    if not model_field.is_relation:
        plain = type(field).get_attribute is Field.get_attribute
        return (model_field.attname, field) if plain else (None, field)
    as_id = type(field) is PrimaryKeyRelatedField and field.pk_field is None
    return (model_field.attname, None) if as_id else (None, field)
