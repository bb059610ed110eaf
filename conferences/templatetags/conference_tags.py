"""The conferences section of the child page (included from children/detail.html)."""

from typing import Any

from django import template

from children.selectors import ChildRecord
from conferences import policies
from conferences.forms import CoreGroupForm
from conferences.selectors import child_conferences, child_open_plans

register = template.Library()


@register.inclusion_tag("conferences/_child_section.html", takes_context=True)
def child_conference_section(context: dict[str, Any], record: ChildRecord) -> dict[str, Any]:
    """Conferences, the open plan's core groups and the actions the user may take."""
    user = context["request"].user
    child = record.child
    return {
        "child": child,
        "conferences": child_conferences(record),
        "open_plans": child_open_plans(record),
        "can_request": policies.can_request(user, child),
        "can_record_core_group": policies.can_record_core_group(user, child),
        "core_group_form": CoreGroupForm(prefix="core"),
        "request": context["request"],
    }
