"""The overall audit rating (DOMAIN.md "Decided defaults", audit rating; section 8 RAG).

Pure: no Django. Each answered question contributes the RAG its answer maps to and whether
it is a key question. Red if any key question is red; amber if any answer is amber or a
non-key question is red; otherwise green. Not applicable and unanswered questions contribute
nothing, so an audit of only "not applicable" answers is green.
"""

from collections.abc import Iterable

RED, AMBER, GREEN = "red", "amber", "green"


def suggest_rating(answers: Iterable[tuple[str, bool]]) -> str:
    """``answers`` are (rag, is_key) pairs; rag "" means not applicable or unanswered."""
    amber = False
    for rag, is_key in answers:
        if rag == RED and is_key:
            return RED
        if rag in (AMBER, RED):
            amber = True
    return AMBER if amber else GREEN
