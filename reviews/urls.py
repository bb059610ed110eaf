from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.my_reviews, name="mine"),
    path("all/", views.review_list, name="list"),
    path("to-schedule/", views.schedule_queue, name="schedule_queue"),
    path("decisions/", views.decision_tracker, name="decisions"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/book/", views.review_book, name="book"),
    path("<int:pk>/invitations/", views.review_invitations, name="invitations"),
    path("<int:pk>/invitations/send/", views.invitations_send, name="invitations_send"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/letter.pdf",
        views.invitation_letter,
        name="invitation_letter",
    ),
    path("<int:pk>/decisions.pdf", views.decisions_pdf, name="decisions_pdf"),
    path("<int:pk>/record/", views.review_record, name="record"),
    path("<int:pk>/amend/", views.review_amend, name="amend"),
    path("<int:pk>/draft/", views.review_draft, name="draft"),
    path("<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("<int:pk>/decisions/<int:decision_pk>/", views.decision_update, name="decision_update"),
    path("<int:pk>/circulate/", views.review_circulate, name="circulate"),
    path("<int:pk>/complete/", views.review_complete, name="complete"),
    path("<int:pk>/adjourn/", views.review_adjourn, name="adjourn"),
    path("<int:pk>/cancel/", views.review_cancel, name="cancel"),
    path("<int:pk>/early/", views.review_extra, name="extra"),
    path("<int:pk>/preparation/", views.review_preparation, name="preparation"),
    path("<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("<int:pk>/consultations/add/", views.consultation_add, name="consultation_add"),
    path("child/<int:child_pk>/footprint/", views.footprint_add, name="footprint_add"),
]
