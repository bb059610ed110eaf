"""The IRO's pages (audits due, the form with drafts and the live rating, my completed
audits), the managers' findings, themes and CSV, and the API."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from iro_service.core.forms import date_input_data

from .factories import completed_audit, held_conference, held_review, template

pytestmark = pytest.mark.django_db


def _form_data(audit: Audit, answer: str = "yes", **by_code: str) -> dict[str, str]:
    data = {"summary": "", "rating": "", "override_reason": ""}
    for row in audit.answers.select_related("question"):
        data[f"q{row.question_id}"] = by_code.get(row.question.code, answer)
    return data


def test_the_iro_sees_audits_due_and_starts_one(client, child, people):
    today = timezone.localdate()
    review = held_review(child, due=today + timedelta(days=10), held=None)
    far = held_review(child, due=today + timedelta(days=60), held=today - timedelta(days=90))
    conference = held_conference(
        child, due=today + timedelta(days=5), held=None, chair=people["alice"]
    )
    client.force_login(people["alice"])
    page = client.get(reverse("audits:due")).content.decode()
    assert review.reference in page and conference.reference in page
    assert far.reference not in page
    response = client.post(reverse("audits:start_review", args=[review.pk]))
    audit = Audit.objects.get(review=review)
    assert response.url == reverse("audits:edit", args=[audit.pk])
    assert "Continue the audit" in client.get(reverse("audits:due")).content.decode()
    client.force_login(people["bob"])
    assert client.get(reverse("audits:due")).status_code == 200
    assert review.reference not in client.get(reverse("audits:due")).content.decode()


def test_managers_start_at_the_findings_and_social_workers_are_refused(client, people):
    client.force_login(people["mandy"])
    assert client.get(reverse("audits:due")).status_code == 200  # a manager who chairs
    client.force_login(people["helen"])
    assert client.get(reverse("audits:due")).url == reverse("audits:findings")
    client.force_login(people["sarah"])
    assert client.get(reverse("audits:due")).status_code == 403
    assert client.get(reverse("audits:themes")).status_code == 403


def test_the_form_saves_a_draft_and_completes_with_the_rating(client, child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    client.force_login(people["alice"])
    client.post(reverse("audits:start_review", args=[review.pk]))
    audit = Audit.objects.get(review=review)
    url = reverse("audits:edit", args=[audit.pk])
    data = _form_data(audit, pep_available="no")
    assert client.post(url, {**data, "action": "draft"}).url == url
    audit.refresh_from_db()
    assert (audit.status, audit.suggested_rating) == ("draft", "red")
    page = client.get(url).content.decode()
    assert 'data-rating="red"' in page and "Red because a key question is red" in page
    missing = client.post(url, {**data, "action": "complete", "rating": "green"})
    assert "Say why the rating differs from the suggested one" in missing.content.decode()
    done = client.post(url, {**data, "action": "complete"})
    assert done.url == reverse("audits:detail", args=[audit.pk])
    audit.refresh_from_db()
    assert (audit.status, audit.rating) == ("completed", "red")
    mine = client.get(reverse("audits:mine")).content.decode()
    assert audit.reference in mine


def test_the_live_rating_is_computed_by_the_server(client, child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    client.force_login(people["alice"])
    client.post(reverse("audits:start_review", args=[review.pk]))
    audit = Audit.objects.get(review=review)
    url = reverse("audits:draft", args=[audit.pk])
    amber = client.post(url, _form_data(audit, advocate_offered="partly"), HTTP_HX_REQUEST="true")
    assert 'data-rating="amber"' in amber.content.decode()
    red = client.post(url, _form_data(audit, child_visited="no"), HTTP_HX_REQUEST="true")
    body = red.content.decode()
    assert 'data-rating="red"' in body and "Has the child been visited often enough?" in body
    assert "<html" not in body  # a fragment
    client.force_login(people["bob"])
    assert client.post(url, _form_data(audit)).status_code == 403


def test_a_red_finding_links_to_a_prefilled_challenge(client, child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = completed_audit(people["alice"], review=review, pep_available="no")
    client.force_login(people["alice"])
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert f"{reverse('challenges:raise')}?child={child.pk}" in page
    raise_page = client.get(
        reverse("challenges:raise"),
        {
            "child": child.pk,
            "source": f"audit:{audit.pk}",
            "what_is_wrong": f"Audit {audit.reference}: PEP was answered no.",
        },
    )
    assert f"Audit {audit.reference}: PEP was answered no." in raise_page.content.decode()


def test_findings_filter_by_rating_and_themes_export_csv(client, child, other_child, people):
    red = completed_audit(
        people["alice"],
        review=held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1)),
        pep_available="no",
    )
    green = completed_audit(
        people["bob"],
        review=held_review(other_child, due=date(2025, 7, 6), held=date(2025, 7, 1)),
    )
    client.force_login(people["mandy"])
    page = client.get(reverse("audits:findings"), {"rating": "red"}).content.decode()
    assert red.reference in page and green.reference not in page
    today = timezone.localdate()
    query = {
        "template": template("cla_review").pk,
        **date_input_data("start", today - timedelta(days=6)),
        **date_input_data("end", today),
        "by": "iro",
    }
    themes = client.get(reverse("audits:themes"), query).content.decode()
    assert 'id="questions"' in themes and "<svg" in themes
    response = client.get(reverse("audits:themes_csv"), query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    pep = next(row for row in rows if row and row[0] == "pep_available")
    assert pep[3:8] == ["1", "0", "1", "0", "50.0"]
    assert ["red", "1", "50.0", "0", ""] in rows


def test_the_api_lists_templates_audits_and_themes(client, child, other_child, people):
    audit = completed_audit(
        people["alice"],
        review=held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1)),
        pep_available="no",
    )
    completed_audit(
        people["bob"],
        review=held_review(other_child, due=date(2025, 7, 6), held=date(2025, 7, 1)),
    )
    client.force_login(people["mandy"])
    templates = client.get("/api/v1/audit-templates/").json()
    codes = {t["code"] for t in templates["results"]}
    assert codes == {"cla_review", "cp_conference"}
    listed = client.get("/api/v1/audits/", {"rating": "red"}).json()
    results = listed["results"]
    assert [row["id"] for row in results] == [audit.pk]
    assert results[0]["template"] == "cla_review"
    pep = next(a for a in results[0]["answers"] if a["code"] == "pep_available")
    assert (pep["answer"], pep["rag"]) == ("no", "red")
    today = timezone.localdate()
    themes = client.get(
        "/api/v1/audits/themes/",
        {"template": "cla_review", "start": today - timedelta(days=6), "end": today},
    ).json()
    assert themes["current"]["rag"] == {"red": 1, "amber": 0, "green": 1}
    assert themes["current"]["completion"] == {"expected": 0, "audited": 0, "pct": None}
    question = next(q for q in themes["questions"] if q["code"] == "pep_available")
    assert question["yes_pct"] == 50.0
    client.force_login(people["charlie"])
    assert client.get("/api/v1/audits/themes/", {"template": "cla_review"}).status_code == 403
    charlie = client.get("/api/v1/audits/").json()
    charlie_rows = charlie["results"]
    assert all(row["child"] == other_child.pk for row in charlie_rows)


def test_the_chair_audits_a_meeting_from_its_own_page(client, child, people):
    today = timezone.localdate()
    review = held_review(child, due=today, held=today, decisions_due=today, record_due=today)
    conference = held_conference(child, due=today, held=today, chair=people["alice"])
    client.force_login(people["alice"])
    for page, start in [
        (reverse("reviews:detail", args=[review.pk]), "audits:start_review"),
        (reverse("conferences:detail", args=[conference.pk]), "audits:start_conference"),
    ]:
        action = reverse(start, args=[review.pk if "review" in start else conference.pk])
        assert f'action="{action}"' in client.get(page).content.decode()
        assert client.post(action).status_code == 302
    assert Audit.objects.filter(review=review).exists()
    assert Audit.objects.filter(conference=conference).exists()
    client.force_login(people["bob"])  # not the chair: no button
    assert (
        "Audit this review"
        not in client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    )
