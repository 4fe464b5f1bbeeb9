"""The person record shared by every module, and enrolments at schools."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.core import crypto

from .domain.identifiers import mask_bsn


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "v", _("Female")
    OTHER = "x", _("Other / unknown")


class Youth(models.Model):
    """A jongere. Identified by BSN or, when there is none, by onderwijsnummer.

    The BSN is stored only encrypted (bsn_encrypted) with an HMAC blind index (bsn_index) for
    lookup and uniqueness; use set_bsn() and the bsn property.
    """

    bsn_encrypted = models.TextField(_("BSN (encrypted)"), blank=True, editable=False)
    # Unique through Meta.constraints, not unique=True: on PostgreSQL a unique CharField also gets
    # a varchar_pattern_ops "_like" index, which these exact-match columns never use. NULL means
    # "no such number" and is needed (not ""): several youth may lack one, NULLs never collide.
    bsn_index = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )
    onderwijsnummer = models.CharField(  # noqa: DJ001
        _("onderwijsnummer"), max_length=9, null=True, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    secret_address = models.BooleanField(_("secret address"), default=False)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("municipality of residence"),
        null=True,
        blank=True,
        db_index=False,  # indexed by Meta.indexes "youth_municipality"
    )
    wlz_indication = models.BooleanField(_("WLZ indication"), default=False)
    # A student loaded from a VO school's leerlinglijst may arrive without BSN or onderwijsnummer;
    # the school knows them by leerlingnummer until the BSN is linked at "Activeer DDD" (ADR 0003).
    identified_by_school = models.BooleanField(
        _("known only by student number"), default=False, editable=False
    )
    # The organisation that supplied the person data (name, date of birth, address, woongemeente).
    # Only it may change them; other schools link to the record with their own enrolment. NULL
    # for records made before this was kept: see person_supplier_id(). Not indexed: it is only
    # read per record, and organisations are never deleted in practice (PROTECT).
    supplied_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person data supplied by"),
        null=True,
        blank=True,
        editable=False,
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("youth")
        verbose_name_plural = _("youth")
        constraints = [
            models.UniqueConstraint(fields=["bsn_index"], name="youth_bsn_index_unique"),
            models.UniqueConstraint(
                fields=["onderwijsnummer"], name="youth_onderwijsnummer_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(bsn_index__isnull=False)
                | models.Q(onderwijsnummer__isnull=False)
                | models.Q(identified_by_school=True),
                name="youth_has_identifier",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_date__gte="1900-01-01"), name="youth_birth_date_sane"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality"], name="youth_municipality"),
            models.Index(fields=["last_name", "first_name"], name="youth_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.prefix, self.last_name) if p)

    @property
    def bsn(self) -> str:
        return crypto.decrypt(self.bsn_encrypted) if self.bsn_encrypted else ""

    def set_bsn(self, value: str | None) -> None:
        if value:
            self.bsn_encrypted = crypto.encrypt(value)
            self.bsn_index = crypto.blind_index(value)
        else:
            self.bsn_encrypted = ""
            self.bsn_index = None

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn) if self.bsn_encrypted else ""


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def schoolgoing(self) -> EnrolmentQuerySet:
        """The one definition of "schoolgaand": enrolled, and the unenrolment not yet processed.

        The nightly job processes an uitschrijfdatum the day after it; until then the youth is
        schoolgaand everywhere (JIKP lists, the DDD, the student portal), a pending (future)
        uitschrijfdatum included.
        """
        return self.filter(unenrolment_processed=False)


class Enrolment(models.Model):
    """Inschrijving of a youth at a school (or MBO institution)."""

    # No single-column indexes on youth and organisation: each is the leading column of
    # enrolment_unique_youth_school (youth, organisation) and enrolment_school_state respectively.
    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="enrolments", db_index=False
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("school"),
        db_index=False,
    )
    location = models.ForeignKey(
        "organisations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("location"),
    )
    class_name = models.CharField(_("class"), max_length=30, blank=True)
    school_year_level = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    student_number = models.CharField(_("student number"), max_length=30, blank=True)
    # The student's own address as the school supplied it (leerlinglijst): account instructions
    # and the activation mail of the student portal go there.
    student_email = models.EmailField(_("student e-mail address"), blank=True)
    enrolled_on = models.DateField(_("enrolment date"))
    unenrolled_on = models.DateField(_("unenrolment date"), null=True, blank=True)
    unenrolment_processed = models.BooleanField(
        _("unenrolment processed"),
        default=False,
        help_text=_("Set by the nightly job the day after the unenrolment date."),
    )
    leaving_year = models.PositiveSmallIntegerField(
        _("school year of leaving"),
        null=True,
        blank=True,
        help_text=_("2022 means school year 2021/2022."),
    )
    supplied_bsn = models.BooleanField(_("school supplied the BSN"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_on"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "organisation"], name="enrolment_unique_youth_school"
            ),
            models.CheckConstraint(
                condition=models.Q(unenrolled_on__isnull=True)
                | models.Q(unenrolled_on__gte=models.F("enrolled_on")),
                name="enrolment_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(leaving_year__isnull=True)
                | models.Q(leaving_year__gte=2000, leaving_year__lte=2100),
                name="enrolment_leaving_year_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "unenrolment_processed", "unenrolled_on"],
                name="enrolment_school_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} @ {self.organisation}"

    @property
    def school_year_label(self) -> str:
        if not self.leaving_year:
            return ""
        return f"{self.leaving_year - 1}/{self.leaving_year}"
