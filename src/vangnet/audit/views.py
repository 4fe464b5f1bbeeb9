from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core.decorators import permission_required

from . import selectors
from .forms import AuditSearchForm


@permission_required("audit.search")
def audit_search(request: HttpRequest) -> HttpResponse:
    """Who looked at this youth? Searched by POST so that no BSN ends up in a URL or access log."""
    form = AuditSearchForm(request.POST or None)
    youth = None
    page = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        found = selectors.youth_find_for_audit(query=form.cleaned_data["q"])
        if found:
            youth = found[0]
            with transaction.atomic():
                audit_record(
                    user=request.user,
                    action=AuditAction.SEARCH,
                    obj=youth,
                    youth_id=youth.pk,
                    description="audit trail consulted",
                )
                page = Paginator(selectors.audit_events_for_youth(youth_id=youth.pk), 100).get_page(
                    request.POST.get("page")
                )
    return render(
        request,
        "audit/search.html",
        {"form": form, "youth": youth, "page": page, "searched": searched},
    )
