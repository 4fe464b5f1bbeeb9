"""Links in the welcome mail of a new account: Django's password-reset tokens, valid for longer.

A welcome link stays valid for WELCOME_LINK_DAYS (a new colleague may not read the mail within
the hour a reset link lasts). It is still single-use: the token hashes the password, so it dies
as soon as a password has been chosen. Its own salt keeps it from being used as a reset link.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator

WELCOME_LINK_DAYS = 7


class WelcomeTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "vangnet.accounts.tokens.WelcomeTokenGenerator"

    def make_token(self, user) -> str:  # type: ignore[no-untyped-def]
        # check_token() refuses tokens older than PASSWORD_RESET_TIMEOUT. Stamping the (signed)
        # token with a later moment stretches that window to WELCOME_LINK_DAYS.
        extra = max(WELCOME_LINK_DAYS * 24 * 3600 - settings.PASSWORD_RESET_TIMEOUT, 0)
        stamp = self._num_seconds(self._now()) + extra
        return self._make_token_with_timestamp(user, stamp, self.secret)


welcome_token_generator = WelcomeTokenGenerator()
