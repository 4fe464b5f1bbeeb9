"""Request clean-up shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.utils.cache import add_never_cache_headers

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


# Every page of Vangnet is read with GET (HEAD is the same read without the body) and changed with
# POST. Anything else (OPTIONS, TRACE, PUT, PATCH, DELETE, CONNECT, made-up verbs) would fall into a
# view's "not POST, so render the page" branch and show the record without the audit a GET writes.
ALLOWED_METHODS = ("GET", "HEAD", "POST")


class AllowedMethodsMiddleware:
    """Refuse every HTTP method other than GET, HEAD and POST with 405, before any view runs.

    Which of GET and POST a view takes is declared on the view itself (require_GET, require_POST,
    require_http_methods); this is the site-wide floor under those, so a view that forgets its
    declaration still never answers OPTIONS or TRACE with a page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing shown to a signed-in user is kept in a browser or proxy cache.

    Every page behind the sign-in can carry person data (names, birth dates, addresses, BSN), and
    so can the exports and documents; `Cache-Control: no-store` keeps them out of the back/forward
    cache and off a shared computer's disk once the user has signed out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            add_never_cache_headers(response)
        return response
