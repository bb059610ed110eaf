from django import template
from django.urls import reverse

from iro_service.core.policy import Action, may

register = template.Library()

SECTIONS = (
    ("Records past retention", "retention:records", Action.RETENTION_REPORT),
    ("Destruction requests", "retention:requests", Action.DESTRUCTION_DECIDE),
    ("Legal holds", "retention:holds", Action.LEGAL_HOLD_KEEP),
    ("Retention schedule", "retention:rules", Action.RETENTION_REPORT),
    ("Destruction log", "retention:log", Action.RETENTION_REPORT),
)


@register.inclusion_tag("retention/_subnav.html", takes_context=True)
def retention_subnav(context: template.Context) -> dict[str, object]:
    request = context["request"]
    roles = request.user.roles
    items = [
        {"label": label, "url": reverse(name), "current": request.path == reverse(name)}
        for label, name, action in SECTIONS
        if may(roles, action)
    ]
    return {"items": items}


@register.filter
def ordinal(number: int) -> str:
    """75 -> "75th", 21 -> "21st", 112 -> "112th"."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
