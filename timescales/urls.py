from django.urls import path

from timescales import views

app_name = "timescales"
urlpatterns = [
    path("", views.rules, name="rules"),
    path("local-values/", views.local_value_add, name="local-value-add"),
    path("non-working-days/", views.extra_day_add, name="extra-day-add"),
    path("non-working-days/<int:pk>/remove/", views.extra_day_remove, name="extra-day-remove"),
]
