"""Request clean-up shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse, QueryDict

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict


class StripNullCharactersMiddleware:
    """NUL characters are dropped from the query string before any view reads it.

    Views read filters such as ``?q=`` straight from request.GET; PostgreSQL refuses text with a
    NUL byte, so without this ``?q=%00`` would be a 500. No person types a NUL, so removing it
    is the same as ignoring it. Forms already refuse one in POSTed fields (Django's
    ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cast("_ImmutableQueryDict", cleaned)
        return self.get_response(request)
