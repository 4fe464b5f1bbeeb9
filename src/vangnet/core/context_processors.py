"""Navigation per role: each entry is (label, url name, query string) shown in the side menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import Role

from . import roles


def _menu(user: Any) -> list[dict[str, str]]:
    items: list[tuple[Any, str, str]] = [(_("Dashboard"), "core:home", "")]
    if roles.is_school_user(user):
        items += [
            (_("Schoolgoing"), "jikp:schoolgaand", ""),
            (_("Entree"), "jikp:entree", ""),
            (_("Unenrolled"), "jikp:uitgeschreven", ""),
        ]
        if user.has_role(Role.DEAN) or user.has_role(Role.MENTOR):
            # The Digitaal Doorstroomdossier: dashboard, dossiers and the students.
            items += [
                (_("Transfer dossier"), "ddd:dashboard", ""),
                (_("Dossiers"), "ddd:dossiers", ""),
                (
                    _("All students") if user.has_role(Role.DEAN) else _("My students"),
                    "ddd:students",
                    "",
                ),
            ]
        items += [
            (_("General"), "core:general", ""),
            (_("Settings"), "organisations:settings", ""),
        ]
    elif roles.is_chain_partner_user(user):
        items += [
            (_("Samenwerkingen"), "jikp:partner_samenwerkingen", ""),
            (_("Youth"), "youth:list", ""),
            (_("General"), "core:general", ""),
        ]
    elif roles.is_municipality_user(user) or roles.is_mbo_user(user):
        items += [
            (_("Youth"), "youth:list", ""),
            (_("General"), "core:general", ""),
        ]
        if user.has_perm("dossiers.view_mbo"):  # an MBO taking part in the DDD
            from vangnet.dossiers.urls_mbo import MENU_LABEL as DDD_MBO

            items.insert(2, (DDD_MBO, "ddd_mbo:list", ""))
        if roles.is_mbo_user(user) and roles.is_org_admin(user):
            # The MBO's beheerder chooses there whether the MBO takes part in the DDD.
            items.append((_("Settings"), "organisations:settings", ""))
    elif roles.is_platform_admin(user):
        from vangnet.dossiers.urls_questionnaire import MENU_LABEL as DDD_QUESTIONNAIRE

        items += [
            (_("Audit log"), "audit:search", ""),
            (_("Organisations"), "organisations:manage", ""),
            (DDD_QUESTIONNAIRE, "ddd_questionnaire:versions", ""),
            (_("General"), "core:general", ""),
        ]
    return [
        {"label": str(label), "url": reverse(name) + query, "name": name}
        for label, name, query in items
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "kind", "") == "student":
        # Students sign in without a second factor (ADR 0003) and only see their own portal.
        from vangnet.students.navigation import student_nav_items

        items = student_nav_items()
    elif user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": []}
    else:
        items = _menu(user)
    # The current item is the one whose address is the longest prefix of this page's path.
    path = request.path
    best = None
    for item in items:
        url = item["url"].split("?", 1)[0]
        item["current"] = ""
        matches = path == url if url == "/" else path.startswith(url)
        if matches and (best is None or len(url) > len(best["url"].split("?", 1)[0])):
            best = item
    if best is not None:
        best["current"] = "true"
    return {"nav_items": items}
