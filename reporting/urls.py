"""Dashboards, the annual report, and national return exports and imports."""

from django.urls import path  # noqa: F401

app_name = "reporting"
urlpatterns: list = []
