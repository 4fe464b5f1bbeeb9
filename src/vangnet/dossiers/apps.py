from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "vangnet.dossiers"
    verbose_name = "Digitaal Doorstroomdossier"
