"""The dossier as PDF (WeasyPrint), rendered from the same answers template as the screens.

`dossier_pdf` only renders (the completion mail attaches it); `dossier_pdf_download` is the audited
download every PDF view returns.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record

from . import selectors
from .models import Consent, Dossier, Part

PDF_TYPE = "application/pdf"


def _part_title(part: str) -> str:
    return {
        Part.A: _("Part A: filled in by the student"),
        Part.B_STUDENT: _("Part B: student-specific part (mentor)"),
        Part.B_DOSSIER: _("Part B: dossier-specific part (mentor)"),
    }[Part(part)]


def dossier_pdf(*, dossier: Dossier, parts: Sequence[str] = tuple(Part.values)) -> bytes:
    """The chosen parts (Part values, in the order given) and, for the whole dossier, the
    akkoordverklaring, as one PDF document."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs ~0.3 s

    steps = selectors.dossier_document(dossier=dossier, parts=parts)
    sections = [
        {"title": _part_title(part), "steps": [s for s in steps if s.part == part]}
        for part in parts
    ]
    whole = set(parts) == set(Part.values)
    consent = Consent.objects.filter(dossier=dossier).first() if whole else None
    if whole:
        title = _("Transfer dossier")
    elif list(parts) == [Part.A]:
        title = _("Transfer dossier: part A")
    else:
        title = _("Transfer dossier: part B")
    html = render_to_string(
        "dossiers/pdf/dossier.html",
        {
            "dossier": dossier,
            "sections": sections,
            "consent": consent,
            "title": title,
            "header": selectors.dossier_pdf_header(dossier=dossier),
            "footer": _("Vangnet · transfer dossier %(number)s") % {"number": dossier.pk},
        },
    )
    return bytes(HTML(string=html).write_pdf())


def dossier_pdf_filename(*, dossier: Dossier, parts: Sequence[str] = tuple(Part.values)) -> str:
    """A file name without the student's name (it ends up in download folders and mail)."""
    if set(parts) == set(Part.values):
        suffix = "volledig"
    elif list(parts) == [Part.A]:
        suffix = "deel-a"
    else:
        suffix = "deel-b"
    return f"doorstroomdossier-{dossier.pk}-{suffix}.pdf"


def dossier_pdf_download(
    *,
    dossier: Dossier,
    user: User,
    description: str,
    parts: Sequence[str] = tuple(Part.values),
) -> HttpResponse:
    """The PDF as a download (never cached), audited as an export of the student's record in the
    same transaction as the render. Every audience's PDF view ends here."""
    with transaction.atomic():
        content = dossier_pdf(dossier=dossier, parts=parts)
        audit_record(
            user=user,
            action=AuditAction.EXPORT,
            obj=dossier,
            youth_id=dossier.youth_id,
            description=description,
            detail={"parts": list(parts)},
        )
    response = HttpResponse(content, content_type=PDF_TYPE)
    filename = dossier_pdf_filename(dossier=dossier, parts=parts)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
