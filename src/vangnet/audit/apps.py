from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vangnet.audit"
    verbose_name = "Audit"
