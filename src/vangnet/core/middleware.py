"""Request checks shared by every page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RejectNullCharactersMiddleware:
    """A NUL character in the query string gets the (Dutch) 400 page.

    Views read filters such as ``?q=`` straight from request.GET; PostgreSQL refuses text with a
    NUL byte, so without this check ``?q=%00`` would be a 500. No person types a NUL, and forms
    already refuse one in POSTed fields (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL character in the query string")
        return self.get_response(request)
