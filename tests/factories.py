"""factory_boy factories for every model the tests touch. All data is generated, never real."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.models import Role, User, UserRole
from vangnet.organisations.models import (
    ContactDesignation,
    Location,
    Municipality,
    Organisation,
    OrganisationKind,
    Perspective,
    Region,
)
from vangnet.youth.models import Enrolment, Gender, Youth

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def make_bsn(rng: random.Random | None = None) -> str:
    """A random number that passes the elfproef (generated, not a real person's)."""
    rng = rng or random.Random()
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True))
        last = total % 11
        if last < 10 and any(digits):
            return "".join(map(str, digits)) + str(last)


def make_onderwijsnummer(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    while True:
        digits = [1, 0] + [rng.randint(0, 9) for _ in range(6)]
        total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True))
        last = (total - 5) % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Regio {n}")
    code = factory.Sequence(lambda n: f"R{n:03d}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{n:04d}")
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.PRO_SCHOOL
    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.LazyAttribute(lambda o: o.municipality.region)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.test")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("geheim-wachtwoord-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for role in extracted or [Role.USER]:
                UserRole.objects.create(user=self, role=role)


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "default"
    confirmed = True


class ContactDesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactDesignation

    municipality = factory.SubFactory(MunicipalityFactory)
    perspective = Perspective.WORK
    user = factory.SubFactory(UserFactory)


class YouthFactory(factory.django.DjangoModelFactory):
    """Pass bsn=None (with an onderwijsnummer) for a youth without BSN."""

    class Meta:
        model = Youth

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    birth_date = factory.LazyFunction(lambda: dt.date(2009, 5, 17))
    gender = Gender.FEMALE
    street = "Teststraat"
    house_number = "1"
    postcode = "1234 AB"
    city = "Teststad"
    municipality = factory.SubFactory(MunicipalityFactory)

    bsn = factory.LazyFunction(make_bsn)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        bsn = kwargs.pop("bsn", None)
        youth = model_class(*args, **kwargs)
        youth.set_bsn(bsn)
        return youth

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        youth = cls._build(model_class, *args, **kwargs)
        youth.save()
        return youth


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    youth = factory.SubFactory(YouthFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    class_name = "3A"
    school_year_level = 3
    student_number = factory.Sequence(lambda n: f"L{n:05d}")
    enrolled_on = dt.date(2023, 8, 21)
    supplied_bsn = True


# --- Digitaal Doorstroomdossier (dossiers) ------------------------------------------------------


class StudentUserFactory(UserFactory):
    """A student's portal account (no staff roles); pair it with a StudentAccountFactory."""

    kind = "student"
    organisation = None
    email = factory.Sequence(lambda n: f"leerling{n}@example.test")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for role in extracted or []:
                UserRole.objects.create(user=self, role=role)


class StudentAccountFactory(factory.django.DjangoModelFactory):
    """Links a student account to a youth enrolled at a school (pass youth=... to reuse one)."""

    class Meta:
        model = "dossiers.StudentAccount"

    user = factory.SubFactory(StudentUserFactory)
    youth = factory.LazyAttribute(lambda o: EnrolmentFactory().youth)


class AanmeldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jikp.Aanmelding"

    youth = factory.SubFactory(YouthFactory)
    institution = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.MBO)
    programme = "Verzorgende IG"
    level = "3"
    learning_path = "BOL"
