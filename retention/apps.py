from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Records retention"

    def ready(self) -> None:
        """Follow changes to children's records, log views of a child's retention page, and
        tell information governance officers when a destruction awaits their approval."""
        from children.services import register_record_change_hook
        from iro_service.core.access_log import register_route
        from reminders.registry import register
        from retention.reminders import RULE
        from retention.services import retention_follow

        register_record_change_hook(retention_follow)
        register_route("retention:child", record_type="child retention")
        register(RULE)
