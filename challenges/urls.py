from django.urls import path

from challenges import clinic_views, cohort_views, views

app_name = "challenges"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("all/", views.all_challenges, name="list"),
    path("to-answer/", views.to_answer, name="to_answer"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.decide, name="decide"),
    path("themes/", views.themes, name="themes"),
    path("raise/", views.raise_challenge, name="raise"),
    path("raise/cohort/", cohort_views.raise_cohort, name="raise_cohort"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/cafcass/", views.refer, name="refer"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("referrals/<int:pk>/response/", views.cafcass_response, name="cafcass_response"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("clinics/", clinic_views.clinics, name="clinics"),
    path("clinics/schedule/", clinic_views.schedule, name="clinic_schedule"),
    path("clinics/<int:pk>/", clinic_views.detail, name="clinic"),
    path("clinics/<int:pk>/invitees/", clinic_views.invitees, name="clinic_invitees"),
    path("clinics/<int:pk>/send/", clinic_views.send, name="clinic_send"),
    path("clinics/<int:pk>/record/", clinic_views.record, name="clinic_record"),
    path("clinics/<int:pk>/cancel/", clinic_views.cancel, name="clinic_cancel"),
    path(
        "clinics/invitees/<int:pk>/remove/",
        clinic_views.invitee_remove,
        name="clinic_invitee_remove",
    ),
    path(
        "clinics/actions/<int:pk>/status/",
        clinic_views.action_status,
        name="clinic_action_status",
    ),
]
