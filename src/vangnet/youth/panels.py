"""Modules add sections ("panels") to the youth detail page without the youth app knowing them.

A module registers a function in its AppConfig.ready():

    from vangnet.youth.panels import register_panel
    register_panel(order=20, panel=my_panel)

where my_panel(request, youth, enrolment) returns None (nothing to show) or a
(template_name, context) pair. Panels are rendered in ascending order below the personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[HttpRequest, Any, Any], tuple[str, dict[str, Any]] | None]
_PANELS: list[tuple[int, Panel]] = []


def register_panel(*, order: int, panel: Panel) -> None:
    if all(p is not panel for _, p in _PANELS):
        _PANELS.append((order, panel))
        _PANELS.sort(key=lambda item: item[0])


def render_panels(request: HttpRequest, youth: Any, enrolment: Any) -> list[SafeString]:
    rendered = []
    for _, panel in _PANELS:
        result = panel(request, youth, enrolment)
        if result is not None:
            template, context = result
            context = {"youth": youth, "enrolment": enrolment, **context}
            rendered.append(mark_safe(render_to_string(template, context, request=request)))  # noqa: S308
    return rendered
