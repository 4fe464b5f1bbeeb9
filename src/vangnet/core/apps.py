from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vangnet.core"
    verbose_name = "Kern"
