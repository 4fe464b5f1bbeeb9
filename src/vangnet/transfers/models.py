"""Import jobs: one uploaded (or command-line) file of one kind, its status, counts and report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    """Mirrors transfers.domain.columns.Kind (a test keeps both in step)."""

    YOUTH_LIST = "jongerenlijst", _("Youth list")
    PERSPECTIVES = "uitstroomperspectieven", _("Update uitstroomperspectieven")
    UNENROLMENTS = "uitschrijfdatums", _("Update unenrolment dates")
    LEAVING_YEARS = "jaar-van-uitstroom", _("Update year of leaving")
    STUDENT_LIST = "leerlinglijst", _("Student list (DDD)")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    INVALID = "invalid", _("Not processed: errors")
    VALID = "valid", _("Checked, ready to process")
    APPLYING = "applying", _("Processing")
    DONE = "done", _("Processed")
    FAILED = "failed", _("Failed")


IN_PROGRESS = frozenset({ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.APPLYING})
FINISHED = frozenset({ImportStatus.INVALID, ImportStatus.DONE, ImportStatus.FAILED})


class ImportSource(models.TextChoices):
    WEB = "web", _("Upload")
    CLI = "cli", _("Command line")


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=ImportKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=ImportSource.choices, default=ImportSource.WEB
    )
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows_total = models.PositiveIntegerField(_("rows read"), default=0)
    rows_created = models.PositiveIntegerField(_("rows to create / created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows to update / updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    rows_with_account = models.PositiveIntegerField(
        _("students who already had an account"), default=0
    )
    # A jongerenlijst's rows for youth enrolled at another school too: the school confirms them
    # before the file is processed.
    rows_enrolled_elsewhere = models.PositiveIntegerField(
        _("rows of youth enrolled at another school"), default=0
    )
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("The first 1,000 errors.")
    )
    notes = models.JSONField(_("notes"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="import_job_progress_percent"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="import_job_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values), name="import_job_kind_known"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="import_job_org_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def has_changes(self) -> bool:
        return bool(self.rows_created or self.rows_updated)

    @property
    def errors_left_out(self) -> int:
        return max(self.error_count - len(self.errors or []), 0)


class ImportFile(models.Model):
    """The uploaded workbook, encrypted, kept only until the job is processed or refused."""

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, related_name="stored_file")
    content = models.BinaryField()

    class Meta:
        verbose_name = _("import file")
        verbose_name_plural = _("import files")

    def __str__(self) -> str:
        return f"file of import {self.job_id}"
