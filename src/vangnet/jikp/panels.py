"""JIKP sections on the youth detail page (seed 000 §5.2-5.4, §4.5, §4.6).

Who sees what:
- the school that enrolled the youth: everything; it changes the profile only while the youth is
  schoolgoing (after uitschrijving, in nazorg, everything is read-only);
- the gemeente: everything read-only, and it may add trajecten;
- a chain partner with a samenwerking: everything read-only; it links its own contact person
  (while the samenwerking is open) and adds trajecten;
- an MBO: none of these panels.
Rows come from jikp.selectors; the page itself already checked that the youth is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from vangnet.youth.panels import register_panel

from . import selectors
from .domain import perspectives as rules


@dataclass(frozen=True)
class Access:
    """What the signed-in user may do on this youth's panels (computed once per request)."""

    can_change_profile: bool
    can_link_contact: bool
    can_add_traject: bool
    organisation_id: int | None


def access_for(request: HttpRequest, youth: Any) -> Access | None:
    """None when the user sees none of the JIKP panels."""
    cache: dict[int, Access | None] = request.__dict__.setdefault("_jikp_access", {})
    if youth.pk not in cache:
        user = request.user
        if not user.has_perm("jikp.view_profile"):
            cache[youth.pk] = None
        else:
            cache[youth.pk] = Access(
                can_change_profile=user.has_perm("jikp.change_profile", youth),
                can_link_contact=user.has_perm("jikp.link_contact", youth),
                can_add_traject=user.has_perm("jikp.add_traject", youth),
                organisation_id=user.organisation_id,  # type: ignore[union-attr]
            )
    return cache[youth.pk]


def contacts_panel(request: HttpRequest, youth: Any, enrolment: Any) -> Any:
    access = access_for(request, youth)
    if access is None:
        return None
    return (
        "jikp/detail/panel_contacts.html",
        {"access": access, "contacts": list(selectors.contact_persons(youth=youth))},
    )


def perspective_panel(request: HttpRequest, youth: Any, enrolment: Any) -> Any:
    access = access_for(request, youth)
    if access is None:
        return None
    perspective = selectors.active_perspective(youth=youth)
    kind = perspective.kind if perspective else None
    application_signal = kind in rules.COLLABORATION_KINDS and selectors.has_running_application(
        youth=youth
    )
    return (
        "jikp/detail/panel_perspective.html",
        {
            "access": access,
            "perspective": perspective,
            "documents": list(perspective.documents.all()) if perspective else [],
            "application_signal": application_signal,
            "has_dossier": kind in rules.DOSSIER_KINDS,
            "can_collaborate": kind in rules.COLLABORATION_KINDS,
        },
    )


def samenwerkingen_panel(request: HttpRequest, youth: Any, enrolment: Any) -> Any:
    access = access_for(request, youth)
    if access is None:
        return None
    return (
        "jikp/detail/panel_samenwerkingen.html",
        {"access": access, "samenwerkingen": list(selectors.samenwerkingen_for_youth(youth=youth))},
    )


def trajecten_panel(request: HttpRequest, youth: Any, enrolment: Any) -> Any:
    access = access_for(request, youth)
    if access is None:
        return None
    return (
        "jikp/detail/panel_trajecten.html",
        {"access": access, "trajecten": list(selectors.trajecten(youth=youth))},
    )


def timeline_panel(request: HttpRequest, youth: Any, enrolment: Any) -> Any:
    access = access_for(request, youth)
    if access is None:
        return None
    return (
        "jikp/detail/panel_timeline.html",
        {"access": access, "changes": list(selectors.timeline(youth=youth))},
    )


def register() -> None:
    register_panel(order=20, panel=contacts_panel)
    register_panel(order=30, panel=perspective_panel)
    register_panel(order=35, panel=samenwerkingen_panel)
    register_panel(order=40, panel=trajecten_panel)
    register_panel(order=50, panel=timeline_panel)
