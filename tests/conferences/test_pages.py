"""Conference pages: who sees what, the forms end to end without JavaScript, and the
query counts of the calendar and the lists."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences import services
from conferences.models import Conference
from iro_service.core.forms import date_input_data
from tests.conferences.factories import (
    QUORATE,
    at,
    attend,
    booked,
    held_with_plan,
    requested_icpc,
    room,
)
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_requests_awaiting_a_date_lists_soonest_due_first(child, people, org):
    later = requested_icpc(child, people)
    other = ChildFactory(team=org["team"], first_name="Sooner")
    from children import services as child_services

    s47 = child_services.s47_record(
        child=other,
        start_date=date(2026, 2, 2),
        strategy_discussion_date=date(2026, 2, 2),
        by=people["sarah"],
    )
    sooner = services.conference_request_icpc(enquiry=s47, by=people["sarah"])
    response = client_for(people["betty"]).get(reverse("conferences:queue"))
    assert response.status_code == 200
    page = list(response.context["page_obj"])
    assert page == [sooner, later]


def test_another_teams_social_worker_gets_404_for_a_conference(child, people):
    conference = requested_icpc(child, people)
    response = client_for(people["charlie"]).get(
        reverse("conferences:detail", args=[conference.pk])
    )
    assert response.status_code == 404
    assert (
        client_for(people["sarah"])
        .get(reverse("conferences:detail", args=[conference.pk]))
        .status_code
        == 200
    )


def test_restricted_childs_conference_is_absent_from_queue_and_calendar(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    betty = client_for(people["betty"])
    calendar_url = reverse("conferences:calendar") + "?start=2026-03-16"
    assert child.full_name in betty.get(calendar_url).content.decode()
    child.restricted = True
    child.save(update_fields=["restricted"])
    assert betty.get(reverse("conferences:detail", args=[conference.pk])).status_code == 404
    assert child.full_name not in betty.get(calendar_url).content.decode()
    assert child.full_name not in betty.get(reverse("conferences:queue")).content.decode()


def test_social_worker_requests_an_icpc_from_the_childs_page(child, people):
    from tests.conferences.factories import enquiry

    s47 = enquiry(child, people["sarah"])
    sarah = client_for(people["sarah"])
    assert (
        "Request a conference"
        in sarah.get(reverse("children:detail", args=[child.pk])).content.decode()
    )
    response = sarah.post(
        reverse("conferences:request", args=[child.pk]), {"kind": "icpc", "enquiry": s47.pk}
    )
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert conference.original_due_date == date(2026, 3, 23)


def test_request_form_shows_errors_in_the_summary(child, people):
    response = client_for(people["sarah"]).post(
        reverse("conferences:request", args=[child.pk]), {"kind": "transfer_in"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Enter the date we were told of the move." in response.content.decode()


def test_business_support_books_a_conference_with_the_form(child, people):
    conference = requested_icpc(child, people)
    meeting_room = room()
    betty = client_for(people["betty"])
    url = reverse("conferences:book", args=[conference.pk])
    data = {
        "chair": people["alice"].pk,
        **date_input_data("day", date(2026, 3, 18)),
        "start": "10:00",
        "end": "12:00",
        "room": meeting_room.pk,
        "online_link": "",
        "late_reason": "",
    }
    assert betty.post(url, data).status_code == 302
    conference.refresh_from_db()
    assert conference.scheduled_start == at(date(2026, 3, 18))
    # The chair is now busy: a second booking at the same time is refused on the form.
    other = requested_icpc(ChildFactory(team=org_team(child)), people)
    response = betty.post(reverse("conferences:book", args=[other.pk]), data)
    assert response.status_code == 200
    assert "is already booked at that time" in response.content.decode()


def org_team(child):
    return child.team


def test_social_worker_cannot_book(child, people):
    conference = requested_icpc(child, people)
    response = client_for(people["sarah"]).get(reverse("conferences:book", args=[conference.pk]))
    assert response.status_code == 403


def test_chair_records_a_plan_with_the_form(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    attendance = attend(conference, people, QUORATE)
    mandy = client_for(people["mandy"])
    url = reverse("conferences:record", args=[conference.pk])
    assert mandy.get(url).status_code == 200
    data = {f"attendance_{pk}": "attended" for pk in attendance}
    data |= {
        "child_participation": "too_young",
        "decision": "plan",
        "categories": ["NEG", "EMO"],
        "outline_plan": "Plan",
        "record": "",
    }
    response = mandy.post(url, data)
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == "held"
    assert conference.cp_plan.start_date == date(2026, 3, 18)
    detail = mandy.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Census: MUL" in detail


def test_save_draft_without_javascript_keeps_the_text(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    url = reverse("conferences:record", args=[conference.pk])
    response = client_for(people["mandy"]).post(
        url, {"minutes": "Started writing", "draft": ""}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert re.search(r"Draft saved at \d{1,2}:\d\d(am|pm)", response.text)
    conference.refresh_from_db()
    assert (conference.minutes, conference.status) == ("Started writing", "scheduled")


def test_htmx_draft_endpoint_saves_and_answers_with_the_time(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    response = client_for(people["mandy"]).post(
        reverse("conferences:record_draft", args=[conference.pk]),
        {"child_views": "Wants to stay at school"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert re.fullmatch(r"Draft saved at \d{1,2}:\d\d(am|pm)", response.text.strip())
    # The record is its own draft: the form offers no "Discard draft" (the amend form does).
    assert "Discard draft" not in response.text
    conference.refresh_from_db()
    assert conference.child_views == "Wants to stay at school"


def test_another_chair_cannot_open_the_record_form(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    assert (
        client_for(people["bob"])
        .get(reverse("conferences:record", args=[conference.pk]))
        .status_code
        == 403
    )


def test_childs_page_shows_the_rcpc_request_with_its_due_date(child, people):
    held_with_plan(child, people)
    page = client_for(people["sarah"]).get(reverse("children:detail", args=[child.pk]))
    content = page.content.decode()
    assert "Review conference" in content
    assert "18 Jun 2026" in content


def test_chasing_lists_overdue_reports(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    services.report_request(conference=conference, agency="health", by=people["betty"])
    response = client_for(people["betty"]).get(reverse("conferences:chasing"))
    assert [r.agency for r in response.context["reports"]] == ["health"]


def test_timeliness_marks_a_late_icpc_against_the_original_due_date(child, people):
    conference = booked(
        requested_icpc(child, people), people, day=date(2026, 3, 25), late_reason="family_request"
    )
    services.conference_record_outcome(
        conference=conference,
        by=people["mandy"],
        attendance=attend(conference, people, QUORATE),
        child_participation="too_young",
        decision="no_plan",
    )
    response = client_for(people["mandy"]).get(
        reverse("conferences:timeliness") + "?conference_type=icpc"
    )
    row = response.context["page_obj"][0]
    assert (row.verdict.status, row.verdict.days_late) == ("late", 2)
    assert "Late by 2 working days" in response.content.decode()


def test_plan_lists_show_repeat_and_long_plans(child, people, org):
    from children import services as child_services

    services_child = ChildFactory(team=org["team"])
    old = child_services.cp_plan_start(
        child=services_child, start_date=date(2023, 1, 9), categories=["NEG"], by=people["betty"]
    )
    child_services.cp_plan_end(
        plan=old, end_date=date(2023, 6, 1), reason="no_longer_at_risk", by=people["betty"]
    )
    child_services.cp_plan_start(
        child=services_child, start_date=date(2024, 1, 8), categories=["PHY"], by=people["betty"]
    )
    mandy = client_for(people["mandy"])
    repeat = mandy.get(reverse("conferences:plans") + "?list=repeat").context["page_obj"]
    assert [p.child for p in repeat] == [services_child]
    long = mandy.get(reverse("conferences:plans") + "?list=2y").context["page_obj"]
    assert [p.start_date for p in long] == [date(2024, 1, 8)]


# Query counts ----------------------------------------------------------------------------


def _make_booked(people, org, n: int, start_day: date, offset: int = 0) -> None:
    for i in range(offset, offset + n):
        child = ChildFactory(team=org["team"])
        from tests.conferences.factories import enquiry

        conference = services.conference_request_icpc(
            enquiry=enquiry(child, people["sarah"]), by=people["sarah"]
        )
        day = start_day + timedelta(days=i % 5)
        services.conference_schedule(
            conference=conference,
            chair=people["mandy"] if i % 2 else people["bob"],
            start=at(day, 8 + (i // 10)),
            end=at(day, 8 + (i // 10), 30),
            online_link="https://meet.example.org/x",
            by=people["betty"],
        )
        services.report_request(conference=conference, agency="police", by=people["betty"])
        services.invitation_add(
            conference=conference, name="P", agency="police", by=people["betty"]
        )


def _count(user, url: str) -> int:
    client = client_for(user)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("conferences:calendar") + "?start=2026-03-16",
        reverse("conferences:queue"),
        reverse("conferences:chasing"),
        reverse("conferences:mine"),
        reverse("conferences:plans") + "?list=repeat",
        reverse("conferences:timeliness"),
    ],
)
def test_list_queries_do_not_grow_with_rows(people, org, url):
    room()
    _make_booked(people, org, 1, date(2026, 3, 16))
    requested_icpc(ChildFactory(team=org["team"]), people)
    one = _count(people["mandy"], url)
    _make_booked(people, org, 49, date(2026, 3, 16), offset=1)
    for _ in range(49):
        requested_icpc(ChildFactory(team=org["team"]), people)
    assert _count(people["mandy"], url) == one


def test_chair_enters_leave_and_is_then_shown_away_on_the_calendar(people):
    alice = client_for(people["alice"])
    response = alice.post(
        reverse("conferences:unavailability"),
        {
            "chair": people["alice"].pk,
            **date_input_data("day", date(2026, 3, 18)),
            "reason": "leave",
        },
    )
    assert response.status_code == 302
    calendar = client_for(people["betty"]).get(
        reverse("conferences:calendar") + "?start=2026-03-18&view=day"
    )
    row = next(r for r in calendar.context["chairs"] if r.chair == people["alice"])
    assert row.days[0]["away"] == "Leave"


def test_a_social_worker_cannot_enter_unavailability(people):
    assert client_for(people["sarah"]).get(reverse("conferences:unavailability")).status_code == 403


def test_business_support_cancels_with_a_reason(child, people):
    conference = requested_icpc(child, people)
    url = reverse("conferences:cancel", args=[conference.pk])
    betty = client_for(people["betty"])
    assert "There is a problem" in betty.post(url, {"reason": ""}).content.decode()
    assert betty.post(url, {"reason": "Enquiry ended"}).status_code == 302
    conference.refresh_from_db()
    assert conference.status == "cancelled"


def test_business_support_invites_asks_for_a_report_and_marks_it_received(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    betty = client_for(people["betty"])
    betty.post(
        reverse("conferences:invitation_add", args=[conference.pk]),
        {"invite-name": "Dr Patel", "invite-agency": "health", "invite-email": "p@nhs.example"},
    )
    invitation = conference.invitations.get()
    betty.post(reverse("conferences:invitation_send", args=[invitation.pk]))
    betty.post(reverse("conferences:report_add", args=[conference.pk]), {"report-agency": "health"})
    report = conference.reports.get()
    assert report.due_date == date(2026, 3, 16)
    betty.post(
        reverse("conferences:report_received", args=[report.pk]),
        date_input_data("received_on", date(2026, 3, 16)),
    )
    invitation.refresh_from_db()
    report.refresh_from_db()
    assert invitation.sent_at is not None
    assert report.received_on == date(2026, 3, 16)


def test_a_report_is_marked_received_with_a_date_input_per_report(child, people):
    conference = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    betty = client_for(people["betty"])
    betty.post(reverse("conferences:report_add", args=[conference.pk]), {"report-agency": "health"})
    report = conference.reports.get()
    page = betty.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Date received from Health</legend>" in page
    assert f'id="received-{report.pk}-received_on_day"' in page
    url = reverse("conferences:report_received", args=[report.pk])
    typed = {"received_on_day": "16", "received_on_month": "", "received_on_year": "2026"}
    page = betty.post(url, typed, follow=True).content.decode()
    assert "Date received must include a month" in page
    report.refresh_from_db()
    assert report.received_on is None


def test_a_missing_invitation_name_is_shown_in_the_error_summary(child, people):
    conference = requested_icpc(child, people)
    response = client_for(people["betty"]).post(
        reverse("conferences:invitation_add", args=[conference.pk]),
        {"invite-name": "", "invite-agency": "police"},
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_core_group_is_recorded_from_the_childs_page(child, people):
    conference = held_with_plan(child, people)
    response = client_for(people["sarah"]).post(
        reverse("conferences:core_group_add", args=[conference.cp_plan_id]),
        {**date_input_data("core-held_on", date(2026, 3, 30)), "core-attendance": "SW, school"},
    )
    assert response.status_code == 302
    assert conference.cp_plan.core_groups.get().rule_id == "CP-4"
    assert (
        client_for(people["charlie"])
        .post(
            reverse("conferences:core_group_add", args=[conference.cp_plan_id]),
            date_input_data("core-held_on", date(2026, 4, 2)),
        )
        .status_code
        == 404
    )


def test_childs_page_queries_do_not_grow_with_conferences(child, people):
    url = reverse("children:detail", args=[child.pk])
    held_with_plan(child, people)
    one = _count(people["mandy"], url)
    for n in range(3):
        rcpc = Conference.objects.get(conference_type="rcpc", status="requested")
        rcpc = booked(rcpc, people, day=date(2026, 6, 10) + timedelta(days=7 * n))
        services.conference_record_outcome(
            conference=rcpc,
            by=people["mandy"],
            attendance=attend(rcpc, people, QUORATE),
            child_participation="too_young",
            decision="continue",
            categories=["NEG"],
        )
    assert _count(people["mandy"], url) == one


def _held_repeat_plans(people, org, n: int, offset: int = 0) -> None:
    """``n`` children, each with an earlier ended plan and an ICPC that started a new one."""
    from children import services as child_services

    for i in range(offset, offset + n):
        child = ChildFactory(team=org["team"])
        old = child_services.cp_plan_start(
            child=child, start_date=date(2023, 1, 9), categories=["NEG"], by=people["betty"]
        )
        child_services.cp_plan_end(
            plan=old, end_date=date(2023, 6, 1), reason="no_longer_at_risk", by=people["betty"]
        )
        held_with_plan(
            child, people, day=date(2026, 3, 16) + timedelta(days=i % 5), hour=8 + i // 5
        )


@pytest.mark.parametrize(
    "url",
    [
        reverse("conferences:plans") + "?list=repeat",
        reverse("conferences:timeliness"),
        reverse("conferences:mine"),
        "/api/v1/conferences/",
    ],
)
def test_held_conference_lists_do_not_grow_with_rows(people, org, url):
    _held_repeat_plans(people, org, 1)
    one = _count(people["mandy"], url)
    _held_repeat_plans(people, org, 49, offset=1)
    assert _count(people["mandy"], url) == one


def test_my_conferences_separates_to_write_up_upcoming_and_outcomes_to_send(child, people, org):
    past = booked(requested_icpc(child, people), people, day=date(2026, 3, 18))
    from timescales.services import working_calendar

    future_day = working_calendar().next_working_day(timezone.localdate() + timedelta(days=30))
    future = booked(
        requested_icpc(ChildFactory(team=org["team"]), people),
        people,
        day=future_day,
        late_reason="late_request",
    )
    held = held_with_plan(ChildFactory(team=org["team"]), people, day=date(2026, 3, 19))
    context = client_for(people["mandy"]).get(reverse("conferences:mine")).context
    assert list(context["to_write_up"]) == [past]
    assert list(context["upcoming"]) == [future]
    assert list(context["outcomes_to_send"]) == [held]
    assert (
        list(client_for(people["bob"]).get(reverse("conferences:mine")).context["upcoming"]) == []
    )
