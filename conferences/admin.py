"""The managed list of rooms (and a view of chair unavailability) for administrators."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conferences.models import ChairUnavailability, Room


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ["name", "capacity", "online_link", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


@admin.register(ChairUnavailability)
class ChairUnavailabilityAdmin(SimpleHistoryAdmin):
    list_display = ["chair", "date", "reason"]
    list_filter = ["reason"]
    date_hierarchy = "date"
