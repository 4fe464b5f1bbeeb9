"""Digitaal Doorstroomdossier (seed 001): questionnaire versions, dossiers, answers, the verloop and
the akkoordverklaring, plus the link between a student's portal account and their person record.

The state rules live in domain/state.py; the TextChoices below mirror its enums (a test keeps
both in step).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DEEL_A = "deel_a", _("Part A (student)")
    DEEL_B = "deel_b", _("Part B (mentor)")
    AKKOORD = "akkoordverklaring", _("Declaration of consent")
    AFGEROND = "afgerond", _("Completed")


class Part(models.TextChoices):
    A = "a", _("Part A")
    B_STUDENT = "b_leerling", _("Part B, student-specific part")
    B_DOSSIER = "b_dossier", _("Part B, dossier-specific part")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    DATE = "date", _("Date")


class EventKind(models.TextChoices):
    STARTED = "gestart", _("Dossier started")
    ANSWERS_SAVED = "antwoorden", _("Answers saved")
    DEEL_A_SENT = "deel_a_opgestuurd", _("Part A sent")
    DEEL_B_STARTED = "deel_b_gestart", _("Part B started")
    SENT_TO_STUDENT = "naar_leerling", _("Sent to the student for consent")
    SENT_BACK = "teruggezet", _("Sent back to the student")
    CONSENT_GIVEN = "akkoordverklaring", _("Declaration of consent filled in")
    CHANGE_REQUESTED = "wijzigen", _("Student reopened part A")
    COMPLETED = "afgerond", _("Dossier completed")
    ARCHIVED = "gearchiveerd", _("Archived")
    REACTIVATED = "geactiveerd", _("Reactivated")


class GuardianRelation(models.TextChoices):
    PARENT = "ouder", _("Parent")
    GUARDIAN = "voogd", _("Legal guardian")
    CARER = "verzorger", _("Carer")


class StudentAccount(models.Model):
    """Links a student's portal account (User.kind student) to their person record."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_account"
    )
    youth = models.OneToOneField(
        "youth.Youth", on_delete=models.CASCADE, related_name="student_account"
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    # "Activeer DDD": set once a BSN is linked to the student's person record (seed 001).
    ddd_activated_at = models.DateTimeField(_("DDD activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("student account")
        verbose_name_plural = _("student accounts")

    def __str__(self) -> str:
        return f"{self.user} → {self.youth_id}"


class ClassMentor(models.Model):
    """The klaskoppeling: which mentor(s) a class of a school has. The decaan keeps it correct
    ("Alle leerlingen → mentoren"); a student chooses among the mentors of their class and the
    school's decanen when sending deel A."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="class_mentors",
        verbose_name=_("school"),
    )
    class_name = models.CharField(_("class"), max_length=30)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_classes",
        verbose_name=_("mentor"),
    )
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        ordering = ["class_name", "mentor__last_name"]
        verbose_name = _("class mentor")
        verbose_name_plural = _("class mentors")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "class_name", "mentor"], name="class_mentor_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(class_name=""), name="class_mentor_class_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["mentor", "organisation"], name="class_mentor_mentor")]

    def __str__(self) -> str:
        return f"{self.class_name}: {self.mentor}"


class SchoolDossierSetting(models.Model):
    """A school's DDD settings, set by its decaan. Without a row the defaults hold."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="dossier_setting",
        verbose_name=_("school"),
    )
    parallel_dossiers = models.BooleanField(
        _("students may have more than one open dossier"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("school transfer dossier setting")
        verbose_name_plural = _("school transfer dossier settings")

    def __str__(self) -> str:
        return str(self.organisation_id)


class QuestionnaireVersion(models.Model):
    """One version of the questionnaire. Published versions are never changed; a dossier keeps
    the version it started with."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="qversion_number_pos"),
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_at__isnull=False),
                name="qversion_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class Step(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="steps"
    )
    key = models.SlugField(_("key"), max_length=50)
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="step_key_unique"),
            models.CheckConstraint(
                condition=models.Q(part__in=[p.value for p in Part]), name="step_part_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        _("key"), max_length=50, help_text=_("Unique within the questionnaire version.")
    )
    section = models.CharField(_("section"), max_length=200, blank=True)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(_("options"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["step__order", "step_id", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["step", "key"], name="question_key_unique_in_step"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in QuestionKind]),
                name="question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Dossier(models.Model):
    youth = models.ForeignKey(
        "youth.Youth", on_delete=models.CASCADE, related_name="dossiers", verbose_name=_("student")
    )
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("school"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentor_dossiers",
        verbose_name=_("mentor or careers counsellor"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    questionnaire = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("questionnaire version"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DEEL_A)
    archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    aanmelding = models.ForeignKey(
        "jikp.Aanmelding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("MBO application"),
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    deel_b_started_at = models.DateTimeField(_("part B started at"), null=True, blank=True)
    deel_a_sent_at = models.DateTimeField(_("part A sent at"), null=True, blank=True)
    sent_to_student_at = models.DateTimeField(_("sent to the student at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer dossier")
        verbose_name_plural = _("transfer dossiers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phase__in=[p.value for p in Phase]), name="dossier_phase_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(archived=False, archived_at__isnull=True)
                | models.Q(archived=True, archived_at__isnull=False),
                name="dossier_archived_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(phase="deel_a") | models.Q(mentor__isnull=False),
                name="dossier_mentor_after_deel_a",
            ),
            models.CheckConstraint(
                condition=models.Q(phase="deel_a") | models.Q(deel_a_sent_at__isnull=False),
                name="dossier_deel_a_sent_after_deel_a",
            ),
            models.CheckConstraint(
                condition=models.Q(phase__in=["deel_a", "deel_b"])
                | models.Q(sent_to_student_at__isnull=False, deel_b_started_at__isnull=False),
                name="dossier_sent_to_student_in_akkoord",
            ),
            models.CheckConstraint(
                condition=models.Q(phase="afgerond", completed_at__isnull=False)
                | (~models.Q(phase="afgerond") & models.Q(completed_at__isnull=True)),
                name="dossier_completed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "archived", "phase"], name="dossier_school_phase"),
            models.Index(fields=["mentor", "archived", "phase"], name="dossier_mentor_phase"),
            models.Index(fields=["youth", "-created_at"], name="dossier_youth"),
        ]

    def __str__(self) -> str:
        return str(_("Dossier %(number)s") % {"number": self.pk})


class Answer(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(_("answer"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.question_id}"


class DossierEvent(models.Model):
    """The verloop: who did what when, and from which phase to which."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    from_phase = models.CharField(_("from phase"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to phase"), max_length=20, choices=Phase.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in EventKind]),
                name="dossier_event_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(from_phase__in=[p.value for p in Phase])
                & models.Q(to_phase__in=[p.value for p in Phase]),
                name="dossier_event_phases_valid",
            ),
        ]
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_event_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class Consent(models.Model):
    """The akkoordverklaring of the student, with a parent's or guardian's consent when under 18."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="consent")
    remark = models.TextField(_("remarks"), blank=True)
    guardian_name = models.CharField(_("name of parent or guardian"), max_length=200, blank=True)
    guardian_relation = models.CharField(
        _("relation"), max_length=20, choices=GuardianRelation.choices, blank=True
    )
    guardian_consented_on = models.DateField(
        _("date of the parent's or guardian's consent"), null=True, blank=True
    )
    given_on = models.DateField(_("date"))
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("declaration of consent")
        verbose_name_plural = _("declarations of consent")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    guardian_name="", guardian_relation="", guardian_consented_on__isnull=True
                )
                | (
                    ~models.Q(guardian_name="")
                    & models.Q(guardian_relation__in=[r.value for r in GuardianRelation])
                    & models.Q(guardian_consented_on__lte=models.F("given_on"))
                ),
                name="consent_guardian_complete",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Declaration of consent of dossier %(number)s") % {"number": self.dossier_id})
