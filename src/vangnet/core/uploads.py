"""Uploaded documents: size limit and real file type by content, not by name; encryption at rest
for documents about a person (the DAD of a youth)."""

from __future__ import annotations

import base64
import zipfile
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
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


# --- Encryption at rest --------------------------------------------------------------------------
# A person's documents lie in media as Fernet tokens (AES-128-CBC + HMAC-SHA256) under a key derived
# by HKDF from VANGNET_FIELD_KEY with a label of its own, unrelated to the BSN and import-file keys.
# A file stored before encryption began (it starts as a PDF or a .docx does) is still served as it
# is; re-uploading it stores it encrypted.


@lru_cache(maxsize=4)
def _fernet(field_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"vangnet-person-upload"
    ).derive(field_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def sealed_upload(uploaded: UploadedFile) -> ContentFile[bytes]:
    """The upload's content, encrypted, ready for FieldFile.save()."""
    uploaded.seek(0)
    return ContentFile(_fernet(settings.FIELD_KEY).encrypt(uploaded.read()))


def read_sealed(stored: File) -> bytes:
    """The plain content of a stored document (FileNotFoundError when the file is gone)."""
    with stored.open("rb") as handle:
        data = handle.read()
    if data.startswith((b"%PDF-", b"PK\x03\x04")):  # stored before encryption began
        return bytes(data)
    return _fernet(settings.FIELD_KEY).decrypt(bytes(data))
