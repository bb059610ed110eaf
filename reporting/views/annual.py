"""The IRO annual report: the page, its PDF for the corporate parenting board, the JSON API,
the 0-17 population page and the commentary sections (issue 9).

Aggregate figures only, for the IRO service manager, heads of service, the director,
performance staff and administrators (``Action.ANNUAL_REPORT_READ`` in ``iro_service.core.policy``).
No child is named anywhere in the report; restricted children are counted in the totals
like every other child, since a count does not disclose who they are.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from iro_service.core.errors import ApplicationError
from reporting.annual import annual_metrics, annual_report, default_year
from reporting.annual_forms import CommentaryForm, PopulationForm, YearForm
from reporting.annual_services import (
    can_read_report,
    can_set_population,
    can_write_commentary,
    commentary_set,
    population_set,
)
from reporting.metrics.periods import reporting_year
from reporting.models import Population, ReportCommentary


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def annual_choose(request: HttpRequest) -> HttpResponse:
    """``/reports/annual/?year=Y`` goes to that year's report; without one, the latest
    reporting year that has ended."""
    _require(can_read_report(request.user))
    form = YearForm(request.GET or {"year": default_year(timezone.localdate())})
    if form.is_valid():
        return redirect("reporting:annual-report", year=form.cleaned_data["year"])
    return render(request, "reporting/annual/choose.html", {"form": form}, status=400)


def _context(request: HttpRequest, year: int) -> dict[str, object]:
    if not 2000 <= year <= 2100:
        raise Http404
    return {
        "report": annual_report(year),
        "sections": ReportCommentary.Section.choices,
        "can_write": can_write_commentary(request.user),
        "can_set_population": can_set_population(request.user),
        "year_form": YearForm(initial={"year": year}),
    }


def annual_page(request: HttpRequest, year: int) -> HttpResponse:
    _require(can_read_report(request.user))
    return render(request, "reporting/annual/report.html", _context(request, year))


def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The report as a PDF (WeasyPrint renders the inline SVG charts)."""
    _require(can_read_report(request.user))
    from weasyprint import HTML  # imported here: slow to load and only used for PDFs

    context = _context(request, year) | {"generated": timezone.localtime()}
    html = render_to_string("reporting/annual/pdf.html", context)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    label = context["report"].label
    response["Content-Disposition"] = f'attachment; filename="iro-annual-report-{label}.pdf"'
    return response


def commentary_edit(request: HttpRequest, year: int, section: str) -> HttpResponse:
    _require(can_write_commentary(request.user))
    if section not in ReportCommentary.Section.values:
        raise Http404
    existing = ReportCommentary.objects.filter(year=year, section=section).first()
    form = CommentaryForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            commentary_set(
                year=year, section=section, text=form.cleaned_data["text"], by=request.user
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Commentary saved.")
            return redirect("reporting:annual-report", year=year)
    context = {
        "form": form,
        "year": year,
        "period": reporting_year(year),
        "section_label": ReportCommentary.Section(section).label,
    }
    return render(request, "reporting/annual/commentary.html", context)


def population(request: HttpRequest) -> HttpResponse:
    """The 0-17 population of each reporting year, and a form to enter or correct one."""
    _require(can_set_population(request.user))
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = population_set(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Population for {row} saved.")
            return redirect("reporting:population")
    rows = Population.objects.select_related("entered_by")
    return render(request, "reporting/annual/population.html", {"form": form, "rows": rows})


AnnualReportSchema = inline_serializer(
    "AnnualReport",
    {
        "year": serializers.IntegerField(),
        "period": inline_serializer(
            "AnnualReportPeriod", {"start": serializers.DateField(), "end": serializers.DateField()}
        ),
        "metrics": serializers.DictField(),
        "previous": serializers.DictField(),
    },
)


class AnnualReportApi(APIView):
    """``GET /api/v1/reports/annual/?year=Y``: every metric of the reporting year starting
    1 April Y, keyed as ANNUAL-REPORT-METRICS.md defines, with the year before."""

    @extend_schema(
        operation_id="reports_annual",
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                required=True,
                description="The year the reporting year starts: 2025 for 2025-26 (2000-2100).",
            )
        ],
        responses={200: AnnualReportSchema, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        if not can_read_report(request.user):
            raise ApiPermissionDenied("You cannot see the annual report.")
        form = YearForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({"year": form.errors["year"]})
        year = form.cleaned_data["year"]
        return Response(
            {
                "year": year,
                "period": reporting_year(year).as_dict(),
                "metrics": annual_metrics(year),
                "previous": annual_metrics(year - 1),
            }
        )
