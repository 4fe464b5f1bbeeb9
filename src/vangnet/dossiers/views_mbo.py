"""The MBO's view of the Digitaal Doorstroomdossier (seed 001, "Dossier afgerond").

An MBO that takes part in the DDD sees the completed dossiers of the students who applied to it,
with the "OPP en nader contact" answers of the mentor (warme overdracht, contact wanted). The
scoping lives in selectors.dossiers_for_mbo: another MBO's applicants, a withdrawn application or a
dossier tied to an application elsewhere give 404. No BSN is loaded, let alone shown. Every list
page (one event per student shown), every dossier opened and every PDF downloaded is audited in
the transaction of the read.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_many, audit_record
from vangnet.core.decorators import permission_required
from vangnet.core.users import signed_in_user
from vangnet.jikp.models import Aanmelding, AanmeldingStatus
from vangnet.youth.domain.identifiers import is_valid_bsn, normalise_number

from . import selectors
from .domain import questionnaire
from .models import Answer, Consent, Dossier, Part
from .pdf import dossier_pdf_download

PAGE_SIZE = 25
YES, NO = "ja", "nee"
# The mentor's answers under "Ondersteuning → OPP en nader contact", shown at the top of a dossier.
HIGHLIGHT_KEYS = tuple(questionnaire.FIXED_KINDS)
FLAG_KEYS = {
    "warm": questionnaire.FixedKey.WARM_HANDOVER,
    "contact": questionnaire.FixedKey.CONTACT_WANTED,
}
BSN_REFUSED = gettext_lazy(
    "Searching by BSN is not possible here: a BSN is never shown to an MBO and never goes in a "
    "web address. Search by name instead."
)
_FLAG_CHOICES = [
    ("", gettext_lazy("All")),
    (YES, gettext_lazy("Yes")),
    (NO, gettext_lazy("No")),
]


class MboListForm(forms.Form):
    """The filters of the list, read from GET; a value that does not validate is ignored."""

    q = forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False)
    warm = forms.ChoiceField(
        label=gettext_lazy("Warm handover of a care file"), choices=_FLAG_CHOICES, required=False
    )
    contact = forms.ChoiceField(
        label=gettext_lazy("Contact wanted"), choices=_FLAG_CHOICES, required=False
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"
        for name in ("warm", "contact"):
            self.fields[name].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"

    def clean_q(self) -> str:
        term = " ".join(self.cleaned_data.get("q", "").split())
        number = normalise_number(term)
        if number.isdigit() and len(number) == 9 and is_valid_bsn(number):
            raise forms.ValidationError(BSN_REFUSED, code="bsn")
        return term


def _flag_filter(key: str, wanted: str) -> Exists:
    return Exists(
        Answer.objects.filter(dossier_id=OuterRef("pk"), question__key=key, value=wanted == YES)
    )


def _programme(user_organisation_id: int) -> Coalesce:
    """The opleiding: of the application the dossier is tied to, else of the (newest, not
    withdrawn) application of the student to this MBO."""
    applied_here = (
        Aanmelding.objects.filter(
            youth_id=OuterRef("youth_id"), institution_id=user_organisation_id
        )
        .exclude(status=AanmeldingStatus.WITHDRAWN)
        .order_by("-applied_on", "-id")
        .values("programme")[:1]
    )
    return Coalesce(F("aanmelding__programme"), Subquery(applied_here))


def _filtered(
    request: HttpRequest,
) -> tuple[QuerySet[Dossier], dict[str, Any], MboListForm, bool]:
    user = signed_in_user(request)
    form = MboListForm(request.GET)
    form.is_valid()
    bsn_refused = "q" in form.errors
    if bsn_refused:  # never echo the BSN back in the search box
        without_q = request.GET.copy()
        without_q.pop("q", None)
        form = MboListForm(without_q)
        form.is_valid()
    data = form.cleaned_data  # invalid values are absent: ignored
    qs = selectors.dossiers_for_mbo(user=user).annotate(
        programme=_programme(user.organisation_id or 0)
    )
    query: dict[str, Any] = {}
    for name, key in FLAG_KEYS.items():
        wanted = data.get(name) or ""
        if wanted:
            qs = qs.filter(_flag_filter(key, wanted))
            query[name] = wanted
    term = data.get("q") or ""
    for word in term.split():
        qs = qs.filter(
            Q(youth__first_name__icontains=word)
            | Q(youth__prefix__icontains=word)
            | Q(youth__last_name__icontains=word)
        )
    if term:
        query["q"] = term
    return qs, query, form, bsn_refused


@require_GET
@permission_required("dossiers.view_mbo")
def dossier_list(request: HttpRequest) -> HttpResponse:
    """Completed dossiers of this MBO's applicants, with the OPP / contact flags."""
    user = signed_in_user(request)
    qs, query, form, bsn_refused = _filtered(request)
    page_number = form.cleaned_data.get("page") or 1
    with transaction.atomic():
        page = Paginator(qs, PAGE_SIZE).get_page(page_number)
        rows = list(page.object_list)
        audit_many(
            user=user,
            action=AuditAction.VIEW,
            youth_ids=sorted({d.youth_id for d in rows}),
            description="ddd mbo list",
            detail={"filters": query, "page": page.number},
        )

    def page_url(number: int) -> str:
        params = {**query, "page": number} if number > 1 else query
        return reverse("ddd_mbo:list") + ("?" + urlencode(params) if params else "")

    return render(
        request,
        "dossiers/mbo/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "has_filters": bool(query),
            "bsn_refused": bsn_refused,
            "bsn_refused_text": BSN_REFUSED,
            "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
            "next_url": page_url(page.next_page_number()) if page.has_next() else "",
        },
    )


def _dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    """One dossier of the MBO's applicants; 404 for anything else."""
    user = signed_in_user(request)
    dossier = (
        selectors.dossiers_for_mbo(user=user)
        .annotate(programme=_programme(user.organisation_id or 0))
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@require_GET
@permission_required("dossiers.view_mbo")
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The whole completed dossier, read-only, with the OPP / contact answers on top."""
    user = signed_in_user(request)
    with transaction.atomic():
        dossier = _dossier(request, dossier_id)
        steps = selectors.dossier_document(dossier=dossier)
        consent = Consent.objects.filter(dossier=dossier).first()
        audit_record(
            user=user,
            action=AuditAction.VIEW,
            obj=dossier,
            youth_id=dossier.youth_id,
            description="ddd mbo dossier viewed",
        )
    questions = {question.key: question for step in steps for question in step.questions}
    # The parts in the order of the PDF: deel A of the student, then the mentor's deel B.
    sections = [
        {"title": label, "steps": [step for step in steps if step.part == value]}
        for value, label in Part.choices
    ]
    return render(
        request,
        "dossiers/mbo/detail.html",
        {
            "dossier": dossier,
            "sections": [section for section in sections if section["steps"]],
            "consent": consent,
            "highlights": [questions[key] for key in HIGHLIGHT_KEYS if key in questions],
        },
    )


@require_GET
@permission_required("dossiers.view_mbo")
def dossier_download(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The completed dossier (all parts and the akkoordverklaring) as PDF."""
    user = signed_in_user(request)
    dossier = _dossier(request, dossier_id)
    return dossier_pdf_download(
        dossier=dossier, user=user, description="ddd mbo dossier pdf downloaded"
    )
