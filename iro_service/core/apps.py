from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iro_service.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import Field, ForeignObject

        from iro_service.core.lookups import AnyOf
        from iro_service.core.middleware import session_started

        for fields in (Field, ForeignObject):  # relations keep their own lookups
            fields.register_lookup(AnyOf)

        user_logged_in.connect(session_started, dispatch_uid="iro-session-started")
