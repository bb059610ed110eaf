"""The overall rating rule (DOMAIN.md "Decided defaults", audit rating). Pure: no database."""

import pytest

from audits.rating import suggest_rating


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], "green"),
        ([("green", True), ("green", False)], "green"),
        ([("", True), ("", False)], "green"),  # not applicable counts for nothing
        ([("green", True), ("amber", False)], "amber"),
        ([("amber", True)], "amber"),  # an amber key question is amber, not red
        ([("red", False), ("green", True)], "amber"),  # a red non-key question is amber
        ([("red", True)], "red"),
        ([("amber", False), ("red", True), ("green", False)], "red"),
        ([("red", False), ("red", False), ("amber", True)], "amber"),
    ],
)
def test_overall_rating_follows_the_decided_default(answers, expected):
    assert suggest_rating(answers) == expected
