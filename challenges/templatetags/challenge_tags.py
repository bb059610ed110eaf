"""Template helpers for the Issues Resolution pages and the child page's section."""

from typing import Any

from django import template

from challenges.policies import can_raise
from challenges.selectors import challenges_visible_to
from people.models import User
from people.roles import Role

register = template.Library()


@register.filter
def is_iro_manager(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.IRO_MANAGER)


@register.inclusion_tag("challenges/_child_section.html", takes_context=True)
def child_challenges(context: dict[str, Any], child: Any) -> dict[str, Any]:
    """The child page's "Challenges" section: the child's challenges (one query) and, for
    IROs and chairs, the link to raise one."""
    user = context["request"].user
    rows = list(
        challenges_visible_to(user)
        .filter(children=child)
        .select_related("current")
        .order_by("-raised_on", "-pk")[:20]
    )
    return {"child": child, "challenges": rows, "can_raise": can_raise(user)}
