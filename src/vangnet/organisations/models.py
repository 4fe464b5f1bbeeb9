"""Regions, municipalities and the organisations that work in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Doorstroompunt region (formerly RMC region): the unit that shares youth data."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A gemeente, always part of one region."""

    name = models.CharField(_("name"), max_length=200)
    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    PRO_SCHOOL = "pro", _("PrO school")
    VSO_SCHOOL = "vso", _("VSO school")
    VO_SCHOOL = "vo", _("VO school")
    MBO = "mbo", _("MBO institution")
    MUNICIPALITY = "gemeente", _("Municipality / Doorstroompunt")
    WORK_AND_INCOME = "werk_inkomen", _("Work and income")
    CARE_ACCESS = "toegang", _("Access WMO/Youth care")
    GENERALISTS = "generalisten", _("Generalists / neighbourhood team")
    YOUTH_SPECIALIST = "servicebureau", _("Service bureau / youth specialist")
    CARE_PROVIDER = "zorgaanbieder", _("Care provider")
    PLATFORM = "platform", _("Platform management")


SCHOOL_KINDS = frozenset(
    {OrganisationKind.PRO_SCHOOL, OrganisationKind.VSO_SCHOOL, OrganisationKind.VO_SCHOOL}
)
EDUCATION_KINDS = SCHOOL_KINDS | {OrganisationKind.MBO}
CHAIN_PARTNER_KINDS = frozenset(
    {
        OrganisationKind.WORK_AND_INCOME,
        OrganisationKind.CARE_ACCESS,
        OrganisationKind.GENERALISTS,
        OrganisationKind.YOUTH_SPECIALIST,
        OrganisationKind.CARE_PROVIDER,
    }
)


class Organisation(models.Model):
    """A school, MBO institution, municipality, chain partner or the platform management."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", null=True, blank=True
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text=_(
            "Seat of the organisation; for a municipality organisation, the municipality itself."
        ),
    )
    brin = models.CharField(_("BRIN"), max_length=4, blank=True)
    has_entree = models.BooleanField(_("offers Entree programmes"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Preferences (Instellingen): start monitoring youth who left to this perspective automatically.
    auto_monitor_education = models.BooleanField(
        _("monitor youth who left for education automatically"), default=False
    )
    auto_monitor_work = models.BooleanField(
        _("monitor youth who left for work automatically"), default=False
    )
    auto_monitor_day_care = models.BooleanField(
        _("monitor youth who left for day care automatically"), default=False
    )
    # An MBO that takes part in the Digitaal Doorstroomdossier sees the completed dossiers of its
    # applicants, with the OPP / warme-overdracht answers (seed 001).
    takes_part_in_ddd = models.BooleanField(
        _("takes part in the digital transfer dossier"), default=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="platform") | models.Q(region__isnull=False),
                name="organisation_region_required",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="gemeente") | models.Q(municipality__isnull=False),
                name="municipality_org_has_municipality",
            ),
        ]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    @property
    def is_mbo(self) -> bool:
        return self.kind == OrganisationKind.MBO


class Location(models.Model):
    """A school building (vestiging) with its own BRIN vestigingsnummer."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    brin_vestiging = models.CharField(_("BRIN location number"), max_length=6, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="location_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Perspective(models.TextChoices):
    """Uitstroomperspectief: the best fitting next step for a youth as the school sees it."""

    EDUCATION = "onderwijs", _("Education")
    WORK = "arbeid", _("Work")
    DAY_CARE = "dagbesteding", _("Day care")


class ContactDesignation(models.Model):
    """A contact person designated for a municipality and an uitstroomperspectief (seed 000 §8.2)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="contacts"
    )
    perspective = models.CharField(
        _("uitstroomperspectief"), max_length=20, choices=Perspective.choices
    )
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="designations")

    class Meta:
        verbose_name = _("designated contact person")
        verbose_name_plural = _("designated contact persons")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "perspective", "user"], name="designation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} / {self.get_perspective_display()}: {self.user}"
