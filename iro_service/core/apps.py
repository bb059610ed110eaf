from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iro_service.core"
    label = "core"
    verbose_name = "Core"
