from django.urls import path

from conferences import views

app_name = "conferences"
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/", views.queue, name="queue"),
    path("calendar/", views.calendar, name="calendar"),
    path("chasing/", views.chasing, name="chasing"),
    path("mine/", views.mine, name="mine"),
    path("unavailability/", views.unavailability, name="unavailability"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_pk>/core-groups/", views.core_group_add, name="core_group_add"),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("request/<int:child_pk>/", views.request_conference, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/invitations/", views.invitation_add, name="invitation_add"),
    path("invitations/<int:pk>/sent/", views.invitation_send, name="invitation_send"),
    path("<int:pk>/reports/", views.report_add, name="report_add"),
    path("reports/<int:pk>/received/", views.report_received, name="report_received"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/record/draft/", views.record_draft, name="record_draft"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/amend/draft/", views.amend_draft, name="amend_draft"),
    path("<int:pk>/circulate/", views.circulate, name="circulate"),
    path("<int:pk>/outcome.pdf", views.outcome_pdf, name="outcome_pdf"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]
