from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "vangnet.transfers"
    verbose_name = "Import en export"
