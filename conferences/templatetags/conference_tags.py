"""The conferences section of the child page (included from children/detail.html)."""

from typing import Any

from django import template

from conferences import policies
from conferences.forms import CoreGroupForm
from conferences.selectors import child_conferences

register = template.Library()


@register.inclusion_tag("conferences/_child_section.html", takes_context=True)
def child_conference_section(context: dict[str, Any], child: Any) -> dict[str, Any]:
    """Conferences, the open plan's core groups and the actions the user may take."""
    user = context["request"].user
    plans = list(child.cp_plans.filter(end_date__isnull=True).prefetch_related("core_groups"))
    return {
        "child": child,
        "conferences": child_conferences(child_id=child.pk, user=user),
        "open_plans": plans,
        "can_request": policies.can_request(user, child),
        "can_record_core_group": policies.can_record_core_group(user, child),
        "core_group_form": CoreGroupForm(prefix="core"),
        "request": context["request"],
    }
