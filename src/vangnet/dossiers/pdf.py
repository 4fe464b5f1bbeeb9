"""The dossier as PDF (WeasyPrint), rendered from the same answers template as the screens.

`dossier_pdf` only renders; the view or service that calls it audits the download.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

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
