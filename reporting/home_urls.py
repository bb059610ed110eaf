"""The home page, "/": each role's dashboard (included from ``iro_service.urls`` by name, so
the project does not import reporting)."""

from django.urls import path

from reporting.views import dashboards

urlpatterns = [path("", dashboards.home, name="home")]
