from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notification_list, name="list"),
    path("notifications/acknowledge/", views.notification_acknowledge, name="acknowledge"),
    path("notifications/settings/", views.preference_edit, name="settings"),
    path("notifications/calendar/", views.calendar_feed_change, name="calendar"),
    path("notifications/health/", views.health_page, name="health"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
