"""Import runs: upload -> Celery task (ids only) -> progress page -> summary or errors."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from children.models import Child
from iro_service.celery import app as celery_app
from reporting.imports import runs
from reporting.imports.runs import import_run_execute, import_run_start
from reporting.models import ImportFile, ImportRun
from tests.reporting import ssda903_samples as sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def _uploads(**tables: str) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, content, content_type="text/csv")
        for name, content in sample.files(**tables).items()
    ]


def _upload(client, django_capture_on_commit_callbacks, **tables: str):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("reporting:imports"),
            {"kind": "ssda903", "year": "2024", "files": _uploads(**tables)},
        )
    return response, callbacks


def test_upload_runs_the_task_and_the_progress_page_ends_with_the_summary(
    client, people, eager, django_capture_on_commit_callbacks
):
    client.force_login(people["mandy"])

    response, callbacks = _upload(client, django_capture_on_commit_callbacks)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:import-run", args=[run.pk])
    assert len(callbacks) == 1
    assert (run.status, run.started_by, run.year) == ("succeeded", people["mandy"], 2024)
    assert run.summary["episodes"] == {"added": 5, "updated": 0}
    assert run.rows_done == run.rows_total == 2 * (3 + 5 + 4)
    assert not ImportFile.objects.exists()  # the uploaded files are gone
    assert Child.objects.count() == 3

    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page
    assert "Periods of care" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing


def test_a_failed_upload_shows_every_error_and_imports_nothing(
    client, people, eager, django_capture_on_commit_callbacks
):
    client.force_login(people["mandy"])
    header = sample.HEADER.replace(",WBRI,", ",XXXX,")

    response, _ = _upload(client, django_capture_on_commit_callbacks, header=header)

    run = ImportRun.objects.get()
    assert run.status == "failed"
    assert run.errors == [
        {
            "file": "a.csv",
            "row": 2,
            "column": "ETHNIC",
            "rule": "903-103",
            "message": "'XXXX' is not an ethnicity code.",
        }
    ]
    assert not Child.objects.exists()
    assert not ImportFile.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page
    assert "903-103" in page and "ETHNIC" in page


def test_the_progress_page_refreshes_itself_until_the_run_ends(client, people):
    client.force_login(people["mandy"])
    run = import_run_start(kind="ssda903", year=2024, files=sample.files(), by=people["mandy"])

    page = client.get(reverse("reporting:import-run", args=[run.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting to start" in page
    ImportRun.objects.filter(pk=run.pk).update(status="running", rows_done=6, rows_total=24)
    page = client.get(reverse("reporting:import-run", args=[run.pk])).content.decode()
    assert "6 of 24 steps (25%)" in page


def test_a_run_is_executed_once_even_if_its_task_is_delivered_twice(people):
    run = import_run_start(kind="ssda903", year=2024, files=sample.files(), by=people["mandy"])

    assert import_run_execute(run.pk).status == "succeeded"
    assert import_run_execute(run.pk) is None
    assert Child.objects.count() == 3


def test_an_unexpected_error_fails_the_run_and_still_deletes_the_files(people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(runs.IMPORTERS, "ssda903", broken)
    run = import_run_start(kind="ssda903", year=2024, files=sample.files(), by=people["mandy"])

    run = import_run_execute(run.pk)

    assert run.status == "failed"
    assert run.errors[0]["rule"] == "APP-ERROR"
    assert not ImportFile.objects.filter(run=run).exists()


def test_progress_is_saved_at_most_every_second_or_n_rows(people, monkeypatch):
    run = ImportRun.objects.create(kind="ssda903", year=2024)
    saves = []
    saver = runs._ProgressSaver(run.pk)
    monkeypatch.setattr(saver, "_save", lambda done, total: saves.append(done))
    clock = iter([100.0, 100.1, 100.2, 101.5, 101.6, 101.7])
    monkeypatch.setattr(runs.time, "monotonic", lambda: next(clock))

    for done in (1, 2, 3, 4, 5, 10):
        saver(done, 10)

    assert saves == [1, 4, 10]  # the first, after a second, and the last


def test_only_administrators_and_the_iro_service_manager_can_import(client, people):
    run = ImportRun.objects.create(kind="ssda903", year=2024, started_by=people["mandy"])
    for name in ("alice", "charlie", "percy"):
        client.force_login(people[name])
        assert client.get(reverse("reporting:imports")).status_code == 403
        assert client.get(reverse("reporting:import-run", args=[run.pk])).status_code == 404


def test_the_upload_form_needs_a_year_for_the_903(client, people):
    client.force_login(people["mandy"])
    response = client.post(
        reverse("reporting:imports"), {"kind": "ssda903", "year": "", "files": _uploads()}
    )
    assert response.status_code == 200
    assert "Choose the collection year of the SSDA903 return" in response.content.decode()
    assert not ImportRun.objects.exists()


# The command ------------------------------------------------------------------------------


def _folder(tmp_path: Path, **tables: str) -> Path:
    for name, content in sample.files(**tables).items():
        (tmp_path / f"export_{name}").write_bytes(content)
    (tmp_path / "notes.txt").write_text("not a return")
    return tmp_path


def test_import_903_command_shows_progress_and_the_summary(tmp_path):
    out = io.StringIO()

    call_command("import_903", "--year", "2024", str(_folder(tmp_path)), stdout=out)

    text = out.getvalue()
    assert "SSDA903 2024-25" in text
    assert "24/24" in text  # the progress bar, complete: every row read and written
    assert "Episodes: 5 added, 0 updated" in text
    assert Child.objects.count() == 3


def test_import_903_command_lists_every_problem_and_imports_nothing(tmp_path):
    out = io.StringIO()
    header = sample.HEADER.replace(",WBRI,", ",XXXX,")

    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "import_903", "--year", "2024", str(_folder(tmp_path, header=header)), stdout=out
        )

    assert "903-103" in out.getvalue()
    assert not Child.objects.exists()
