"""The student portal (mijn-omgeving of the student): sign-in, account activation, choosing a
password, the home page with its blocks, and "Activeer DDD".

Students sign in without a second factor and the middleware keeps them under /leerling/
(ADR 0003). Every page here that shows a student's data is audited in the transaction that reads
it; staff accounts get 404 on the student pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.accounts.forms import AuditedSetPasswordForm
from vangnet.accounts.models import AccountKind, User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core.decorators import student_required
from vangnet.core.forms import idempotency_check
from vangnet.core.net import client_ip
from vangnet.core.throttle import throttle_hit, throttle_reached
from vangnet.dossiers.models import StudentAccount

from . import selectors, services
from .forms import ActivationForm, BsnForm, StudentLoginForm
from .tokens import student_password_token

# Activation attempts per window. The limits that stop guessing are per school + leerlingnummer
# (one student's account); a whole class activates behind the school's one address, so the
# per-address limit is only a generous ceiling against a flood.
ACTIVATION_LIMIT_PER_NUMBER = 5
ACTIVATION_LIMIT_PER_IP = 300
ACTIVATION_WINDOW_SECONDS = 60 * 60
# "Activeer DDD": BSN attempts per student account per window; each refusal is audited.
DDD_BSN_LIMIT_PER_ACCOUNT = 5
DDD_BSN_WINDOW_SECONDS = 24 * 60 * 60
DDD_LIST_FALLBACK = "/leerling/ddd/"


def ddd_list_url() -> str:
    """The student's dossier list (another screen of the DDD)."""
    try:
        return reverse("ddd_student:list")
    except NoReverseMatch:
        return DDD_LIST_FALLBACK


def _student(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- Signing in and out -------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/leerling/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("students:home")


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and getattr(user, "kind", "") == AccountKind.STUDENT:
        return redirect("students:home")
    form = StudentLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        return redirect(_next_url(request))
    return render(
        request,
        "students/login.html",
        {
            "form": form,
            "next": _next_url(request) if request.GET.get("next") else "",
            "session_ended": bool(request.GET.get("sessie_verlopen")),
            "staff_login": form.errors.get("__all__") is not None
            and any(e.code == "staff_account" for e in form.non_field_errors().as_data()),
        },
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("students:login")


# --- Activation ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        ip_limited = throttle_hit(
            "students:activate:ip",
            client_ip(request),
            limit=ACTIVATION_LIMIT_PER_IP,
            window=ACTIVATION_WINDOW_SECONDS,
        )
        if form.is_valid():
            data = form.cleaned_data
            number = data["student_number"].strip().lower()
            number_limited = throttle_hit(
                "students:activate:number",
                f"{data['school'].pk}:{number}",
                limit=ACTIVATION_LIMIT_PER_NUMBER,
                window=ACTIVATION_WINDOW_SECONDS,
            )
            if ip_limited or number_limited:
                with transaction.atomic():
                    audit_record(
                        user=None,
                        action=AuditAction.LOGIN_FAILED,
                        description="student account activation refused",
                        detail={"reason": "too many attempts", "school": data["school"].pk},
                    )
                form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
            else:
                services.student_account_activate(
                    school=data["school"],
                    student_number=data["student_number"],
                    birth_date=data["birth_date"],
                )
                return redirect("students:activate_sent")
    return render(request, "students/activate.html", {"form": form})


def activate_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "students/activate_sent.html")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link in the activation mail: the student chooses a password and is signed in."""

    token_generator = student_password_token
    form_class = AuditedSetPasswordForm
    template_name = "students/set_password.html"
    success_url = reverse_lazy("students:home")
    post_reset_login = True
    post_reset_login_backend = "vangnet.accounts.backends.OrganisationAwareBackend"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is None or user.kind != AccountKind.STUDENT or not user.is_active:
            return None
        return user

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been saved. Welcome!"))
        return response


# --- The portal ---------------------------------------------------------------------------------


def _account(user: User) -> StudentAccount | None:
    return StudentAccount.objects.select_related("youth").filter(user=user).first()


@student_required
@transaction.atomic
def home(request: HttpRequest) -> HttpResponse:
    user = _student(request)
    account = _account(user)
    enrolment = selectors.student_enrolment(youth_id=account.youth_id) if account else None
    if account is not None:
        audit_record(
            user=user,
            action=AuditAction.VIEW,
            obj=account.youth,
            youth_id=account.youth_id,
            description="student portal home",
        )
    return render(
        request,
        "students/home.html",
        {
            "account": account,
            "youth": account.youth if account else None,
            "enrolment": enrolment,
            "ddd_list_url": ddd_list_url(),
        },
    )


@student_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def ddd_activate(request: HttpRequest) -> HttpResponse:
    """ "Activeer DDD": at once when a BSN is linked, otherwise after the student gave it."""
    user = _student(request)
    account = _account(user)
    if account is None:
        messages.error(request, _("Your account is not linked to a student. Contact your decaan."))
        return redirect("students:home")
    if account.ddd_activated_at is not None:
        return redirect(ddd_list_url())
    has_bsn = bool(account.youth.bsn_encrypted)
    form = BsnForm(request.POST if "bsn" in request.POST else None)
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        limited = not has_bsn and throttle_reached(
            "students:ddd_bsn", str(user.pk), limit=DDD_BSN_LIMIT_PER_ACCOUNT
        )
        if limited:
            services.student_ddd_bsn_refused(user=user, bsn=None, reason="too many attempts")
            form = BsnForm()
            messages.error(
                request,
                _("Too many attempts. Try again tomorrow, or ask your decaan to check your BSN."),
            )
        elif has_bsn or form.is_valid():
            bsn = None if has_bsn else form.cleaned_data["bsn"]
            try:
                with transaction.atomic():
                    services.student_ddd_activate(user=user, bsn=bsn)
            except ValidationError as exc:
                if not form.is_bound:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("students:home")
                throttle_hit(
                    "students:ddd_bsn",
                    str(user.pk),
                    limit=DDD_BSN_LIMIT_PER_ACCOUNT,
                    window=DDD_BSN_WINDOW_SECONDS,
                )
                services.student_ddd_bsn_refused(user=user, bsn=bsn, reason="refused")
                form.add_error("bsn", exc.messages)
            else:
                messages.success(request, _("The Digitaal Doorstroomdossier is activated."))
                return redirect(ddd_list_url())
    elif has_bsn:
        return redirect("students:home")
    return render(request, "students/ddd_activate.html", {"form": form})
