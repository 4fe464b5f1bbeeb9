"""The demo region: one Doorstroompunt region with every kind of organisation, a user for every
role and a few hundred generated youth in every enrolment state. Small enough for SQLite."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from vangnet.accounts.models import Role, User
from vangnet.organisations.models import (
    ContactDesignation,
    Location,
    Municipality,
    Organisation,
    OrganisationKind,
    Perspective,
    Region,
)
from vangnet.youth.models import Enrolment, Youth, YouthRegion

from . import SeedError, ddd_demo, identifiers, jikp_demo, plans
from .accounts import DEMO_DOMAIN, AccountSpec, create_accounts

REGION_CODE = "DEMO"
REGION_NAME = "Regio Demo"
ORG_PREFIX = "demo-"
DEFAULT_YOUTH = 300
RANDOM_SEED = 2026


@dataclass(frozen=True)
class Login:
    email: str
    roles: tuple[str, ...]
    organisation: str
    organisation_code: str


@dataclass
class DemoResult:
    created: bool
    logins: list[Login]
    counts: dict[str, int] = field(default_factory=dict)


# (code suffix, kind, name, municipality index, BRIN, locations [(name, vestiging, municipality)])
_MUNICIPALITIES = (
    ("Duinhaven", "GM9901"),
    ("Beekveld", "GM9902"),
    ("Heideloo", "GM9903"),
)
_ORGANISATIONS = (
    ("pro", OrganisationKind.PRO_SCHOOL, "PrO De Vaart", 0, "99PA",
     (("De Vaart Hoofdgebouw", "99PA00", 0), ("De Vaart Praktijkhuis", "99PA01", 1))),
    ("vso", OrganisationKind.VSO_SCHOOL, "VSO De Kompasroos", 1, "99VS",
     (("Kompasroos Beekveld", "99VS00", 1), ("Kompasroos Heideloo", "99VS01", 2))),
    ("vo", OrganisationKind.VO_SCHOOL, "Duinhaven College", 0, "99VO",
     (("Locatie Zeezijde", "99VO00", 0), ("Locatie Heideloo", "99VO01", 2))),
    ("mbo", OrganisationKind.MBO, "ROC Kust en Heide", 0, "99MB",
     (("Entree-academie Duinhaven", "99MB00", 0),)),
    ("gemeente-duinhaven", OrganisationKind.MUNICIPALITY,
     "Gemeente Duinhaven (Doorstroompunt Regio Demo)", 0, "", ()),
    ("gemeente-beekveld", OrganisationKind.MUNICIPALITY, "Gemeente Beekveld", 1, "", ()),
    ("gemeente-heideloo", OrganisationKind.MUNICIPALITY, "Gemeente Heideloo", 2, "", ()),
    ("werk-inkomen", OrganisationKind.WORK_AND_INCOME, "Werkplein Duinhaven", 0, "", ()),
    ("toegang", OrganisationKind.CARE_ACCESS, "Toegang Jeugd en Wmo Regio Demo", 0, "", ()),
    ("generalisten", OrganisationKind.GENERALISTS, "Wijkteam Beekveld", 1, "", ()),
    ("servicebureau", OrganisationKind.YOUTH_SPECIALIST, "Servicebureau Jeugd Demo", 0, "", ()),
    ("zorgaanbieder", OrganisationKind.CARE_PROVIDER, "Zorggroep De Linde", 2, "", ()),
)  # fmt: skip
_PLATFORM = ("platform", "Vangnet platformbeheer")

# (local part, organisation code suffix, roles, first name, last name, job title)
_ACCOUNTS = (
    ("pro.gebruiker", "pro", (Role.USER,), "Petra", "Aalbers", "Intern begeleider"),
    ("pro.beheerder", "pro", (Role.USER, Role.ADMIN), "Hans", "Doornbos", "Teamleider"),
    ("vso.gebruiker", "vso", (Role.USER,), "Wendy", "Kamphuis", "Stagecoördinator"),
    ("vso.beheerder", "vso", (Role.USER, Role.ADMIN), "Erik", "Tuinstra", "Locatiedirecteur"),
    ("vo.decaan", "vo", (Role.DEAN,), "Marloes", "Oosterhuis", "Decaan"),
    ("vo.mentor", "vo", (Role.MENTOR,), "Joost", "Reinders", "Mentor 4 vmbo"),
    ("vo.beheerder", "vo", (Role.USER, Role.ADMIN), "Ingrid", "Wagenaar", "Applicatiebeheerder"),
    ("mbo.gebruiker", "mbo", (Role.USER,), "Karim", "Bulut", "Intakecoördinator Entree"),
    ("gemeente.consulent", "gemeente-duinhaven", (Role.TRANSITION_CONSULTANT,),
     "Linda", "Haverkamp", "Doorstroomconsulent"),
    ("gemeente.beheerder", "gemeente-duinhaven", (Role.ADMIN,), "Rob", "Nijhof",
     "Functioneel beheerder"),
    ("werk.generalist", "werk-inkomen", (Role.GENERALIST,), "Samira", "El Idrissi",
     "Jongerenconsulent werk"),
    ("toegang.gebruiker", "toegang", (Role.USER,), "Bart", "Geerts", "Medewerker toegang"),
    ("wijkteam.generalist", "generalisten", (Role.GENERALIST,), "Anke", "Lammers", "Generalist"),
    ("servicebureau.gebruiker", "servicebureau", (Role.USER,), "Tom", "Elzinga",
     "Specialist jeugd"),
    ("zorg.gebruiker", "zorgaanbieder", (Role.USER,), "Yvonne", "Pinas", "Trajectbegeleider"),
    ("platform.beheer", "platform", (Role.PLATFORM_ADMIN,), "Dirk", "Zandbergen",
     "Platformbeheerder"),
)  # fmt: skip

# Designated contacts per municipality and uitstroomperspectief (seed 000 §8.2).
_DESIGNATIONS = {
    Perspective.EDUCATION: "gemeente.consulent",
    Perspective.WORK: "werk.generalist",
    Perspective.DAY_CARE: "toegang.gebruiker",
}
# Youth per school (code suffix, number, highest school year).
_SCHOOL_YOUTH = (("pro", 0.34, 5), ("vso", 0.26, 6), ("vo", 0.40, 6))
ONDERWIJSNUMMER_SHARE = 0.08


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _demo_users() -> Q:
    return Q(organisation__code__startswith=ORG_PREFIX) | Q(email__iendswith="@" + DEMO_DOMAIN)


def demo_present() -> bool:
    return Region.objects.filter(code=REGION_CODE).exists()


def _leftovers() -> bool:
    return (
        Organisation.objects.filter(code__startswith=ORG_PREFIX).exists()
        or User.objects.filter(_demo_users()).exists()
        or Municipality.objects.filter(cbs_code__in=[c for _, c in _MUNICIPALITIES]).exists()
        or Region.objects.filter(name=REGION_NAME).exists()
    )


def logins() -> list[Login]:
    """The demo accounts as seeded, in a fixed order."""
    users = {
        u.email: u
        for u in User.objects.filter(email__in=[_email(a[0]) for a in _ACCOUNTS]).select_related(
            "organisation"
        )
    }
    result = []
    for local, _code, roles, *_ in _ACCOUNTS:
        user = users.get(_email(local))
        if user is None:
            continue
        org = user.organisation
        result.append(
            Login(
                email=user.email,
                roles=tuple(str(r) for r in roles),
                organisation=org.name if org else "",
                organisation_code=org.code if org else "",
            )
        )
    return result


def remove_demo() -> dict[str, int]:
    """Remove the demo region and everything in it; nothing outside it is touched."""
    municipalities = Municipality.objects.filter(
        Q(region__code=REGION_CODE)
        | Q(region__name=REGION_NAME)
        | Q(cbs_code__in=[c for _, c in _MUNICIPALITIES])
    )
    organisations = Organisation.objects.filter(code__startswith=ORG_PREFIX)
    youth_ids = set(
        Youth.objects.filter(municipality__in=municipalities).values_list("pk", flat=True)
    ) | set(
        Enrolment.objects.filter(organisation__in=organisations).values_list("youth_id", flat=True)
    )
    removed: dict[str, int] = {}
    try:
        for label, qs in (
            ("youth", Youth.objects.filter(pk__in=youth_ids)),
            ("users", User.objects.filter(_demo_users())),
            ("organisations", organisations),
            ("municipalities", municipalities),
            ("regions", Region.objects.filter(Q(code=REGION_CODE) | Q(name=REGION_NAME))),
        ):
            removed[label] = qs.delete()[0]
    except ProtectedError as exc:
        kinds = sorted({type(o)._meta.label for o in exc.protected_objects})
        raise SeedError(
            "The demo region cannot be removed: records outside it still refer to it "
            f"({', '.join(kinds)}). Remove those first."
        ) from exc
    return removed


def _structure() -> tuple[dict[str, Organisation], list[Municipality], dict[str, list[Location]]]:
    region = Region.objects.create(name=REGION_NAME, code=REGION_CODE)
    municipalities = Municipality.objects.bulk_create(
        [Municipality(name=name, cbs_code=code, region=region) for name, code in _MUNICIPALITIES]
    )
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                code=ORG_PREFIX + suffix,
                kind=kind,
                name=name,
                region=region,
                municipality=municipalities[muni],
                brin=brin,
                has_entree=kind == OrganisationKind.MBO,
                email=f"info.{suffix}@{DEMO_DOMAIN}",
                phone=f"0123-45{i:04d}",
            )
            for i, (suffix, kind, name, muni, brin, _locs) in enumerate(_ORGANISATIONS)
        ]
        + [
            Organisation(
                code=ORG_PREFIX + _PLATFORM[0],
                kind=OrganisationKind.PLATFORM,
                name=_PLATFORM[1],
                region=None,
                municipality=None,
            )
        ]
    )
    by_suffix = {o.code.removeprefix(ORG_PREFIX): o for o in orgs}
    locations = Location.objects.bulk_create(
        [
            Location(
                organisation=by_suffix[suffix],
                name=loc_name,
                brin_vestiging=vestiging,
                municipality=municipalities[muni],
                street="Schoolstraat",
                postcode=f"99{j}{k} AB",
                city=municipalities[muni].name,
            )
            for j, (suffix, _kind, _name, _m, _brin, locs) in enumerate(_ORGANISATIONS)
            for k, (loc_name, vestiging, muni) in enumerate(locs)
        ]
    )
    by_org: dict[str, list[Location]] = {}
    for loc in locations:
        by_org.setdefault(loc.organisation.code.removeprefix(ORG_PREFIX), []).append(loc)
    return by_suffix, municipalities, by_org


def _accounts(orgs: dict[str, Organisation], municipalities: list[Municipality]) -> list[User]:
    users = create_accounts(
        [
            AccountSpec(_email(local), first, last, title, orgs[code], tuple(roles))
            for local, code, roles, first, last, title in _ACCOUNTS
        ]
    )
    by_local = {u.email.partition("@")[0]: u for u in users}
    ContactDesignation.objects.bulk_create(
        [
            ContactDesignation(municipality=m, perspective=p, user=by_local[local])
            for m in municipalities
            for p, local in _DESIGNATIONS.items()
        ]
    )
    return users


def _youth(
    orgs: dict[str, Organisation],
    municipalities: list[Municipality],
    locations: dict[str, list[Location]],
    count: int,
    today: date,
) -> tuple[int, int]:
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - generated data, not security
    bsns = identifiers.bsns(identifiers.DEMO_BSN_START)
    own_numbers = identifiers.onderwijsnummers(identifiers.DEMO_OWN_START)
    youth: list[Youth] = []
    pending: list[tuple[int, plans.Plan, str]] = []  # youth index, plan, school suffix
    for suffix, share, max_level in _SCHOOL_YOUTH:
        for _ in range(round(count * share)):
            p = plans.plan(rng, today, max_level=max_level)
            muni = rng.choices(municipalities, weights=(50, 30, 20))[0]
            person = p.person
            y = Youth(
                first_name=person.first_name,
                prefix=person.prefix,
                last_name=person.last_name,
                birth_date=person.birth_date,
                gender=person.gender,
                secret_address=person.secret_address,
                wlz_indication=person.wlz_indication,
                street=person.street,
                house_number=person.house_number,
                postcode=person.postcode,
                city=muni.name,
                municipality=muni,
                supplied_by=orgs[suffix],
            )
            if rng.random() < ONDERWIJSNUMMER_SHARE:
                y.onderwijsnummer = next(own_numbers)
            else:
                y.set_bsn(next(bsns))
            pending.append((len(youth), p, suffix))
            youth.append(y)
    youth = Youth.objects.bulk_create(youth, batch_size=500)

    enrolments: list[Enrolment] = []
    numbers: dict[str, int] = {}
    for index, p, suffix in pending:
        y = youth[index]
        numbers[suffix] = numbers.get(suffix, 0) + 1
        for org_suffix, stay in ((suffix, p.school), ("mbo", p.entree)):
            if stay is None:
                continue
            enrolments.append(
                Enrolment(
                    youth=y,
                    organisation=orgs[org_suffix],
                    location=rng.choice(locations[org_suffix]),
                    class_name=stay.class_name,
                    school_year_level=stay.level,
                    student_number=f"{org_suffix.upper()}{numbers[suffix]:05d}",
                    enrolled_on=stay.enrolled_on,
                    unenrolled_on=stay.unenrolled_on,
                    unenrolment_processed=stay.processed,
                    leaving_year=stay.leaving_year,
                    # The school supplied the BSN when there is one; an MBO never receives it.
                    supplied_bsn=bool(y.bsn_index) and org_suffix != "mbo",
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=500)
    YouthRegion.objects.sync(youth_ids=[y.pk for y in youth])
    return len(youth), len(enrolments)


def build_demo(
    *, reset: bool = False, youth: int = DEFAULT_YOUTH, today: date | None = None
) -> DemoResult:
    """Create the demo region. Without reset an existing demo region is left as it is."""
    today = today or timezone.localdate()
    with transaction.atomic():
        if demo_present() and not reset:
            return DemoResult(created=False, logins=logins())
        if reset:
            remove_demo()
        elif _leftovers():
            raise SeedError(
                "Parts of a demo region exist (a region named 'Regio Demo', organisations "
                "'demo-…' or @demo.vangnet.nl accounts) but not the demo region itself. "
                "Run `vangnet seed --scale demo --reset` to rebuild it."
            )
        orgs, municipalities, locations = _structure()
        users = _accounts(orgs, municipalities)
        n_youth, n_enrolments = _youth(orgs, municipalities, locations, youth, today)
        jikp_counts = jikp_demo.build(orgs, users, today)
        ddd_counts = ddd_demo.build(orgs, users, today)
    return DemoResult(
        created=True,
        logins=logins(),
        counts={
            "organisations": len(orgs),
            "users": len(_ACCOUNTS),
            "youth": n_youth,
            "enrolments": n_enrolments,
            **jikp_counts,
            **ddd_counts,
        },
    )
