"""Template helpers for GOV.UK form markup: classes and ARIA on Django's widgets.

Hint and error ids follow GOV.UK Frontend: ``<field id>-hint`` and ``<field id>-error``.
"""

from collections.abc import Iterable
from typing import Any

from django import template
from django.core.paginator import Page
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from iro_service.core.forms import PARTS, GovukDateInput, wrong_parts

register = template.Library()

_INPUT_CLASS = "govuk-input"
_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "nullbooleanselect": "govuk-select",
    "selectmultiple": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}
_NARROW_WIDGETS = {"number": "govuk-input--width-10"}


@register.filter
def govuk_describedby(field: BoundField) -> str:
    """The ids of the field's hint and error message, for ``aria-describedby``."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """Render the field's widget with its GOV.UK class, error modifier and describedby.

    Classes already set on the widget (e.g. ``govuk-input--width-20``) are kept.
    """
    widget_type = field.widget_type
    base = _WIDGET_CLASSES.get(widget_type, _INPUT_CLASS)
    classes = [base]
    if field.errors and widget_type != "checkbox":
        classes.append(f"{base}--error")
    if widget_type in _NARROW_WIDGETS and "govuk-input--width" not in field.field.widget.attrs.get(
        "class", ""
    ):
        classes.append(_NARROW_WIDGETS[widget_type])
    if existing := field.field.widget.attrs.get("class"):
        classes.append(existing)
    attrs = {"class": " ".join(classes)}
    if describedby := govuk_describedby(field):
        attrs["aria-describedby"] = describedby
    if widget_type == "email":
        attrs["spellcheck"] = "false"
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_error_href(field: BoundField) -> str:
    """The id an error summary link should point at: the field's first focusable input,
    or for a date the first box that is wrong (the day box when the whole date is)."""
    if isinstance(field.field.widget, GovukDateInput):
        return f"{field.auto_id}_{(wrong_parts(field.value()) or PARTS)[0]}"
    return field.id_for_label or field.auto_id


@register.simple_tag
def govuk_page_range(page_obj: Page) -> list[int | str]:
    """Page numbers for GOV.UK pagination: first, last and the current page's neighbours,
    with ``Paginator.ELLIPSIS`` in the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    )


def _option(option: dict[str, Any]) -> str:
    attrs = "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in option["attrs"].items()
        if value is not False
    )
    value, label = conditional_escape(str(option["value"])), conditional_escape(option["label"])
    return f'\n  <option value="{value}"{attrs}>{label}</option>\n'


@register.filter
def select_options(optgroups: Iterable[tuple[Any, list[dict[str, Any]], int]]) -> SafeString:
    """A select's options and groups, exactly as Django's select.html and select_option.html
    write them, but in Python: the templates cost an include and a dozen nodes per option,
    230 ms for a filter form listing every IRO and team of England (issue 11)."""
    parts = []
    for group_name, choices, _ in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(_option(option) for option in choices)
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
