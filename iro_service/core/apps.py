from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iro_service.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from iro_service.core.middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="iro-session-started")
