from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.transfers import exports

from . import selectors, services
from .forms import AuditedPasswordChangeForm, AuditedSetPasswordForm, UserForm
from .models import User
from .tokens import welcome_token_generator

MANAGE = "accounts.manage_users"


def _admin(request: HttpRequest) -> User:
    """The signed-in administrator (the permission decorator has let only them through)."""
    assert isinstance(request.user, User) and request.user.organisation is not None
    return request.user


def _managed_user(request: HttpRequest, user_id: int) -> User:
    """A user of the administrator's own organisation; any other id is a 404."""
    target = selectors.user_get_for_admin(user=_admin(request), user_id=user_id)
    if target is None:
        raise Http404
    return target


def _apply_errors(form: UserForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _user_list_params(request: HttpRequest) -> tuple[str, str]:
    status = request.GET.get("status", "actief")
    if status not in selectors.USER_STATUSES:
        status = "actief"
    return request.GET.get("q", "")[:100], status


@permission_required(MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    q, status = _user_list_params(request)
    users = selectors.user_list_filtered(user=_admin(request), q=q, status=status)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export_query = urlencode({k: v for k, v in (("q", q), ("status", status)) if v})
    export_url = f"{reverse('accounts:user_export')}?{export_query}&formaat="
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "users": page.object_list,
            "q": q,
            "status": status,
            "query": query.urlencode(),
            "export_xlsx": export_url + exports.XLSX,
            "export_csv": export_url + exports.CSV,
        },
    )


def _account_status(user: Any) -> str:
    """The status column of the user list, in the same words as the page."""
    if not user.is_active:
        return _("Deactivated")
    if not user.has_usable_password():
        return _("Invited")
    if not user.has_authenticator:
        return _("Two-step verification not set up")
    return _("Active")


def _user_row(user: Any) -> list[Any]:
    return [
        user.first_name,
        user.last_name,
        user.email,
        user.job_title,
        user.is_admin,
        ", ".join(str(r.get_role_display()) for r in user.roles.all()),
        _account_status(user),
        user.last_login,
    ]


@permission_required(MANAGE)
def user_export(request: HttpRequest) -> HttpResponseBase:
    """The user list (search and status filter) as xlsx or CSV. It holds no person records of
    youth, so the export is audited as one EXPORT event without youth."""
    admin = _admin(request)
    q, status = _user_list_params(request)
    users = selectors.user_list_filtered(user=admin, q=q, status=status)
    return exports.export_download(
        user=admin,
        fmt=request.GET.get("formaat", ""),
        records=lambda: users.iterator(chunk_size=exports.EXPORT_CHUNK),
        count=users.count,
        headers=[
            _("First name"),
            _("Last name"),
            _("E-mail"),
            _("Job title"),
            _("Administrator"),
            _("Roles"),
            _("Status"),
            _("Last signed in"),
        ],
        to_row=_user_row,
        youth_id=None,
        description="export users",
        filters={"q": q, "status": status},
        title=str(_("Users")),
        filename=f"gebruikers-{status}",
    )


@permission_required(MANAGE)
def user_add(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    organisation = admin.organisation
    assert organisation is not None
    form = UserForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            user = services.user_create(
                organisation=organisation,
                data=form.cleaned_data,
                acting_user=admin,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has been added and receives an e-mail to choose a password.")
                % {"name": user.full_name},
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


@permission_required(MANAGE)
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _managed_user(request, user_id)
    assert target.organisation is not None
    form = UserForm(request.POST or None, organisation=target.organisation, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.user_update(
                user=target, data=form.cleaned_data, acting_user=_admin(request)
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("The changes have been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            if not request.user.has_perm(MANAGE):
                # The administrator gave away their own administrator role.
                return redirect("core:home")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def user_set_active(request: HttpRequest, user_id: int, active: bool) -> HttpResponse:
    target = _managed_user(request, user_id)
    if request.method == "POST":
        try:
            services.user_set_active(user=target, active=active, acting_user=_admin(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:user_edit", user_id=target.pk)
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": target.full_name})
        else:
            messages.success(
                request, _("%(name)s has been deactivated.") % {"name": target.full_name}
            )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_set_active.html", {"target": target, "activate": active})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def user_two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _managed_user(request, user_id)
    if request.method == "POST":
        services.user_two_factor_reset(user=target, acting_user=_admin(request))
        messages.success(
            request,
            _(
                "The two-step verification of %(name)s has been reset. They set it up again at "
                "their next sign-in."
            )
            % {"name": target.full_name},
        )
        if target.pk == request.user.pk:
            return redirect("two_factor:setup")
        return redirect("accounts:user_edit", user_id=target.pk)
    return render(request, "accounts/user_two_factor_reset.html", {"target": target})


class WelcomeSetPasswordView(auth_views.PasswordResetConfirmView):
    """The link in the welcome mail: a new user chooses their first password."""

    token_generator = welcome_token_generator
    form_class = AuditedSetPasswordForm
    template_name = "accounts/welcome_set_password.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class ResetSetPasswordView(auth_views.PasswordResetConfirmView):
    form_class = AuditedSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = AuditedPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("two_factor:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response
