from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vangnet.core.decorators import permission_required

from . import selectors, services
from .forms import AuditSearchForm


@permission_required("audit.search")
def audit_search(request: HttpRequest) -> HttpResponse:
    """Who looked at this youth? Searched by POST so that no BSN ends up in a URL or access log,
    and only with a reason, which is kept in the audit event of the search."""
    form = AuditSearchForm(request.POST or None)
    youth = None
    page = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        youth = services.audit_trail_consult(
            query=form.cleaned_data["q"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
        if youth is not None:
            page = Paginator(selectors.audit_events_for_youth(youth_id=youth.pk), 100).get_page(
                request.POST.get("page")
            )
    return render(
        request,
        "audit/search.html",
        {"form": form, "youth": youth, "page": page, "searched": searched},
    )
