"""Where a child lives stays out of the documents of those who may not read it (SECURITY.md
T4): conference outcome letters and minutes and review decisions, as PDFs, follow the same
field-level rule as the pages and the API (``Action.PLACEMENT_ADDRESS_READ``, through
``children.policies.document_address``). Each role's download is checked in the HTML that
WeasyPrint turns into the PDF the user receives."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from reviews import services as review_services
from tests.conferences.factories import held_with_plan
from tests.reviews.conftest import put_in_care

pytestmark = pytest.mark.django_db
ADDRESS = "7 Zqxcarer Close"
EVERYONE = ["alice", "bob", "sarah", "charlie", "mandy", "betty", "terry", "helen", "dora", "percy"]


@pytest.fixture
def printed(monkeypatch) -> list[str]:
    """The HTML of each PDF made in the test, in order; the PDF is still made."""
    import weasyprint

    real = weasyprint.HTML
    seen: list[str] = []

    def recording(*, string: str, **kwargs):
        seen.append(string)
        return real(string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    return seen


@pytest.fixture
def housed(child):
    child.address = f"{ADDRESS}\nTown"
    child.save(update_fields=["address"])
    return child


def download(user, url: str, printed: list[str]) -> str | int:
    """The HTML of the PDF the user downloads, or the status when they are refused."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code
    assert response.content.startswith(b"%PDF")
    return printed[-1]


def outcomes(people, urls: list[str], printed: list[str]) -> dict[str, str]:
    """For each persona: "address", "no address" or the refusal status."""
    result = {}
    for persona in EVERYONE:
        for url in urls:
            html = download(people[persona], url, printed)
            if isinstance(html, int):
                verdict = str(html)
            else:
                verdict = "address" if ADDRESS in html else "no address"
            result.setdefault(persona, verdict)
            assert result[persona] == verdict, (persona, url)
    return result


def test_conference_letters_and_minutes_carry_the_address_only_for_those_who_may_read_it(
    housed, people, printed
):
    conference = held_with_plan(housed, people)  # chaired by mandy
    invitation = conference.invitations.first()
    urls = [
        reverse("conferences:outcome_pdf", args=[conference.pk]),
        reverse("conferences:outcome_pdf", args=[conference.pk]) + f"?invitation={invitation.pk}",
        reverse("conferences:minutes_pdf", args=[conference.pk]),
    ]
    result = outcomes(people, urls, printed)
    assert result == {
        "alice": "403",
        "bob": "403",
        "sarah": "403",
        "charlie": "404",
        "mandy": "address",  # the chair, and the IRO service manager
        "betty": "no address",  # business support distribute the documents
        "terry": "403",
        "helen": "403",
        "dora": "403",
        "percy": "404",
    }
    # Business support's copy is otherwise the whole document.
    assert housed.full_name in printed[-1] and "Outline plan" in printed[-1]


def test_review_decisions_carry_the_address_only_for_those_who_may_read_it(housed, people, printed):
    review = put_in_care(housed, people["betty"], date(2025, 1, 6))
    review_services.review_record(
        review=review,
        values={"held_date": date(2025, 1, 30), "participation_code": "PN1"},
        version=review.version,
        by=people["alice"],
    )
    result = outcomes(people, [reverse("reviews:decisions_pdf", args=[review.pk])], printed)
    assert result == {
        "alice": "address",  # the child's IRO
        "bob": "403",
        "sarah": "403",
        "charlie": "404",
        "mandy": "403",  # circulating is business support's job and the IRO's
        "betty": "no address",
        "terry": "403",
        "helen": "403",
        "dora": "403",
        "percy": "404",
    }


def test_a_withheld_address_is_in_no_ones_documents(housed, people, printed):
    housed.address_withheld = True
    housed.save(update_fields=["address_withheld"])
    conference = held_with_plan(housed, people)
    url = reverse("conferences:minutes_pdf", args=[conference.pk])
    for persona in ("mandy", "betty"):
        html = download(people[persona], url, printed)
        assert isinstance(html, str) and ADDRESS not in html
