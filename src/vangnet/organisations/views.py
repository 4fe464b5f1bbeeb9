from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import SETTING_FIELDS, OrganisationSettingsForm
from .services import organisation_settings_update


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    if organisation is None:
        return render(request, "errors/403.html", status=403)
    can_change = request.user.has_role("beheerder")
    form = OrganisationSettingsForm(
        request.POST or None, initial={f: getattr(organisation, f) for f in SETTING_FIELDS}
    )
    if request.method == "POST":
        if not can_change:
            return render(request, "errors/403.html", status=403)
        if form.is_valid():
            organisation_settings_update(
                organisation=organisation, data=form.cleaned_data, acting_user=request.user
            )
            messages.success(request, _("Settings saved."))
            return redirect("organisations:settings")
    return render(
        request,
        "organisations/settings.html",
        {"form": form, "organisation": organisation, "can_change": can_change},
    )
