"""The texts the school sends its students: the standard account instructions (mail and Word
document share them) and the placeholders of a mail the decaan writes themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from vangnet.youth.models import Enrolment

# The placeholders a decaan may use in a mail of their own, filled per student.
PLACEHOLDERS = ("voornaam", "leerlingnummer", "school", "activatielink")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def public_url(path: str) -> str:
    """An absolute link for an e-mail, on the public address of the installation."""
    return f"{settings.VANGNET_PUBLIC_URL}{path}"


def portal_links() -> tuple[str, str]:
    """(activation page, sign-in page) of the student portal, absolute."""
    return public_url(reverse("students:activate")), public_url(reverse("students:login"))


def unknown_placeholders(text: str) -> list[str]:
    """The {names} in `text` that are not among PLACEHOLDERS, in order of appearance."""
    unknown: list[str] = []
    for name in _PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    return unknown


def placeholder_problem(text: str) -> str | None:
    """A Dutch message naming the unknown placeholders in `text`, or None when all are known."""
    unknown = unknown_placeholders(text)
    if not unknown:
        return None
    return _("Unknown placeholder(s): %(names)s. You can use: %(allowed)s.") % {
        "names": ", ".join("{" + n + "}" for n in unknown),
        "allowed": ", ".join("{" + n + "}" for n in PLACEHOLDERS),
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def placeholder_values(enrolment: Enrolment) -> dict[str, str]:
    activate, _login = portal_links()
    return {
        "voornaam": enrolment.youth.first_name,
        "leerlingnummer": enrolment.student_number,
        "school": enrolment.organisation.name,
        "activatielink": activate,
    }


@dataclass(frozen=True)
class Instructions:
    subject: str
    paragraphs: list[str]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"


def standard_instructions(enrolment: Enrolment, *, has_account: bool) -> Instructions:
    """The standard instructions for one student: how to activate the account, or, for a student
    who activated one before (last school year), that the old sign-in details still work."""
    activate, login = portal_links()
    values = {
        "name": enrolment.youth.first_name,
        "school": enrolment.organisation.name,
        "number": enrolment.student_number,
        "activate": activate,
        "login": login,
    }
    greeting = _("Dear %(name)s,") % values
    closing = (
        _("Questions? Ask your mentor or the careers counsellor (decaan) of %(school)s.") % values
    )
    if has_account:
        return Instructions(
            subject=_("Your student portal account for the transfer dossier"),
            paragraphs=[
                greeting,
                _(
                    "%(school)s uses the student portal for your Digitaal Doorstroomdossier, the "
                    "file that goes with you to your MBO school. You already activated an account "
                    "earlier, so you do not need to do that again."
                )
                % values,
                _(
                    "Sign in at %(login)s with the e-mail address and password you used last "
                    "school year. Forgot your password? Fill in the activation page once more "
                    "(%(activate)s) and you will receive a link to choose a new one."
                )
                % values,
                closing,
            ],
        )
    return Instructions(
        subject=_("Activate your student portal account"),
        paragraphs=[
            greeting,
            _(
                "%(school)s uses the student portal for your Digitaal Doorstroomdossier, the file "
                "that goes with you to your MBO school. Before you can start, activate your "
                "account."
            )
            % values,
            _(
                "Go to %(activate)s, choose your school (%(school)s), and fill in your student "
                "number and your date of birth. Your student number is: %(number)s."
            )
            % values,
            _(
                "You then receive an e-mail at the address the school has for you, with a link to "
                "choose a password. After that you sign in at %(login)s."
            )
            % values
            if enrolment.student_email
            else _(
                "The school has no e-mail address of yours yet, so no e-mail can reach you and "
                "activating does not work yet. Give your e-mail address to your mentor or the "
                "careers counsellor (decaan) first; you then receive these instructions by e-mail."
            )
            % values,
            closing,
        ],
    )
