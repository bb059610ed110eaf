"""Audit pages."""

from django.urls import path

from audits import template_views, views

app_name = "audits"
urlpatterns = [
    path("", views.audits_due, name="due"),
    path("completed/", views.my_audits, name="mine"),
    path("recommendations/", views.my_recommendations, name="recommendations"),
    path("findings/", views.findings, name="findings"),
    path("themes/", views.themes, name="themes"),
    path("themes.csv", views.themes_csv, name="themes_csv"),
    path("review/<int:review_pk>/start/", views.start_review, name="start_review"),
    path("conference/<int:conference_pk>/start/", views.start_conference, name="start_conference"),
    path("<int:pk>/", views.audit_detail, name="detail"),
    path("<int:pk>/edit/", views.audit_edit, name="edit"),
    path("<int:pk>/draft/", views.audit_draft, name="draft"),
    path("<int:pk>/recommend/", views.recommend, name="recommend"),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/done/",
        views.recommendation_done,
        name="recommendation_done",
    ),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<int:pk>/", template_views.template_detail, name="template_detail"),
    path(
        "templates/<int:pk>/settings/", template_views.template_settings, name="template_settings"
    ),
    path("templates/<int:pk>/new-version/", template_views.version_new, name="version_new"),
    path(
        "templates/<int:pk>/v<int:number>/questions/add/",
        template_views.question_edit,
        name="question_add",
    ),
    path(
        "templates/<int:pk>/v<int:number>/questions/<int:question_pk>/",
        template_views.question_edit,
        name="question_edit",
    ),
    path(
        "templates/<int:pk>/v<int:number>/questions/<int:question_pk>/remove/",
        template_views.question_remove,
        name="question_remove",
    ),
    path(
        "templates/<int:pk>/v<int:number>/publish/",
        template_views.version_publish,
        name="version_publish",
    ),
]
