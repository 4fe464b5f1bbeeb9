"""Reads of the student portal and of the school's "Alle leerlingen → Accountgegevens" screen."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from vangnet.dossiers.models import StudentAccount
from vangnet.organisations.models import SCHOOL_KINDS, Organisation
from vangnet.youth.models import Enrolment

SUGGEST_LIMIT = 10
SUGGEST_MIN_LENGTH = 2


def activation_schools() -> QuerySet[Organisation]:
    """The schools offered on the activation page: active VO, PrO and VSO schools with at least
    one current student whose e-mail address the school supplied."""
    with_email = (
        Enrolment.objects.schoolgoing()
        .filter(organisation=OuterRef("pk"))
        .exclude(student_email="")
    )
    return (
        Organisation.objects.filter(kind__in=SCHOOL_KINDS, is_active=True)
        .filter(Exists(with_email))
        .order_by("name")
    )


def activation_enrolment(
    *, school: Organisation, student_number: str, birth_date: dt.date
) -> Enrolment | None:
    """The current enrolment that matches everything the student typed, or None."""
    if not student_number:
        return None
    return (
        Enrolment.objects.schoolgoing()
        .filter(
            organisation=school,
            organisation__kind__in=SCHOOL_KINDS,
            student_number__iexact=student_number,
            youth__birth_date=birth_date,
        )
        .exclude(student_email="")
        .select_related("youth", "organisation")
        .first()
    )


def student_enrolment(*, youth_id: int) -> Enrolment | None:
    """The student's current school enrolment (the most recent one)."""
    return (
        Enrolment.objects.schoolgoing()
        .filter(youth_id=youth_id, organisation__kind__in=SCHOOL_KINDS)
        .select_related("organisation", "youth")
        .order_by("-enrolled_on", "-pk")
        .first()
    )


def school_enrolments(*, school: Organisation) -> QuerySet[Enrolment]:
    """The school's current students, each with `has_account` (a portal account exists)."""
    return (
        Enrolment.objects.schoolgoing()
        .filter(organisation=school)
        .select_related("youth")
        .annotate(has_account=Exists(StudentAccount.objects.filter(youth_id=OuterRef("youth_id"))))
        .order_by("youth__last_name", "youth__first_name", "pk")
    )


def school_levels(*, school: Organisation) -> list[int]:
    levels = (
        Enrolment.objects.schoolgoing()
        .filter(organisation=school)
        .exclude(school_year_level__isnull=True)
        .values_list("school_year_level", flat=True)
        .distinct()
    )
    return sorted({level for level in levels if level is not None})


def school_classes(*, school: Organisation) -> list[str]:
    return sorted(
        set(
            Enrolment.objects.schoolgoing()
            .filter(organisation=school)
            .exclude(class_name="")
            .values_list("class_name", flat=True)
            .distinct()
        )
    )


def student_suggestions(*, school: Organisation, text: str) -> list[Enrolment]:
    """At most SUGGEST_LIMIT current students of the school whose first name contains `text`."""
    text = text.strip()
    if len(text) < SUGGEST_MIN_LENGTH:
        return []
    return list(
        Enrolment.objects.schoolgoing()
        .filter(organisation=school, youth__first_name__icontains=text)
        .select_related("youth")
        .order_by("youth__first_name", "youth__last_name", "pk")[:SUGGEST_LIMIT]
    )
