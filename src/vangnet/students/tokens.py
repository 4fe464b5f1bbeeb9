"""The one-time link in the activation mail of the student portal.

Same mechanics as the welcome link of staff accounts (accounts/tokens.py): valid for
WELCOME_LINK_DAYS, dead as soon as a password has been chosen (the token hashes the password).
Its own salt keeps it from being used as a staff welcome or reset link, and vice versa.
"""

from __future__ import annotations

from vangnet.accounts.tokens import WelcomeTokenGenerator


class StudentPasswordTokenGenerator(WelcomeTokenGenerator):
    key_salt = "vangnet.students.tokens.StudentPasswordTokenGenerator"


student_password_token = StudentPasswordTokenGenerator()
