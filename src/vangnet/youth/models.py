"""The person record shared by every module, and enrolments at schools."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connections, models, transaction
from django.utils.translation import gettext_lazy as _

from vangnet.core import crypto

from .domain.identifiers import mask_bsn

# The Youth columns YouthRegion depends on: the gemeente, and the columns it copies for sorting.
YOUTH_REGION_SOURCE = ("municipality_id", "last_name", "first_name", "birth_date")


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
    _saved_region_key: tuple[Any, ...] = ()  # as loaded: save() notices a move or new name

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving keeps YouthRegion exact when the youth is new, moves to another gemeente or
        changes a column that YouthRegion copies for sorting."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        key = self._region_key()
        if (adding and self.municipality_id is not None) or (
            not adding and key != self._saved_region_key
        ):
            YouthRegion.objects.sync(youth_ids=[self.pk])
        self._saved_region_key = key

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Youth:
        instance = super().from_db(*args, **kwargs)
        instance._saved_region_key = instance._region_key()
        return instance

    def _region_key(self) -> tuple[Any, ...]:
        """What YouthRegion depends on (deferred fields count as unchanged)."""
        return tuple(self.__dict__.get(name) for name in YOUTH_REGION_SOURCE)

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
    _saved_organisation_id: int | None = None  # as loaded: save() notices a change of school

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a new enrolment (or one moved to another school) keeps YouthRegion exact."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding or self.organisation_id != self._saved_organisation_id:
            YouthRegion.objects.sync(youth_ids=[self.youth_id])
        self._saved_organisation_id = self.organisation_id

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        youth_id = self.youth_id
        result = super().delete(*args, **kwargs)
        YouthRegion.objects.sync(youth_ids=[youth_id])
        return result

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Enrolment:
        instance = super().from_db(*args, **kwargs)
        instance._saved_organisation_id = instance.__dict__.get("organisation_id")
        return instance

    @property
    def school_year_label(self) -> str:
        if not self.leaving_year:
            return ""
        return f"{self.leaving_year - 1}/{self.leaving_year}"


# The visible set of a gemeente (Doorstroompunt) as rows: the regions of a youth's gemeente of
# residence and of every school it was ever enrolled at. Both paths in one statement, so the
# rebuild and the consistency check compute exactly what sync() keeps.
_WANTED_SQL = """
    SELECT m.region_id, y.id, y.last_name, y.first_name, y.birth_date FROM youth_youth y
    JOIN organisations_municipality m ON m.id = y.municipality_id {youth_filter}
    UNION
    SELECT o.region_id, e.youth_id, y.last_name, y.first_name, y.birth_date
    FROM youth_enrolment e
    JOIN organisations_organisation o ON o.id = e.organisation_id
    JOIN youth_youth y ON y.id = e.youth_id
    WHERE o.region_id IS NOT NULL {enrolment_filter}
"""
_COLUMNS = ("region_id", "youth_id", "last_name", "first_name", "birth_date")
_INSERT = f"INSERT INTO youth_youthregion ({', '.join(_COLUMNS)}) "
SYNC_CHUNK = 2000


def _row(values: Any) -> tuple[Any, ...]:
    """A row as a comparable tuple (SQLite returns dates from raw SQL as text)."""
    region_id, youth_id, last_name, first_name, birth_date = values
    if isinstance(birth_date, str):
        birth_date = date.fromisoformat(birth_date)
    return (region_id, youth_id, last_name, first_name, birth_date)


class YouthRegionManager(models.Manager["YouthRegion"]):
    def sync(self, *, youth_ids: Iterable[int]) -> None:
        """Make the rows of these youth exact. The one write path of this table: called by every
        save that enrols, unenrols or moves a youth, and by the bulk writers (imports, seeds)
        after their own inserts, in the caller's transaction."""
        ids = sorted({int(pk) for pk in youth_ids if pk is not None})
        with transaction.atomic(using=self.db):
            for start in range(0, len(ids), SYNC_CHUNK):
                self._sync_chunk(ids[start : start + SYNC_CHUNK])

    def _sync_chunk(self, ids: list[int]) -> None:
        marks = ", ".join(["%s"] * len(ids))
        sql = _WANTED_SQL.format(
            youth_filter=f"WHERE y.id IN ({marks})", enrolment_filter=f"AND e.youth_id IN ({marks})"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [*ids, *ids])
            wanted = {_row(values) for values in cursor.fetchall()}
        have = {
            _row(values[1:]): values[0]
            for values in self.filter(youth_id__in=ids).values_list("pk", *_COLUMNS)
        }
        stale = [pk for key, pk in have.items() if key not in wanted]
        if stale:
            self.filter(pk__in=stale).delete()
        missing = [
            YouthRegion(**dict(zip(_COLUMNS, key, strict=True))) for key in wanted - have.keys()
        ]
        if missing:
            self.bulk_create(missing)

    def rebuild(self) -> None:
        """Refill the whole table from youth and enrolments (data migration, national seed)."""
        self.all()._raw_delete(self.db)
        with connections[self.db].cursor() as cursor:
            cursor.execute(_INSERT + _WANTED_SQL.format(youth_filter="", enrolment_filter=""))

    def insert_from(self, *, first_youth_id: int) -> None:
        """Add the rows of the youth with id >= first_youth_id, loaded in bulk (COPY) just before,
        in the same transaction; the national seed's set-based form of sync()."""
        sql = _WANTED_SQL.format(
            youth_filter="WHERE y.id >= %s", enrolment_filter="AND e.youth_id >= %s"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(_INSERT + sql, [first_youth_id, first_youth_id])

    def differences(self) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
        """(missing, superfluous) rows (region, youth, sort columns): both empty when exact."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(_WANTED_SQL.format(youth_filter="", enrolment_filter=""))
            wanted = {_row(values) for values in cursor.fetchall()}
        have = {_row(values) for values in self.values_list(*_COLUMNS)}
        return wanted - have, have - wanted


class YouthRegion(models.Model):
    """A region whose gemeente (Doorstroompunt) may see the youth: where it lives, and where each
    school it was enrolled at lies. Derived data, kept by YouthRegion.objects.sync(); it turns
    the gemeente's visibility into one index range instead of an OR over a join and a sub-query
    (docs/performance.md). The youth's sort columns are copied so that a page of the gemeente's
    list, in any of its sort orders, is read from one index of this table."""

    region = models.ForeignKey(
        "organisations.Region", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="region_rows", db_index=False
    )
    last_name = models.CharField(max_length=150)
    first_name = models.CharField(max_length=100)
    birth_date = models.DateField()

    objects = YouthRegionManager()

    class Meta:
        verbose_name = _("visibility of a youth in a region")
        constraints = [
            models.UniqueConstraint(fields=["region", "youth"], name="youthregion_region_youth")
        ]
        indexes = [
            models.Index(fields=["youth"], name="youthregion_youth"),
            models.Index(
                fields=["region", "last_name", "first_name", "youth"], name="youthregion_name"
            ),
            models.Index(fields=["region", "birth_date", "youth"], name="youthregion_birth_date"),
        ]

    def __str__(self) -> str:
        return f"{self.youth_id} @ region {self.region_id}"
