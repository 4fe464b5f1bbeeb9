"""The side menu of a signed-in student (core.context_processors.navigation uses it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

DDD_LIST_PATH = "/leerling/ddd/"


def student_nav_items() -> list[dict[str, str]]:
    return [
        {"label": _("My portal"), "url": reverse("students:home"), "name": "students:home"},
        {"label": _("My dossiers"), "url": DDD_LIST_PATH, "name": "ddd_student:list"},
    ]
