"""Texts of the sign-in libraries that reach our users but have no (good) Dutch translation there.

django-otp ships no Dutch catalogue, and django-two-factor-auth calls the code a "token". Listing
the library's own English texts here puts them in this app's catalogue, which Django consults
before the libraries' (vangnet.accounts comes earlier in INSTALLED_APPS). Nothing imports this
module; it exists for makemessages.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

LIBRARY_TEXTS = (
    # django_otp.forms.OTPAuthenticationFormMixin.otp_error_messages
    gettext_noop("Please enter your OTP token."),
    gettext_noop("Invalid token. Please make sure you have entered it correctly."),
    gettext_noop("Verification of the token is currently disabled"),
    gettext_noop("Please select a device."),
    ngettext_lazy(
        "Verification temporarily disabled because of %(failure_count)d failed attempt, please try again soon.",
        "Verification temporarily disabled because of %(failure_count)d failed attempts, please try again soon.",
        "failure_count",
    ),
    # two_factor.forms: label of the code field, and the setup form's error
    gettext_noop("Token"),
    gettext_noop("Entered token is not valid."),
    # django.contrib.auth.password_validation.MinimumLengthValidator: Django 5.2 changed this
    # text to "%d", which its own Dutch catalogue does not have yet.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    # two_factor.views.core.LoginView
    gettext_noop("Your session has timed out. Please login again."),
    # django.contrib.auth.forms.AuthenticationForm (the sign-in's first step): Django's Dutch
    # "Voer een juiste %(username)s en wachtwoord in" reads "een juiste e-mailadres".
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
)
