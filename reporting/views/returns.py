"""The national returns pages: exports (choose a year and an export, download it; every
download is logged) and imports (upload files; a progress page that survives a reload and
ends with the summary or every error). For administrators, performance staff and the IRO
service manager; imports for administrators and the IRO service manager only."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from iro_service.core.errors import ApplicationError
from iro_service.core.policy import Action, may
from reporting.exports import EXPORTS
from reporting.exports.base import can_export, export_run
from reporting.imports.runs import (
    can_import,
    import_run_get_for_user,
    import_run_start,
    import_runs_recent,
)
from reporting.models import ExportRecord, ImportRun
from reporting.returns_forms import ExportForm, UploadForm

FINISHED = (ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED)
REFRESH_SECONDS = 2


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _render_exports(request: HttpRequest, form: ExportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "exports": list(EXPORTS.values()),
        "can_import": can_import(request.user),
        "recent": ExportRecord.objects.filter(by=request.user)[:10],
    }
    return render(request, "reporting/returns/exports.html", context, status=status)


def returns(request: HttpRequest) -> HttpResponse:
    """The exports page (nav "Returns")."""
    _require(may(request.user.roles, Action.RETURNS_PAGE))
    return _render_exports(request, ExportForm())


@require_POST
def export_download(request: HttpRequest) -> HttpResponse:
    _require(can_export(request.user))
    form = ExportForm(request.POST)
    if form.is_valid():
        name, fmt = form.chosen()
        try:
            produced = export_run(
                export=EXPORTS[name],
                year=form.cleaned_data["year"],
                file_format=fmt,
                by=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            response = HttpResponse(produced.content, content_type=produced.content_type)
            response["Content-Disposition"] = f'attachment; filename="{produced.filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return _render_exports(request, form, status=400)


def imports(request: HttpRequest) -> HttpResponse:
    """Upload files to import; a run is queued and its progress page shown."""
    _require(can_import(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_run_start(
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                files=form.file_contents(),
                by=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("reporting:import-run", pk=run.pk)
    context = {"form": form, "runs": import_runs_recent(user=request.user)}
    return render(request, "reporting/returns/imports.html", context)


def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of one import; refreshes itself until it ends (no JavaScript needed)."""
    run = import_run_get_for_user(user=request.user, pk=pk)
    finished = run.status in FINISHED
    percent = round(100 * run.rows_done / run.rows_total) if run.rows_total else 0
    context = {
        "run": run,
        "finished": finished,
        "percent": percent,
        "refresh_seconds": REFRESH_SECONDS,
        "summary": [
            (kind.replace("_", " ").capitalize(), counts) for kind, counts in run.summary.items()
        ],
    }
    return render(request, "reporting/returns/import_run.html", context)
