from django.apps import AppConfig


class JikpConfig(AppConfig):
    name = "vangnet.jikp"
    verbose_name = "JIKP"

    def ready(self) -> None:
        from . import panels

        panels.register()
