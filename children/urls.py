from django.urls import path

from children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/access-log/", views.child_access_log, name="access-log"),
    path("<int:pk>/restriction/", views.child_restriction, name="restriction"),
]
