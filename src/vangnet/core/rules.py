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
# Schools export from their own JIKP lists (jikp.export_school_lists), with the BSN they supplied.
rules.add_perm("youth.export_list", is_municipality_user | is_chain_partner_user | is_mbo_user)
rules.add_perm("youth.enrol", is_school_user)


@rules.predicate
def school_youth_in_entree(user, youth=None) -> bool:
    """Seed 000 §6: youth in the school's 'Entree' list are read-only for the school."""
    if youth is None:
        return False
    from vangnet.youth.selectors import in_entree_list_of

    return in_entree_list_of(user=user, youth_id=youth.pk)


# Called with a youth, a school may not change one that is in its Entree list (§6); in nazorg
# ("Uitgeschreven", §7) it still changes the personal data.
rules.add_perm("youth.change", (is_school_user & ~school_youth_in_entree) | is_municipality_user)
rules.add_perm("accounts.manage_users", is_org_admin)
rules.add_perm("audit.search", is_platform_admin)
rules.add_perm("organisations.view_contacts", rules.is_authenticated)


# --- JIKP youth detail (contacts, uitstroomperspectief, samenwerking, trajecten) -------------
# Called without an object these answer "may this kind of user do it at all" (menus, the view
# decorator); called with a youth they also check the user's relation to that youth.


@rules.predicate
def jikp_schoolgoing_at_own_school(user, youth=None) -> bool:
    """The user's school has the youth schoolgoing (not yet uitgeschreven: no nazorg edits)."""
    if youth is None:
        return True
    from vangnet.youth.models import Enrolment

    return (
        Enrolment.objects.schoolgoing()
        .filter(youth=youth, organisation_id=user.organisation_id)
        .exists()
    )


@rules.predicate
def jikp_open_samenwerking_with_own_org(user, youth=None) -> bool:
    if youth is None:
        return True
    from vangnet.jikp.models import Samenwerking, SamenwerkingStatus

    return (
        Samenwerking.objects.filter(youth=youth, partner_id=user.organisation_id)
        .exclude(status=SamenwerkingStatus.CLOSED)
        .exists()
    )


rules.add_perm("jikp.view_profile", is_school_user | is_municipality_user | is_chain_partner_user)
rules.add_perm("jikp.change_profile", is_school_user & jikp_schoolgoing_at_own_school)
rules.add_perm(
    "jikp.link_contact",
    (is_school_user & jikp_schoolgoing_at_own_school)
    | (is_chain_partner_user & jikp_open_samenwerking_with_own_org),
)
rules.add_perm(
    "jikp.add_traject",
    (is_school_user & jikp_schoolgoing_at_own_school)
    | is_municipality_user
    | is_chain_partner_user,
)


# --- Ketenpartner samenwerkingen, Algemeen (contacts, documents), Instellingen ---------------
rules.add_perm("jikp.partner_samenwerkingen", is_chain_partner_user)
rules.add_perm("jikp.view_documents", rules.is_authenticated)
rules.add_perm("jikp.manage_documents", is_platform_admin)
rules.add_perm(
    "organisations.manage_designations", (is_municipality_user & is_org_admin) | is_platform_admin
)
rules.add_perm("organisations.view_settings", rules.is_authenticated)
# An MBO's administrator sets whether the institution takes part in the DDD (seed 001).
rules.add_perm("organisations.change_settings", (is_school_user | is_mbo_user) & is_org_admin)

# --- JIKP school lists (Schoolgaand, Entree, Uitgeschreven) and their exports ----------------
rules.add_perm("jikp.view_school_lists", is_school_user)
rules.add_perm("jikp.export_school_lists", is_school_user)

# --- Master data: regions, gemeenten, organisations, locations (platform management) ---------
rules.add_perm("organisations.manage_master_data", is_platform_admin)

# --- Digitaal Doorstroomdossier (seed 001) -----------------------------------------------------
# Students use the portal (/leerling/) with their own accounts; see vangnet.students. Which dossier
# a user may open is decided by dossiers.selectors.dossiers_visible_to / actor_of.


@rules.predicate
def is_mentor(user) -> bool:
    from vangnet.accounts.models import Role

    return user.has_role(Role.MENTOR)


@rules.predicate
def is_dean(user) -> bool:
    from vangnet.accounts.models import Role

    return user.has_role(Role.DEAN)


@rules.predicate
def is_ddd_mbo(user) -> bool:
    """An MBO user whose institution takes part in the DDD."""
    org = getattr(user, "organisation", None)
    return bool(org is not None and org.takes_part_in_ddd)


# Mentors and decanen work on dossiers; the decaan (the school's DDD beheerder) also manages the
# students, their accounts and the klas → mentor links.
rules.add_perm("dossiers.work", is_school_user & (is_mentor | is_dean))
rules.add_perm("dossiers.manage_students", is_school_user & is_dean)
rules.add_perm("dossiers.view_mbo", is_mbo_user & is_ddd_mbo)
rules.add_perm("dossiers.edit_questionnaire", is_platform_admin)
