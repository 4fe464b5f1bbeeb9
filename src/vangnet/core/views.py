from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vangnet.organisations import selectors as org_selectors
from vangnet.youth import selectors as youth_selectors

from . import roles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = youth_selectors.youth_dashboard_counts(user=request.user)
    return render(request, "core/home.html", {"counts": counts})


@login_required
def general(request: HttpRequest) -> HttpResponse:
    """Algemeen: users (for administrators) and the contacts of the region."""
    contacts = org_selectors.designated_contacts_for_user(user=request.user)
    return render(
        request,
        "core/general.html",
        {"contacts": contacts, "is_admin": roles.is_org_admin(request.user)},
    )


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


def two_factor_disable_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/403.html", status=403)
