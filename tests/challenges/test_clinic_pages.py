"""Challenge clinic pages and API: the service manager schedules, invites and records;
the panel and invitees read the clinic with only the children they may see; anyone else
gets a 404; a restricted child never appears off its allow-list; query counts do not grow
with challenges or clinics."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges import clinic_services
from challenges.clinic_services import ClinicActionInput
from challenges.models import Clinic, ClinicInvitee
from iro_service.core.forms import date_input_data
from reminders.models import EmailDelivery
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/challenge-clinics/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def clinic_url(clinic: Clinic, name: str = "challenges:clinic") -> str:
    return reverse(name, args=[clinic.pk])


def test_the_service_manager_schedules_a_clinic_from_the_form(people, raise_challenge):
    first, second = raise_challenge(), raise_challenge()
    client = signed_in(people["mandy"])
    form = client.get(f"{reverse('challenges:clinic_schedule')}?challenge={first.pk}")
    assert form.status_code == 200
    assert f'value="{first.pk}" checked' in form.text

    response = client.post(
        reverse("challenges:clinic_schedule"),
        {
            **date_input_data("day", timezone.localdate()),
            "start": "10:00",
            "end": "11:30",
            "online_link": "https://meet.example.org/clinic",
            "panel": [people["helen"].pk],
            "challenges": [first.pk, second.pk],
        },
    )

    clinic = Clinic.objects.get()
    assert response.status_code == 302 and response.url == clinic_url(clinic)
    assert set(clinic.challenges.all()) == {first, second}
    page = client.get(clinic_url(clinic)).text
    assert f"Challenge clinic {clinic.reference}" in page
    assert "Panel (head of service)" in page and str(people["terry"]) in page
    assert client.get(reverse("challenges:detail", args=[first.pk])).text.count(clinic.reference)


def test_the_schedule_form_says_what_is_missing(people, raise_challenge):
    raise_challenge()
    response = signed_in(people["mandy"]).post(
        reverse("challenges:clinic_schedule"),
        {**date_input_data("day", timezone.localdate()), "start": "10:00", "end": "09:00"},
    )
    body = response.text
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Choose at least one head of service for the panel." in body
    assert not Clinic.objects.exists()


def test_the_schedule_form_shows_the_services_message(people, raise_challenge):
    challenge = raise_challenge()
    response = signed_in(people["mandy"]).post(
        reverse("challenges:clinic_schedule"),
        {
            **date_input_data("day", timezone.localdate()),
            "start": "10:00",
            "end": "09:00",
            "venue": "Room 4",
            "panel": [people["helen"].pk],
            "challenges": [challenge.pk],
        },
    )
    assert "The clinic must end after it starts." in response.text
    assert not Clinic.objects.exists()


def test_only_the_service_manager_has_the_clinics_navigation_and_schedule_form(people):
    link = f'href="{reverse("challenges:clinics")}"'
    assert link in signed_in(people["mandy"]).get(reverse("challenges:mine")).text
    alice = signed_in(people["alice"])
    assert link not in alice.get(reverse("challenges:mine")).text
    assert alice.get(reverse("challenges:clinic_schedule")).status_code == 403


def test_the_list_shows_upcoming_and_past_clinics(people, schedule_clinic):
    upcoming = schedule_clinic(day=timezone.localdate() + timedelta(days=3))
    held = schedule_clinic()
    clinic_services.clinic_record(clinic=held, summary="x", findings={}, by=people["mandy"])
    body = signed_in(people["mandy"]).get(reverse("challenges:clinics")).text
    upcoming_part, past_part = body.split("Past clinics")
    assert upcoming.reference in upcoming_part and held.reference not in upcoming_part
    assert held.reference in past_part


@pytest.mark.parametrize(("persona", "status"), [("helen", 200), ("sarah", 200), ("terry", 200)])
def test_the_panel_and_invitees_read_the_clinic(people, schedule_clinic, persona, status):
    clinic = schedule_clinic()
    assert signed_in(people[persona]).get(clinic_url(clinic)).status_code == status
    assert signed_in(people[persona]).get(f"{API}{clinic.pk}/").status_code == status


@pytest.mark.parametrize("persona", ["bob", "charlie", "dora", "betty", "percy"])
def test_someone_not_involved_gets_a_404(people, schedule_clinic, persona):
    clinic = schedule_clinic()
    client = signed_in(people[persona])
    assert client.get(clinic_url(clinic)).status_code == 404
    assert client.get(f"{API}{clinic.pk}/").status_code == 404
    assert clinic.reference not in client.get(reverse("challenges:clinics")).text
    assert client.get(API).json()["count"] == 0


def test_an_invitee_reads_but_cannot_run_the_clinic(people, schedule_clinic):
    clinic = schedule_clinic()
    client = signed_in(people["sarah"])
    assert "Record the clinic" not in client.get(clinic_url(clinic)).text
    for name in ("challenges:clinic_record", "challenges:clinic_cancel"):
        assert client.get(clinic_url(clinic, name)).status_code == 403
    assert client.post(clinic_url(clinic, "challenges:clinic_send")).status_code == 403


def test_a_restricted_child_never_appears_off_its_allow_list(
    people, org, schedule_clinic, raise_challenge
):
    hidden = ChildFactory(
        first_name="Zqxhidden", team=org["team"], iro=people["alice"], social_worker=people["sarah"]
    )
    secret = raise_challenge(children=[hidden])
    visible = raise_challenge()
    clinic = schedule_clinic(challenges=[visible, secret])
    hidden.restricted = True
    hidden.save(update_fields=["restricted"])
    hidden.allowed_users.set([people["alice"]])

    for persona in ("mandy", "helen", "sarah"):
        client = signed_in(people[persona])
        page = client.get(clinic_url(clinic)).text
        assert visible.reference in page
        assert "Zqxhidden" not in page and secret.reference not in page, persona
        body = client.get(f"{API}{clinic.pk}/").json()
        assert [item["challenge"] for item in body["items"]] == [visible.pk]
        assert body["challenges"] == [visible.pk]
    assert "Zqxhidden" in signed_in(people["alice"]).get(clinic_url(clinic)).text

    only_hidden = schedule_clinic(
        challenges=[raise_challenge(children=[hidden])], by=people["mandy"]
    )
    assert signed_in(people["mandy"]).get(clinic_url(only_hidden)).status_code == 404
    assert signed_in(people["helen"]).get(f"{API}{only_hidden.pk}/").status_code == 404


def test_recording_from_the_page_puts_the_finding_on_the_childs_timeline(
    people, child, schedule_clinic
):
    clinic = schedule_clinic()
    item = clinic.items.get()
    client = signed_in(people["mandy"])
    assert client.get(clinic_url(clinic, "challenges:clinic_record")).status_code == 200
    due = timezone.localdate() + timedelta(days=10)
    response = client.post(
        clinic_url(clinic, "challenges:clinic_record"),
        {
            "version": clinic.version,
            "summary": "One plan drifting.",
            f"finding_{item.pk}": "Permanence plan overdue by six months.",
            f"action_{item.pk}_1_text": "Book the permanence meeting",
            f"action_{item.pk}_1_owner": people["terry"].pk,
            **date_input_data(f"action_{item.pk}_1_due", due),
        },
    )
    assert response.status_code == 302
    child_page = client.get(reverse("children:detail", args=[child.pk])).text
    assert "Permanence plan overdue by six months." in child_page
    clinic_page = signed_in(people["terry"]).get(clinic_url(clinic)).text
    assert "Book the permanence meeting" in clinic_page and "Done<span" in clinic_page


def test_the_record_form_asks_for_an_owner_and_a_due_date(people, schedule_clinic):
    clinic = schedule_clinic()
    item = clinic.items.get()
    response = signed_in(people["mandy"]).post(
        clinic_url(clinic, "challenges:clinic_record"),
        {"version": clinic.version, "summary": "x", f"action_{item.pk}_1_text": "Do it"},
    )
    assert "Choose who owns action 1." in response.text
    assert "Enter when action 1 is due." in response.text
    assert Clinic.objects.get().status == Clinic.Status.SCHEDULED


def test_invitees_page_adds_and_removes_and_invitations_are_sent(people, schedule_clinic):
    clinic = schedule_clinic()
    client = signed_in(people["mandy"])
    response = client.post(
        clinic_url(clinic, "challenges:clinic_invitees"),
        {"user": people["bob"].pk, "role": "other"},
    )
    assert response.status_code == 302
    bob = ClinicInvitee.objects.get(clinic=clinic, user=people["bob"])
    client.post(reverse("challenges:clinic_invitee_remove", args=[bob.pk]))
    assert not ClinicInvitee.objects.filter(pk=bob.pk).exists()
    client.post(clinic_url(clinic, "challenges:clinic_send"))
    assert not clinic.invitees.filter(sent_at__isnull=True).exists()
    assert "Sent " in client.get(clinic_url(clinic)).text


def test_removing_an_invitee_from_the_page_says_whether_they_were_emailed(people, schedule_clinic):
    clinic = schedule_clinic()
    client = signed_in(people["mandy"])
    url = clinic_url(clinic, "challenges:clinic_invitees")
    assert "No invitations have been sent, so nobody you remove will be emailed." in (
        client.get(url).text
    )
    clinic_services.clinic_invitations_send(clinic=clinic, by=people["mandy"])
    clinic_services.clinic_invitee_add(
        clinic=clinic, user=people["bob"], role="other", by=people["mandy"]
    )
    assert "If you remove someone who was sent an invitation, they will be emailed" in (
        client.get(url).text
    )
    EmailDelivery.objects.all().delete()

    sarah = clinic.invitees.get(user=people["sarah"])
    page = client.post(
        reverse("challenges:clinic_invitee_remove", args=[sarah.pk]), follow=True
    ).text
    assert (
        f"{people['sarah']} removed from the invitees. They had been sent an invitation, so "
        "they have been sent a cancellation."
    ) in page
    bob = clinic.invitees.get(user=people["bob"])
    page = client.post(reverse("challenges:clinic_invitee_remove", args=[bob.pk]), follow=True).text
    assert (
        f"{people['bob']} removed from the invitees. No invitation had been sent to them, so "
        "nobody was emailed."
    ) in page
    assert list(EmailDelivery.objects.values_list("to_address", flat=True)) == [
        people["sarah"].email
    ]


def test_cancelling_from_the_page_needs_a_reason(people, schedule_clinic):
    clinic = schedule_clinic()
    client = signed_in(people["mandy"])
    url = clinic_url(clinic, "challenges:clinic_cancel")
    assert "No invitations have been sent, so nobody will be emailed." in client.get(url).text
    assert "Say why the clinic is cancelled." in client.post(url, {"version": 1}).text
    response = client.post(url, {"version": clinic.version, "reason": "Panel unavailable"})
    assert response.status_code == 302
    page = client.get(clinic_url(clinic)).text
    assert "Panel unavailable" in page
    assert (
        f"Clinic {clinic.reference} cancelled. No invitations had been sent, so nobody was emailed."
    ) in page


def test_cancelling_from_the_page_says_who_was_sent_a_cancellation(people, schedule_clinic):
    clinic = schedule_clinic()
    clinic_services.clinic_invitations_send(clinic=clinic, by=people["mandy"])
    clinic.refresh_from_db()
    client = signed_in(people["mandy"])
    url = clinic_url(clinic, "challenges:clinic_cancel")
    assert "The 4 people sent an invitation will be emailed" in client.get(url).text
    response = client.post(
        url, {"version": clinic.version, "reason": "Panel unavailable"}, follow=True
    )
    assert (
        f"Clinic {clinic.reference} cancelled. The 4 people invited have been sent a cancellation."
    ) in response.text
    assert EmailDelivery.objects.filter(subject__startswith="Cancelled").count() == 4


def test_one_person_told_of_a_cancellation_is_named_in_the_singular(people, schedule_clinic):
    clinic = schedule_clinic()
    mandy = people["mandy"]
    for invitee in clinic.invitees.exclude(role=ClinicInvitee.Role.PANEL):
        clinic_services.clinic_invitee_remove(invitee=invitee, by=mandy)
    clinic_services.clinic_invitations_send(clinic=clinic, by=mandy)
    clinic.refresh_from_db()
    client = signed_in(mandy)
    url = clinic_url(clinic, "challenges:clinic_cancel")
    assert "The 1 person sent an invitation will be emailed" in client.get(url).text
    response = client.post(url, {"version": clinic.version, "reason": "x"}, follow=True)
    assert "The 1 person invited has been sent a cancellation." in response.text


# Query counts ------------------------------------------------------------------------------


def _clinic_with(people, raise_challenge, schedule_clinic, org, n: int) -> Clinic:
    challenges = [
        raise_challenge(children=[ChildFactory(team=org["team"], iro=people["alice"])])
        for _ in range(n)
    ]
    clinic = schedule_clinic(challenges=challenges)
    items = list(clinic.items.all())
    due = timezone.localdate() + timedelta(days=5)
    clinic_services.clinic_record(
        clinic=clinic,
        summary="x",
        findings={item.pk: "finding" for item in items},
        actions=[ClinicActionInput(item.pk, "act", people["sarah"], due) for item in items],
        by=people["mandy"],
    )
    return clinic


def _count(user, url: str) -> int:
    client = signed_in(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_page_and_api_queries_do_not_grow_with_challenges_or_clinics(
    people, org, raise_challenge, schedule_clinic
):
    one = _clinic_with(people, raise_challenge, schedule_clinic, org, 1)
    ten = _clinic_with(people, raise_challenge, schedule_clinic, org, 10)
    for who in ("mandy", "helen"):
        user = people[who]
        assert _count(user, clinic_url(one)) == _count(user, clinic_url(ten)), who
        assert _count(user, f"{API}{one.pk}/") == _count(user, f"{API}{ten.pk}/"), who
    few = {
        who: (_count(people[who], reverse("challenges:clinics")), _count(people[who], API))
        for who in ("mandy", "helen")
    }
    for _ in range(9):
        _clinic_with(people, raise_challenge, schedule_clinic, org, 2)
    assert Clinic.objects.count() == 11
    many = {
        who: (_count(people[who], reverse("challenges:clinics")), _count(people[who], API))
        for who in ("mandy", "helen")
    }
    assert many == few
