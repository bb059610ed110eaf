"""Dashboards, the annual report, and national return exports and imports."""

from django.urls import path

from reporting.views import annual, dashboards, returns

app_name = "reporting"
urlpatterns: list = [
    # Dashboards (reporting/views/dashboards.py)
    path("dashboard/iro/", dashboards.iro_dashboard, name="dashboard_iro"),
    path("dashboard/service/", dashboards.service_dashboard, name="dashboard_service"),
    path("dashboard/scheduling/", dashboards.support_dashboard, name="dashboard_support"),
    path("dashboard/caseload/", dashboards.drill_caseload, name="drill_caseload"),
    path(
        "dashboard/overdue-reviews/",
        dashboards.drill_overdue_reviews,
        name="drill_overdue_reviews",
    ),
    path(
        "dashboard/overdue-conferences/",
        dashboards.drill_overdue_conferences,
        name="drill_overdue_conferences",
    ),
    path(
        "dashboard/overdue-records/",
        dashboards.drill_overdue_records,
        name="drill_overdue_records",
    ),
    path(
        "dashboard/overdue-allocations/",
        dashboards.drill_overdue_allocation,
        name="drill_overdue_allocation",
    ),
    path("dashboard/timeliness/", dashboards.drill_timeliness, name="drill_timeliness"),
    path("dashboard/audits/", dashboards.drill_audits, name="drill_audits"),
    path("dashboard/caseload-settings/", dashboards.caseload_settings, name="caseload_settings"),
    # National returns: exports and imports (reporting/views/returns.py)
    path("returns/", returns.returns, name="returns"),
    path("returns/download/", returns.export_download, name="export-download"),
    path("imports/", returns.imports, name="imports"),
    path("imports/<int:pk>/", returns.import_run, name="import-run"),
    # The annual report (reporting/views/annual.py)
    path("annual/", annual.annual_choose, name="annual"),
    path("annual/<int:year>/", annual.annual_page, name="annual-report"),
    path("annual/<int:year>/pdf/", annual.annual_pdf, name="annual-report-pdf"),
    path(
        "annual/<int:year>/commentary/<slug:section>/",
        annual.commentary_edit,
        name="annual-commentary",
    ),
    path("population/", annual.population, name="population"),
]
