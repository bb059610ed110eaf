from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:
        """Register the rules over the children app's records (CLA-11, CP-1, HEALTH-DUE,
        PEP-DUE), caseloads (CLA-16) and the calendar. Other apps register theirs in their
        own ``ready``."""
        from reminders.access_alerts import register_access_alerts
        from reminders.builtin import register_builtin_rules

        register_builtin_rules()
        register_access_alerts()
