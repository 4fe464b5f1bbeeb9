"""What a user is: derived from the organisation kind and the roles held. Used by menus and rules."""

from __future__ import annotations

from typing import Any

from vangnet.accounts.models import Role
from vangnet.organisations.models import CHAIN_PARTNER_KINDS, SCHOOL_KINDS, OrganisationKind


def org_kind(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    org = getattr(user, "organisation", None)
    return org.kind if org is not None else None


def is_school_user(user: Any) -> bool:
    return org_kind(user) in SCHOOL_KINDS


def is_municipality_user(user: Any) -> bool:
    return org_kind(user) == OrganisationKind.MUNICIPALITY


def is_chain_partner_user(user: Any) -> bool:
    return org_kind(user) in CHAIN_PARTNER_KINDS


def is_mbo_user(user: Any) -> bool:
    return org_kind(user) == OrganisationKind.MBO


def is_platform_admin(user: Any) -> bool:
    return org_kind(user) == OrganisationKind.PLATFORM and user.has_role(Role.PLATFORM_ADMIN)


def is_org_admin(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.organisation_id is not None
        and user.has_role(Role.ADMIN)
    )
