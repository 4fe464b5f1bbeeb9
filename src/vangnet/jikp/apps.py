from django.apps import AppConfig


class JikpConfig(AppConfig):
    name = "vangnet.jikp"
    verbose_name = "JIKP"
