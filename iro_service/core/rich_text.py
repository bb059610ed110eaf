"""Free text written by many people (minutes, review records) against script injection
(SECURITY.md T10), with nh3's allow-list sanitiser.

Pages escape every field by default and no field is rendered as HTML, so the allow-list for
these fields is empty: the save path strips markup (``plain_text``), and what is stored is
what was meant, never a payload that a later template, PDF or export might render. A field
that one day needs formatting must be cleaned with an allow-list of tags where it is
rendered, never marked safe as stored.
"""

from html import unescape

import nh3

# Entity-encoded markup ("&lt;script&gt;") becomes markup once unescaped: clean again
# until nothing changes (two rounds in practice).
_MAX_ROUNDS = 5


def plain_text(text: str) -> str:
    """The text with any markup removed (scripts and styles with their content). Ordinary
    characters (``a < b``, ``Tom & Jerry``) are kept as typed."""
    for _ in range(_MAX_ROUNDS):
        if not text or ("<" not in text and "&" not in text):
            return text
        cleaned = unescape(nh3.clean(text, tags=set(), attributes={}))
        if cleaned == text:
            return text
        text = cleaned
    return nh3.clean(text, tags=set(), attributes={})
