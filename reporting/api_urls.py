"""Reporting's routes under /api/v1/reports/ (included by ``iro_service.api_urls`` by name,
so that nothing imports the reporting app)."""

from django.urls import path

from reporting.views import annual

urlpatterns = [
    path("annual/", annual.AnnualReportApi.as_view(), name="reports-annual"),
]
