"""A small, fully generated region for tests: every organisation kind and role, plus a second region."""

from __future__ import annotations

from types import SimpleNamespace

from vangnet.accounts.models import Role
from vangnet.organisations.models import OrganisationKind

from .factories import MunicipalityFactory, OrganisationFactory, RegionFactory, UserFactory


def build_world() -> SimpleNamespace:
    region = RegionFactory(name="Regio Test")
    gem_a = MunicipalityFactory(name="Aastad", region=region)
    gem_b = MunicipalityFactory(name="Beedorp", region=region)
    other_region = RegionFactory(name="Regio Elders")
    gem_x = MunicipalityFactory(name="Xveen", region=other_region)

    def org(kind, name, municipality=gem_a, **kw):
        return OrganisationFactory(
            kind=kind, name=name, municipality=municipality, region=municipality.region, **kw
        )

    w = SimpleNamespace(
        region=region, gem_a=gem_a, gem_b=gem_b, other_region=other_region, gem_x=gem_x
    )
    w.pro = org(OrganisationKind.PRO_SCHOOL, "PrO De Brug", brin="12AB")
    w.vso = org(OrganisationKind.VSO_SCHOOL, "VSO De Horizon", brin="34CD")
    w.vo = org(OrganisationKind.VO_SCHOOL, "Lyceum Aastad", brin="56EF")
    w.mbo = org(OrganisationKind.MBO, "MBO College Aastad", has_entree=True)
    w.gemeente = org(OrganisationKind.MUNICIPALITY, "Gemeente Aastad")
    w.partner = org(OrganisationKind.WORK_AND_INCOME, "Werkplein Aastad")
    w.other_school = org(OrganisationKind.PRO_SCHOOL, "PrO Xveen", municipality=gem_x)
    w.other_gemeente = org(OrganisationKind.MUNICIPALITY, "Gemeente Xveen", municipality=gem_x)
    w.platform = OrganisationFactory(
        kind=OrganisationKind.PLATFORM, name="Platformbeheer", municipality=None, region=None
    )

    w.users = {
        "school_gebruiker": UserFactory(organisation=w.pro, roles=[Role.USER]),
        "school_beheerder": UserFactory(organisation=w.pro, roles=[Role.USER, Role.ADMIN]),
        "vso_gebruiker": UserFactory(organisation=w.vso, roles=[Role.USER]),
        "vo_decaan": UserFactory(organisation=w.vo, roles=[Role.DEAN]),
        "vo_mentor": UserFactory(organisation=w.vo, roles=[Role.MENTOR]),
        "mbo_gebruiker": UserFactory(organisation=w.mbo, roles=[Role.USER]),
        "gemeente_consulent": UserFactory(
            organisation=w.gemeente, roles=[Role.TRANSITION_CONSULTANT]
        ),
        "gemeente_beheerder": UserFactory(organisation=w.gemeente, roles=[Role.ADMIN]),
        "ketenpartner": UserFactory(organisation=w.partner, roles=[Role.GENERALIST]),
        "platformbeheer": UserFactory(organisation=w.platform, roles=[Role.PLATFORM_ADMIN]),
        "other_school": UserFactory(organisation=w.other_school, roles=[Role.USER, Role.ADMIN]),
    }
    return w
