"""Checks for uploaded documents: size limit and real file type by content, not by name."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def validate_upload(uploaded: UploadedFile, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Return the content type of a PDF or Word (.docx) upload; refuse anything else."""
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("The file is damaged.")) from exc
        finally:
            uploaded.seek(0)
        if "word/document.xml" in names:
            return DOCX
    raise ValidationError(_("Only PDF or Word (.docx) files can be uploaded."))
