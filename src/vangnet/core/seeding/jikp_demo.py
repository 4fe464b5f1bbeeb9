"""JIKP follow-up data for the demo region: perspectives with a timeline, contact persons,
samenwerkingen, trajecten and running MBO applications for the schoolgoing youth of the PrO and
VSO schools, so the school dashboards have something to show. Reproducible (fixed random seed)."""

from __future__ import annotations

import inspect
import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from vangnet.accounts.models import User
from vangnet.jikp.domain.perspectives import STATUSES, Kind, details_complete
from vangnet.jikp.models import (
    Aanmelding,
    AanmeldingStatus,
    ContactPerson,
    ContractType,
    DayCareType,
    EducationLevel,
    LearningPath,
    PerspectiveChange,
    Samenwerking,
    SamenwerkingStatus,
    Traject,
    TrajectKind,
    Uitstroomperspectief,
)
from vangnet.organisations.models import ContactDesignation, Organisation
from vangnet.youth.models import Enrolment

RANDOM_SEED = 4711
SCHOOLS = ("pro", "vso")
PERSPECTIVE_SHARE = 0.7
CONTACT_SHARE = 0.6
DETAILS_SHARE = 0.8
_KIND_WEIGHTS = ((Kind.EDUCATION, 45), (Kind.WORK, 35), (Kind.DAY_CARE, 20))
_DETAILS: dict[Kind, dict[str, tuple[object, ...]]] = {
    Kind.EDUCATION: {
        "institution": ("ROC Kust en Heide", "Techniek College Duinhaven"),
        "programme": ("Entree Assistent bouw", "Entree Dienstverlening", "Logistiek medewerker"),
        "level": (EducationLevel.LEVEL_1, EducationLevel.LEVEL_2),
        "learning_path": (LearningPath.BOL, LearningPath.BBL),
    },
    Kind.WORK: {
        "employer": ("Groenbedrijf De Hoven", "Supermarkt Duinplein", "Logistiek Beekveld"),
        "job": ("Medewerker groen", "Vakkenvuller", "Orderpicker"),
        "contract_type": (ContractType.FIXED_TERM, ContractType.SHELTERED, ContractType.ON_CALL),
        "hours_per_week": (16, 24, 32),
        "job_support": ("Jobcoach twee uur per week", ""),
    },
    Kind.DAY_CARE: {
        "day_care_type": (DayCareType.WORK_ORIENTED, DayCareType.REGULAR),
        "provider": ("Zorggroep De Linde", "Zorgboerderij Heideloo"),
        "support_need": ("Vaste begeleider en duidelijke structuur.", "Begeleiding bij reizen."),
        "work_potential": (True, False),
    },
}


def _users_fill_contact_details(users: list[User]) -> None:
    changed = []
    for i, u in enumerate(users):
        dirty = False
        if not u.phone:
            u.phone = f"06-9900{i:04d}"
            dirty = True
        if not u.job_title:
            u.job_title = "Medewerker"
            dirty = True
        if dirty:
            changed.append(u)
    User.objects.bulk_update(changed, ["phone", "job_title"])


def _questionnaire() -> None:
    try:
        from vangnet.dossiers import services
    except ImportError:  # pragma: no cover - module not installed
        return
    ensure = getattr(services, "questionnaire_default_ensure", None)
    if ensure is None:
        return
    params = inspect.signature(ensure).parameters.values()
    if any(
        p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params
    ):
        return
    ensure()


def build(orgs: dict[str, Organisation], users: list[User], today: date) -> dict[str, int]:
    """Add the JIKP data; `orgs` by code suffix, `users` the demo accounts."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - generated data, not security
    _users_fill_contact_details(users)
    _questionnaire()
    now = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=12))
    designations: dict[tuple[int | None, str], User] = {
        (d.municipality_id, d.perspective): d.user
        for d in ContactDesignation.objects.select_related("user")
    }
    perspectives: list[Uitstroomperspectief] = []
    changes: list[PerspectiveChange] = []
    contacts: list[ContactPerson] = []
    collaborations: list[Samenwerking] = []
    trajecten: list[Traject] = []
    applications: list[Aanmelding] = []
    for suffix in SCHOOLS:
        school = orgs[suffix]
        staff = sorted((u for u in users if u.organisation_id == school.pk), key=lambda u: u.pk)
        enrolments = (
            Enrolment.objects.filter(organisation=school, unenrolment_processed=False)
            .select_related("youth")
            .order_by("pk")
        )
        seen: set[int] = set()
        for e in enrolments:
            youth = e.youth
            if youth.pk in seen:
                continue
            seen.add(youth.pk)
            author = rng.choice(staff)
            if rng.random() < CONTACT_SHARE:
                for contact in rng.sample(staff, k=rng.choice((1, 1, 2))):
                    contacts.append(
                        ContactPerson(
                            youth=youth,
                            user=contact,
                            organisation=school,
                            added_by=author,
                            added_at=now - timedelta(days=rng.randint(1, 200)),
                        )
                    )
            if rng.random() < 0.04:
                trajecten.append(
                    Traject(
                        youth=youth,
                        kind=rng.choice(TrajectKind.values),
                        description="Demo-traject",
                        starts_on=today - timedelta(days=rng.randint(10, 300)),
                        ends_on=None if rng.random() < 0.5 else today + timedelta(days=90),
                        organisation=school,
                        added_by=author,
                    )
                )
            if rng.random() >= PERSPECTIVE_SHARE:
                continue
            kind = rng.choices([k for k, _ in _KIND_WEIGHTS], [w for _, w in _KIND_WEIGHTS])[0]
            statuses = STATUSES[kind]
            step = rng.randrange(len(statuses))
            details: dict[str, object] = {}
            if rng.random() < DETAILS_SHARE:
                details = {name: rng.choice(values) for name, values in _DETAILS[kind].items()}
            started = now - timedelta(days=rng.randint(60, 300))
            perspectives.append(
                Uitstroomperspectief(
                    youth=youth,
                    organisation=school,
                    kind=kind,
                    status=statuses[step],
                    is_active=True,
                    details_complete=details_complete(kind, details),
                    created_by=author,
                    created_at=started,
                    **details,
                )
            )
            previous: tuple[str, str] = ("", "")
            at = started
            for status in statuses[: step + 1]:
                changes.append(
                    PerspectiveChange(
                        youth=youth,
                        at=at,
                        user=author,
                        organisation=school,
                        from_kind=previous[0],
                        from_status=previous[1],
                        to_kind=kind,
                        to_status=status,
                    )
                )
                previous = (kind, status)
                at += timedelta(days=rng.randint(5, 15))  # at most 45 days: stays in the past
            if kind in (Kind.WORK, Kind.DAY_CARE) and rng.random() < 0.25:
                partner_contact = designations.get((youth.municipality_id, str(kind)))
                if partner_contact is not None and partner_contact.organisation_id:
                    linked = rng.random() < 0.5
                    collaborations.append(
                        Samenwerking(
                            youth=youth,
                            school=school,
                            partner_id=partner_contact.organisation_id,
                            kind=kind,
                            status=(
                                SamenwerkingStatus.CONTACT_LINKED
                                if linked
                                else SamenwerkingStatus.REQUESTED
                            ),
                            requested_by=author,
                            requested_at=started + timedelta(days=5),
                        )
                    )
                    if linked:
                        contacts.append(
                            ContactPerson(
                                youth=youth,
                                user=partner_contact,
                                organisation_id=partner_contact.organisation_id,
                                added_by=partner_contact,
                            )
                        )
            if kind == Kind.EDUCATION and rng.random() < 0.2:
                applications.append(
                    Aanmelding(
                        youth=youth,
                        institution=orgs["mbo"],
                        programme=str(details.get("programme") or "Entree Dienstverlening"),
                        level=str(details.get("level") or EducationLevel.LEVEL_1),
                        learning_path=str(details.get("learning_path") or LearningPath.BOL),
                        status=AanmeldingStatus.RUNNING,
                        applied_on=today - timedelta(days=rng.randint(5, 60)),
                    )
                )
    Uitstroomperspectief.objects.bulk_create(perspectives, batch_size=500)
    PerspectiveChange.objects.bulk_create(changes, batch_size=500)
    ContactPerson.objects.bulk_create(contacts, batch_size=500)
    Samenwerking.objects.bulk_create(collaborations, batch_size=500)
    Traject.objects.bulk_create(trajecten, batch_size=500)
    Aanmelding.objects.bulk_create(applications, batch_size=500)
    return {
        "perspectives": len(perspectives),
        "perspective_changes": len(changes),
        "contact_persons": len(contacts),
        "samenwerkingen": len(collaborations),
        "trajecten": len(trajecten),
        "aanmeldingen": len(applications),
    }
