from django.urls import path

from children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/access-log/", views.child_access_log, name="access-log"),
    path(
        "<int:pk>/health-assessments/new/",
        views.care_check_add,
        {"record": "health"},
        name="health-assessment-add",
    ),
    path("<int:pk>/peps/new/", views.care_check_add, {"record": "pep"}, name="pep-add"),
    path("<int:pk>/restriction/", views.child_restriction, name="restriction"),
    path("<int:pk>/birth/", views.birth_record, name="birth"),
    path("<int:pk>/connection/", views.conflict_declare, name="conflict-declare"),
    path("connections/", views.conflicts, name="conflicts"),
    path("connections/<int:pk>/reviewed/", views.conflict_review, name="conflict-review"),
    path("open/", views.open_with_reason, name="open"),
    path("opened-outside-teams/", views.out_of_relationship, name="out-of-relationship"),
]
