from django.urls import path

from retention import views

app_name = "retention"
urlpatterns = [
    path("", views.records, name="records"),
    path("records.csv", views.records_csv, name="records-csv"),
    path("schedule/", views.rules, name="rules"),
    path("schedule/change/", views.rules_edit, name="rules-edit"),
    path("legal-holds/", views.holds, name="holds"),
    path("legal-holds/<int:pk>/lift/", views.hold_lift, name="hold-lift"),
    path("children/<int:pk>/", views.child, name="child"),
    path("children/<int:pk>/legal-hold/", views.hold_place, name="hold-place"),
    path("children/<int:pk>/destroy/", views.destruction_request, name="destruction-request"),
    path("destruction-requests/", views.requests, name="requests"),
    path("destruction-requests/<int:pk>/", views.request_decide, name="request"),
    path("destruction-log/", views.log, name="log"),
]
