"""The amend form of a held conference record keeps a draft (ARCHITECTURE.md: "no one loses
a record they were writing"): saved as the person types (htmx) and by "Save draft" without
JavaScript, put back in the form when they come back, and discarded when they amend the
record or choose to. A draft is its author's alone, and a 404 once they cannot see the
conference."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import services
from conferences.models import AmendmentDraft, Conference, ConferenceAmendment
from tests.conferences.factories import held_with_plan

pytestmark = pytest.mark.django_db
TEXT = "The health visitor report was read at the conference and is now in the minutes."
RESTORED = "It has been put back in the form."


@pytest.fixture
def conference(child, people) -> Conference:
    """Held, chaired by alice (an IRO); mandy, the IRO service manager, may amend it too."""
    return held_with_plan(child, people, chair="alice")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def amend_url(conference: Conference) -> str:
    return reverse("conferences:amend", args=[conference.pk])


def draft_url(conference: Conference) -> str:
    return reverse("conferences:amend_draft", args=[conference.pk])


def save_draft(conference: Conference, user, minutes: str = TEXT) -> AmendmentDraft:
    data = {
        "minutes": [minutes],
        "child_participation": ["too_young"],
        "reason": ["The minutes missed the health visitor's report"],
        "version": [str(conference.version)],
    }
    return services.conference_amend_draft_save(conference=conference, data=data, by=user)


def the_amendment(conference: Conference, minutes: str = TEXT) -> dict[str, object]:
    return {
        "child_participation": "too_young",
        "minutes": minutes,
        "reason": "The minutes missed the health visitor's report",
        "version": conference.version,
    }


def test_typing_saves_a_draft_and_answers_with_the_time(conference, people):
    response = client_for(people["alice"]).post(
        draft_url(conference),
        {"minutes": TEXT, "version": conference.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    status, button = response.text.split("\n", 1)
    assert re.fullmatch(r"Draft saved at \d{1,2}:\d\d(am|pm)", status)
    # "Discard draft" appears at once, swapped in by htmx out of band (no reload needed).
    assert re.fullmatch(
        r'<button type="submit" id="discard-draft" [^>]*name="discard"[^>]*'
        r'hx-swap-oob="true">Discard draft</button>',
        button.strip(),
    )
    draft = AmendmentDraft.objects.get(conference=conference)
    assert (draft.author, draft.data["minutes"]) == (people["alice"], [TEXT])
    assert draft.based_on_version == conference.version
    # A draft is not an amendment: the record is as it was.
    unchanged = Conference.objects.get(pk=conference.pk)
    assert (unchanged.minutes, unchanged.version) == (conference.minutes, conference.version)
    assert not ConferenceAmendment.objects.exists()


def test_save_draft_without_javascript_keeps_the_text_before_there_is_a_reason(conference, people):
    url = amend_url(conference)
    response = client_for(people["alice"]).post(
        url, {"minutes": TEXT, "version": conference.version, "draft": ""}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert re.search(r"Draft saved at \d{1,2}:\d\d(am|pm)", response.text)
    assert TEXT in response.text
    assert AmendmentDraft.objects.get(conference=conference).data["minutes"] == [TEXT]
    assert not ConferenceAmendment.objects.exists()


def test_save_draft_without_javascript_offers_to_discard_it_on_the_page_it_returns(
    conference, people
):
    alice = client_for(people["alice"])
    assert "Discard draft" not in alice.get(amend_url(conference)).text
    response = alice.post(
        amend_url(conference),
        {"minutes": TEXT, "version": conference.version, "draft": ""},
        follow=True,
    )
    # As on the record form: the "saved at" line, and the button to discard the draft.
    assert re.search(
        r'id="draft-status" role="status">Draft saved at \d{1,2}:\d\d(am|pm)\s*<', response.text
    )
    assert re.search(r'<button [^>]*id="discard-draft"[^>]*>Discard draft</button>', response.text)


def test_coming_back_puts_the_draft_back_in_the_form(conference, people):
    save_draft(conference, people["alice"])
    page = client_for(people["alice"]).get(amend_url(conference)).text
    assert "You have a draft from" in page and RESTORED in page
    assert TEXT in page and "The minutes missed the health visitor&#x27;s report" in page
    assert "Discard draft" in page
    assert "Someone has amended the record" not in page


def test_the_page_without_a_draft_says_nothing_of_one(conference, people):
    page = client_for(people["alice"]).get(amend_url(conference)).text
    assert "You have a draft" not in page and "Discard draft" not in page
    # Only the empty place the first autosave puts the button in.
    assert '<span id="discard-draft" hidden></span>' in page


def test_amending_the_record_discards_the_draft(conference, people):
    save_draft(conference, people["alice"])
    alice = client_for(people["alice"])
    response = alice.post(amend_url(conference), the_amendment(conference))
    assert response.status_code == 302
    assert Conference.objects.get(pk=conference.pk).minutes == TEXT
    assert not AmendmentDraft.objects.exists()
    assert RESTORED not in alice.get(amend_url(conference)).text


def test_a_refused_amendment_keeps_the_draft(conference, people):
    save_draft(conference, people["alice"])
    response = client_for(people["alice"]).post(
        amend_url(conference), {**the_amendment(conference), "reason": ""}
    )
    assert response.status_code == 400
    assert AmendmentDraft.objects.filter(conference=conference).exists()


def test_discard_draft_starts_again_from_the_record(conference, people):
    save_draft(conference, people["alice"])
    url = amend_url(conference)
    response = client_for(people["alice"]).post(url, {"minutes": TEXT, "discard": ""}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Draft discarded" in response.text
    assert TEXT not in response.text and RESTORED not in response.text
    assert not AmendmentDraft.objects.exists()
    assert not ConferenceAmendment.objects.exists()


def test_a_draft_is_its_authors_alone(conference, people):
    save_draft(conference, people["alice"])
    mandy = client_for(people["mandy"])  # may amend this record too
    page = mandy.get(amend_url(conference)).text
    assert TEXT not in page and RESTORED not in page
    mandy.post(draft_url(conference), {"minutes": "Mandy's words"}, HTTP_HX_REQUEST="true")
    assert AmendmentDraft.objects.filter(conference=conference).count() == 2

    # Discarding and amending each take the person's own draft only.
    mandy.post(amend_url(conference), {"discard": ""})
    assert list(AmendmentDraft.objects.values_list("author", flat=True)) == [people["alice"].pk]
    assert TEXT in client_for(people["alice"]).get(amend_url(conference)).text


def test_a_draft_from_before_someone_elses_amendment_cannot_overwrite_it(conference, people):
    save_draft(conference, people["alice"])
    services.conference_amend(
        conference=conference,
        values={"minutes": "Mandy's correction"},
        reason="Correction",
        version=conference.version,
        by=people["mandy"],
    )
    alice = client_for(people["alice"])
    page = alice.get(amend_url(conference)).text
    assert RESTORED in page and "Someone has amended the record since you saved this draft" in page
    # The form carries the version the draft was written against, so sending it is refused.
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version and int(version.group(1)) == conference.version
    response = alice.post(
        amend_url(conference), {**the_amendment(conference), "version": version.group(1)}
    )
    assert response.status_code == 400
    assert "Someone else has changed this conference record" in response.text
    assert Conference.objects.get(pk=conference.pk).minutes == "Mandy's correction"


def test_people_who_may_not_amend_keep_no_draft(conference, people):
    betty = client_for(people["betty"])  # business support: sees the child, may not amend
    assert betty.post(draft_url(conference), {"minutes": TEXT}).status_code == 403
    assert betty.post(amend_url(conference), {"minutes": TEXT, "draft": ""}).status_code == 403
    charlie = client_for(people["charlie"])  # another team's social worker: cannot see it
    assert charlie.post(draft_url(conference), {"minutes": TEXT}).status_code == 404
    assert not AmendmentDraft.objects.exists()


def test_a_draft_of_a_conference_the_user_can_no_longer_see_is_a_404(conference, people, child):
    save_draft(conference, people["alice"])
    child.restricted = True  # alice is not on the allow-list
    child.save(update_fields=["restricted"])
    alice = client_for(people["alice"])
    assert alice.get(amend_url(conference)).status_code == 404
    assert alice.post(draft_url(conference), {"minutes": "More"}).status_code == 404
    assert alice.post(amend_url(conference), {"discard": ""}).status_code == 404
    assert AmendmentDraft.objects.get().data["minutes"] == [TEXT]


def test_putting_a_draft_back_costs_no_extra_queries(conference, people):
    alice = client_for(people["alice"])
    url = amend_url(conference)
    alice.get(url)  # the session and the user are read on the first request
    with CaptureQueriesContext(connection) as without_draft:
        alice.get(url)
    save_draft(conference, people["alice"])
    with CaptureQueriesContext(connection) as with_draft:
        assert RESTORED in alice.get(url).text
    assert len(with_draft) == len(without_draft)
