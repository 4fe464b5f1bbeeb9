"""GRIP-JIKP-style follow-up of schoolgoing youth: uitstroomperspectief, contacts, samenwerking,
trajecten, MBO aanmeldingen and documents (seed 000)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.organisations.models import Perspective


class PerspectiveStatus(models.TextChoices):
    """Mirrors jikp.domain.perspectives.Status (a test keeps both in step)."""

    EDU_ORIENTING = "onderwijs_orienterend", _("Orienting")
    EDU_APPLIED = "onderwijs_aangemeld", _("Applied")
    EDU_PROVISIONAL = "onderwijs_voorlopig", _("Provisionally admitted")
    EDU_FINAL = "onderwijs_definitief", _("Final")
    WORK_ORIENTING = "arbeid_orienterend", _("Orienting")
    WORK_INTERNSHIP = "arbeid_stage", _("Internship / work experience")
    WORK_TRIAL = "arbeid_proefplaatsing", _("Trial placement")
    WORK_CONTRACT = "arbeid_arbeidsovereenkomst", _("Employment contract")
    DAY_ORIENTING = "dagbesteding_orienterend", _("Orienting")
    DAY_APPLIED = "dagbesteding_aangemeld", _("Applied")
    DAY_TRIAL = "dagbesteding_proefplaatsing", _("Trial placement")
    DAY_FINAL = "dagbesteding_definitief", _("Final day care")


class EducationLevel(models.TextChoices):
    """MBO level of the follow-up programme (§4.3.1)."""

    LEVEL_1 = "1", _("Level 1 (Entree)")
    LEVEL_2 = "2", _("Level 2")
    LEVEL_3 = "3", _("Level 3")
    LEVEL_4 = "4", _("Level 4")


class LearningPath(models.TextChoices):
    BOL = "BOL", _("BOL (school-based)")
    BBL = "BBL", _("BBL (work-based)")


class ContractType(models.TextChoices):
    PERMANENT = "vast", _("Permanent contract")
    FIXED_TERM = "tijdelijk", _("Fixed-term contract")
    ON_CALL = "oproep", _("On-call contract")
    AGENCY = "uitzend", _("Temporary agency work")
    SHELTERED = "beschut", _("Sheltered work")


class DayCareType(models.TextChoices):
    WORK_ORIENTED = "arbeidsmatig", _("Work-oriented")
    REGULAR = "regulier", _("Regular")
    EDUCATIONAL = "educatief", _("Educational")


class Uitstroomperspectief(models.Model):
    """The best fitting next step for a youth as the school sees it. One active per youth."""

    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="perspectives")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )
    kind = models.CharField(_("uitstroomperspectief"), max_length=20, choices=Perspective.choices)
    status = models.CharField(_("status"), max_length=40, choices=PerspectiveStatus.choices)
    is_active = models.BooleanField(_("active"), default=True)
    details_complete = models.BooleanField(_("details filled in"), default=False)
    # Onderwijs
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=EducationLevel.choices, blank=True)
    learning_path = models.CharField(
        _("learning path"), max_length=20, choices=LearningPath.choices, blank=True
    )
    # Arbeid
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    job = models.CharField(_("job"), max_length=200, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    contract_type = models.CharField(
        _("contract type"), max_length=40, choices=ContractType.choices, blank=True
    )
    job_support = models.CharField(_("support at work"), max_length=300, blank=True)
    # Dagbesteding
    day_care_type = models.CharField(
        _("type of day care"), max_length=20, choices=DayCareType.choices, blank=True
    )
    provider = models.CharField(_("provider / location"), max_length=200, blank=True)
    support_need = models.TextField(_("support need"), blank=True)
    work_potential = models.BooleanField(_("potential to move on to work in time"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("uitstroomperspectief")
        verbose_name_plural = _("uitstroomperspectieven")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=models.Q(is_active=True),
                name="one_active_perspective_per_youth",
            ),
            models.CheckConstraint(
                condition=models.Q(status__startswith=models.F("kind")),
                name="perspective_status_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True) | models.Q(hours_per_week__lte=60),
                name="perspective_hours_sane",
            ),
        ]
        indexes = [models.Index(fields=["youth", "is_active"], name="perspective_youth_active")]

    def __str__(self) -> str:
        return f"{self.youth}: {self.get_kind_display()}"


class PerspectiveChange(models.Model):
    """One line in the timeline (§5.4): who changed the perspective or its status, from what to what."""

    youth = models.ForeignKey(
        "youth.Youth", on_delete=models.CASCADE, related_name="perspective_changes"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    from_kind = models.CharField(
        _("from perspective"), max_length=20, choices=Perspective.choices, blank=True
    )
    from_status = models.CharField(
        _("from status"), max_length=40, choices=PerspectiveStatus.choices, blank=True
    )
    to_kind = models.CharField(_("to perspective"), max_length=20, choices=Perspective.choices)
    to_status = models.CharField(_("to status"), max_length=40, choices=PerspectiveStatus.choices)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("perspective change")
        verbose_name_plural = _("perspective changes")
        indexes = [models.Index(fields=["youth", "-at"], name="perspective_change_youth")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.from_kind}/{self.from_status} -> {self.to_kind}/{self.to_status}"


def dossier_upload_path(instance: PerspectiveDocument, filename: str) -> str:
    extension = ".docx" if instance.content_type.endswith("document") else ".pdf"
    return f"dossiers/{instance.perspective.youth_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.pk or 'new'}{extension}"


class PerspectiveDocument(models.Model):
    """A dossier (DAD, Dagbesteding Arbeid Dossier) uploaded for a work or day-care perspective."""

    perspective = models.ForeignKey(
        Uitstroomperspectief, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=dossier_upload_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")

    def __str__(self) -> str:
        return self.original_name


class ContactPerson(models.Model):
    """A staff member linked to a youth as contact person (§4.1, §5.2)."""

    youth = models.ForeignKey(
        "youth.Youth", on_delete=models.CASCADE, related_name="contact_persons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="youth_contacts"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.UniqueConstraint(fields=["youth", "user"], name="contact_person_unique")
        ]
        indexes = [models.Index(fields=["organisation", "youth"], name="contact_person_org_youth")]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class SamenwerkingStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Requested")
    CONTACT_LINKED = "contact_gekoppeld", _("Contact person linked")
    CLOSED = "afgesloten", _("Closed")


class Samenwerking(models.Model):
    """A school asks the designated chain partner of the youth's municipality to work together (§4.5)."""

    youth = models.ForeignKey(
        "youth.Youth", on_delete=models.CASCADE, related_name="samenwerkingen"
    )
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="samenwerkingen"
    )
    kind = models.CharField(_("uitstroomperspectief"), max_length=20, choices=Perspective.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SamenwerkingStatus.choices,
        default=SamenwerkingStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("samenwerking")
        verbose_name_plural = _("samenwerkingen")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "partner"],
                condition=~models.Q(status="afgesloten"),
                name="one_open_samenwerking_per_partner",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="onderwijs"), name="samenwerking_not_for_education"
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "status"], name="samenwerking_partner"),
            models.Index(fields=["school", "status"], name="samenwerking_school"),
        ]

    def __str__(self) -> str:
        return f"{self.youth} - {self.partner}"


class TrajectKind(models.TextChoices):
    INTEGRATION = "inburgering", _("Civic integration")
    SELF_EMPLOYED = "zzp", _("Self-employment (ZZP)")
    LANGUAGE = "taal", _("Language course")
    JOB_COACHING = "jobcoaching", _("Job coaching")
    DEBT_SUPPORT = "schuldhulp", _("Debt support")
    CARE = "zorg", _("Care or treatment")
    OTHER = "overig", _("Other")


class Traject(models.Model):
    """A programme the youth follows apart from the perspective (§4.6), visible to chain partners."""

    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="trajecten")
    kind = models.CharField(_("type of programme"), max_length=20, choices=TrajectKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="traject_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class AanmeldingStatus(models.TextChoices):
    RUNNING = "lopend", _("Running")
    PLACED = "geplaatst", _("Placed")
    REJECTED = "afgewezen", _("Rejected")
    WITHDRAWN = "ingetrokken", _("Withdrawn")


class Aanmelding(models.Model):
    """An application to an MBO programme. Filled by MBO feeds in a later module; entered by hand now."""

    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="aanmeldingen")
    institution = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="aanmeldingen"
    )
    programme = models.CharField(_("programme"), max_length=200)
    level = models.CharField(_("level"), max_length=20, blank=True)
    learning_path = models.CharField(_("learning path"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AanmeldingStatus.choices,
        default=AanmeldingStatus.RUNNING,
    )
    applied_on = models.DateField(_("application date"), default=timezone.localdate)

    class Meta:
        ordering = ["-applied_on"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["youth", "status"], name="aanmelding_youth_status")]

    def __str__(self) -> str:
        return f"{self.youth} → {self.programme}"


class Document(models.Model):
    """Manuals and other documents platform management puts ready for everyone (§8.3)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="documenten/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class Monitoring(models.Model):
    """Follow-up of a youth after leaving school (§7, §9). The nightly job starts it when the school
    asked for that in its settings for the youth's perspective kind."""

    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="monitorings")
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )
    perspective_kind = models.CharField(
        _("uitstroomperspectief"), max_length=20, choices=Perspective.choices
    )
    started_on = models.DateField(_("monitoring started on"))
    started_automatically = models.BooleanField(_("started automatically"), default=False)

    class Meta:
        verbose_name = _("monitoring")
        verbose_name_plural = _("monitorings")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "school"], name="monitoring_unique_youth_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.youth} ({self.started_on:%Y-%m-%d})"
