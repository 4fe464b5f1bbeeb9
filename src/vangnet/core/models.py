"""Shared bookkeeping of the UI shell."""

from django.db import models
from django.utils import timezone


class UsedFormToken(models.Model):
    """A one-time form token that has been spent (see vangnet.core.forms.idempotency_check).

    Kept in the database, not the session: two posts of one form that race (a double click)
    both read the session before either saves it, but only one can insert the same primary key.
    """

    token = models.CharField(max_length=64, primary_key=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.token
