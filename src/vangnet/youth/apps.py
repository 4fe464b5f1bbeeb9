from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "vangnet.youth"
    verbose_name = "Jongeren"
