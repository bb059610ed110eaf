"""Staff accounts and teams for system administrators. No case records are in the admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from people.models import Team, User


@admin.register(User)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "team", "fte", "is_active"]
    list_filter = ["is_active", "groups", "team"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "job_title", "team", "fte"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "parent", "manager"]
    list_filter = ["level"]
    search_fields = ["name"]
    autocomplete_fields = ["manager", "parent"]
