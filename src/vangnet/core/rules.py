"""Object permissions (django-rules). Row visibility lives in the selectors; these say what a user may do."""

import rules

from . import roles

is_school_user = rules.predicate(roles.is_school_user)
is_municipality_user = rules.predicate(roles.is_municipality_user)
is_chain_partner_user = rules.predicate(roles.is_chain_partner_user)
is_mbo_user = rules.predicate(roles.is_mbo_user)
is_platform_admin = rules.predicate(roles.is_platform_admin)
is_org_admin = rules.predicate(roles.is_org_admin)

rules.add_perm(
    "youth.list", is_school_user | is_municipality_user | is_chain_partner_user | is_mbo_user
)
rules.add_perm("youth.enrol", is_school_user)
rules.add_perm("youth.change", is_school_user | is_municipality_user)
rules.add_perm("accounts.manage_users", is_org_admin)
rules.add_perm("audit.search", is_platform_admin)
rules.add_perm("organisations.view_contacts", rules.is_authenticated)


# --- Ketenpartner samenwerkingen, Algemeen (contacts, documents), Instellingen ---------------
rules.add_perm("jikp.partner_samenwerkingen", is_chain_partner_user)
rules.add_perm("jikp.view_documents", rules.is_authenticated)
rules.add_perm("jikp.manage_documents", is_platform_admin)
rules.add_perm(
    "organisations.manage_designations", (is_municipality_user & is_org_admin) | is_platform_admin
)
rules.add_perm("organisations.view_settings", rules.is_authenticated)
rules.add_perm("organisations.change_settings", is_school_user & is_org_admin)

# --- JIKP school lists (Schoolgaand, Entree, Uitgeschreven) and their exports ----------------
rules.add_perm("jikp.view_school_lists", is_school_user)
rules.add_perm("jikp.export_school_lists", is_school_user)
