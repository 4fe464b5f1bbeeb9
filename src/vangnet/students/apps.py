from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "vangnet.students"
    verbose_name = "Leerlingenportaal"
