"""The SSDA903 export (DATA-FORMATS.md 5.2.1) and the round trip export -> import."""

import io
import zipfile

import pytest
from django.urls import reverse

from children.models import Child
from people.roles import Role
from reporting.exports import EXPORTS
from reporting.exports.base import export_run
from reporting.exports.ssda903 import ssda903_files
from reporting.imports.ssda903 import import_ssda903
from reporting.models import ExportRecord
from tests.conftest import make_user
from tests.reporting import ssda903_samples as sample

pytestmark = pytest.mark.django_db

NAMES = ("SSDA903_2025_header.csv", "SSDA903_2025_episodes.csv", "SSDA903_2025_reviews.csv")


@pytest.fixture
def imported(people):
    import_ssda903(sample.files(), year=sample.YEAR, by=None)


def test_files_are_named_by_the_year_the_collection_ends(imported, people):
    assert tuple(ssda903_files(2024, people["mandy"])) == NAMES


def test_header_lines_are_byte_exact_utf8_without_bom_with_crlf(imported, people):
    files = ssda903_files(2024, people["mandy"])
    first_lines = [content.split(b"\r\n", 1)[0] for content in files.values()]
    assert first_lines == [
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
        b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
        b"CHILD,DOB,REVIEW,REVIEW_CODE",
    ]
    assert all(not content.startswith(b"\xef\xbb\xbf") for content in files.values())
    assert all(content.count(b"\n") == content.count(b"\r\n") for content in files.values())


def test_the_example_return_comes_back_byte_for_byte(imported, people):
    """Episodes and Reviews exactly as DATA-FORMATS.md 1.10; the Header too, except MOTHER,
    which the service does not keep (left blank)."""
    files = ssda903_files(2024, people["mandy"])
    assert files[NAMES[1]] == sample.EPISODES.encode()
    assert files[NAMES[2]] == sample.REVIEWS.encode()
    assert files[NAMES[0]] == sample.HEADER.replace(",0,\r\n", ",,\r\n").encode()


def test_dates_are_dd_mm_yyyy_zero_padded(imported, people):
    reviews = ssda903_files(2024, people["mandy"])[NAMES[2]].decode().splitlines()
    assert reviews[3] == "FAKE002,02/09/2016,04/06/2024,PN6"


def test_a_year_holds_episodes_open_in_it_and_reviews_held_in_it(people):
    reviews = sample.REVIEWS + "FAKE001,14/06/2012,29/02/2024,PN1\r\n"
    import_ssda903(sample.files(reviews=reviews), year=2024, by=None)

    earlier = ssda903_files(2023, people["mandy"])
    # 2023-24: only FAKE001 was looked after (from 05/02/2024); its review of 29/02/2024.
    assert earlier["SSDA903_2024_header.csv"].decode().splitlines()[1:] == [
        "FAKE001,2,14/06/2012,WBRI,J999000012001,,"
    ]
    # Still open on 31 March 2024: its end (15/07/2024, X1) belongs to 2024-25's return (385).
    assert earlier["SSDA903_2024_episodes.csv"].decode().splitlines()[1:] == [
        "FAKE001,05/02/2024,S,C1,N1,U6,PR1,,,,ZZ1 1AA,ZZ2 2BB,9990001"
    ]
    assert earlier["SSDA903_2024_reviews.csv"].decode().splitlines()[1:] == [
        "FAKE001,14/06/2012,29/02/2024,PN1"
    ]
    assert b"29/02/2024" not in ssda903_files(2024, people["mandy"])[NAMES[2]]


def test_sex_is_written_as_1_and_2_before_2024_25(people):
    import_ssda903(sample.files(), year=2024, by=None)
    header = ssda903_files(2023, people["mandy"])["SSDA903_2024_header.csv"].decode()
    assert header.splitlines()[1].startswith("FAKE001,2,14/06/2012,")


def test_a_restricted_child_is_exported_only_for_its_allow_list(imported, people):
    fake2 = Child.objects.get(la_child_id="FAKE002")
    fake2.restricted = True
    fake2.save(update_fields=["restricted"])
    allowed = make_user("ursula", Role.IRO_MANAGER)
    fake2.allowed_users.add(allowed)

    for_mandy = ssda903_files(2024, people["mandy"])
    for_ursula = ssda903_files(2024, allowed)

    assert all(b"FAKE002" not in content for content in for_mandy.values())
    assert all(b"FAKE002" in content for content in for_ursula.values())


def test_a_social_worker_exports_only_their_teams_children(imported, people, org):
    Child.objects.filter(la_child_id="FAKE003").update(team=org["team"])  # not history: test setup
    files = ssda903_files(2024, people["sarah"])
    assert [line.split(",")[0] for line in files[NAMES[0]].decode().splitlines()] == [
        "CHILD",
        "FAKE003",
    ]


def test_every_export_is_logged(imported, people):
    produced = export_run(
        export=EXPORTS["ssda903"], year=2024, file_format="zip", by=people["mandy"]
    )
    record = ExportRecord.objects.get()
    assert (record.by, record.export, record.year, record.file_format, record.rows) == (
        people["mandy"],
        "ssda903",
        2024,
        "zip",
        3 + 5 + 4,
    )
    assert zipfile.ZipFile(io.BytesIO(produced.content)).namelist() == list(NAMES)


def test_the_exports_page_lists_every_registered_export_and_downloads(client, imported, people):
    client.force_login(people["mandy"])
    page = client.get(reverse("reporting:returns"))
    assert page.status_code == 200
    for export in EXPORTS.values():
        assert export.label in page.content.decode()

    response = client.post(
        reverse("reporting:export-download"), {"export": "ssda903.zip", "year": "2024"}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="SSDA903_2025.zip"'
    assert ExportRecord.objects.filter(by=people["mandy"], export="ssda903").count() == 1


def test_people_who_do_not_produce_returns_cannot_export(client, people):
    client.force_login(people["alice"])
    assert client.get(reverse("reporting:returns")).status_code == 403
    response = client.post(
        reverse("reporting:export-download"), {"export": "ssda903.zip", "year": "2024"}
    )
    assert response.status_code == 403
    assert not ExportRecord.objects.exists()


def test_round_trip_export_then_import_into_an_empty_database_gives_the_same_records(people):
    import_ssda903(sample.files(), year=2024, by=None)
    before = sample.snapshot()

    summary = sample.export_and_reimport(year=2024, user=people["mandy"])

    assert summary["episodes"] == {"added": 5, "updated": 0}
    assert sample.snapshot() == before
