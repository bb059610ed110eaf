"""The reviews section of the child page: ``{% load reviews_tags %}{% child_reviews child %}``.

The child page has already checked the user can see the child (``children_visible_to``)."""

from typing import Any

from django import template

from children.selectors import ChildRecord
from reviews import policies, selectors
from reviews.models import FootprintNote, Review

register = template.Library()


@register.inclusion_tag("reviews/_child_section.html", takes_context=True)
def child_reviews(context: dict[str, Any], record: ChildRecord) -> dict[str, Any]:
    user = context["request"].user
    child = record.child
    reviews = selectors.child_reviews(record)[:20]
    return {
        "child": child,
        "reviews": reviews,
        "footprint": list(FootprintNote.objects.filter(child=child).select_related("by")[:20]),
        "can_add_footprint": policies.is_allocated_iro(user, Review(child=child)),
    }
