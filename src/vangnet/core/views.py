from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from vangnet.youth import selectors as youth_selectors

from . import roles
from .users import signed_in_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if roles.is_school_user(request.user):
        # §2 of the JIKP manual: schoolgoing youth, with and without perspective, to handle and
        # open samenwerkingen; each card opens the Schoolgaand list with matching filters.
        from vangnet.jikp import selectors as jikp_selectors

        user: Any = request.user
        school_counts = jikp_selectors.school_dashboard_counts(user=user)
        return render(request, "core/home.html", {"counts": {}, "school_counts": school_counts})
    counts = youth_selectors.youth_dashboard_counts(user=request.user)
    return render(request, "core/home.html", {"counts": counts})


GENERAL_TABS = ("contactgegevens", "documenten")


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def general(request: HttpRequest) -> HttpResponse:
    """Algemeen (seed 000 §8): users (administrators), contact details of the region, documents."""
    from vangnet.jikp import selectors as jikp_selectors
    from vangnet.jikp.forms_partner import DocumentForm
    from vangnet.organisations.models import Perspective

    tab = request.GET.get("tab", "")
    if tab not in GENERAL_TABS:
        tab = GENERAL_TABS[0]
    context: dict[str, Any] = {
        "tab": tab,
        "can_manage_users": request.user.has_perm("accounts.manage_users"),
    }
    if tab == "contactgegevens":
        user = signed_in_user(request)
        region = jikp_selectors.general_region(
            user=user, region_id=_int_or_none(request.GET.get("regio"))
        )
        region_id = region.pk if region else None
        regions = jikp_selectors.general_regions(user=user)
        context.update(
            region=region,
            regions=regions if roles.is_platform_admin(request.user) else None,
            perspectives=Perspective.choices,
            municipalities=[
                {
                    **row,
                    "cells": [
                        (kind, label, row["counts"][kind]) for kind, label in Perspective.choices
                    ],
                }
                for row in jikp_selectors.contact_counts_for_region(region_id=region_id)
            ],
            school_contacts=jikp_selectors.school_contacts_for_region(region_id=region_id),
            can_manage_designations=request.user.has_perm("organisations.manage_designations"),
        )
    else:
        can_manage_documents = request.user.has_perm("jikp.manage_documents")
        context.update(
            documents=jikp_selectors.documents(),
            can_manage_documents=can_manage_documents,
            form=DocumentForm() if can_manage_documents else None,
        )
    return render(request, "core/general.html", context)


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
    # No context processors: the database may be the thing that failed.
    return HttpResponseServerError(render_to_string("errors/500.html"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


def two_factor_disable_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/403.html", status=403)
