"""The application's routes plus ``/bench/floor/``: a signed-in page that renders the base
template and issues no queries of its own (the framework floor every page is compared with).
Only served when DJANGO_SETTINGS_MODULE is ``bench.settings``."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("iro_service.urls")),
]
