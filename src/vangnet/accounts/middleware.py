"""Session limits and mandatory two-step verification."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

SESSION_STARTED_KEY = "vangnet_session_started"
SESSION_ENDED_PARAM = "sessie_verlopen"
WAS_VERIFIED_KEY = "vangnet_verified"

# Paths a signed-in user may open before the two-step verification is done.
OPEN_PREFIXES = (
    "/account/login/",
    "/account/two_factor/setup/",
    "/account/two_factor/qrcode/",
    "/account/uitloggen/",
    "/account/wachtwoord/",
    "/static/",
    "/i18n/",
    "/health/",
)

# A student account (ADR 0003) signs in without a second factor and may open only these paths.
STUDENT_PREFIXES = ("/leerling/", "/static/", "/i18n/", "/account/uitloggen/")


def is_student(user: object) -> bool:
    return getattr(user, "kind", "") == "student"


class SessionLimitsMiddleware:
    """Ends a session after 12 hours, however active; idle expiry is SESSION_COOKIE_AGE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                student = is_student(user)
                logout(request)
                if student:
                    return redirect(f"{resolve_url('students:login')}?{SESSION_ENDED_PARAM}=1")
                # The message middleware runs after this one, so the login page shows the notice
                # from the query string instead of from the messages framework.
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?{SESSION_ENDED_PARAM}=1")
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """A signed-in user without a verified second factor can only set one up or sign out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_student(user):
            # No two-step verification for students; they are confined to the student portal.
            if request.path.startswith(STUDENT_PREFIXES):
                return self.get_response(request)
            return redirect("students:home")
        if user is not None and user.is_authenticated:
            if user.is_verified():
                if not request.session.get(WAS_VERIFIED_KEY):
                    request.session[WAS_VERIFIED_KEY] = True
            elif request.session.get(WAS_VERIFIED_KEY):
                # The session was verified with a device that has since been removed (an
                # administrator reset the two-step verification): sign in again from scratch,
                # so that a new device is only ever linked after the password has been given.
                logout(request)
                return redirect(settings.LOGIN_URL)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            from django_otp import user_has_device

            if user_has_device(user):
                logout(request)
                return redirect(settings.LOGIN_URL)
            return redirect("two_factor:setup")
        return self.get_response(request)
