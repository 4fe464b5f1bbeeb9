from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "vangnet.transfers"
    verbose_name = "Import en export"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the transfers.import permission)
