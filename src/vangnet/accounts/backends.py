"""Sign-in backend: Django's ModelBackend, plus "an organisation that was switched off takes its
users with it". A user of an inactive organisation cannot sign in, and a session that is open
when the organisation is deactivated ends at the next request (get_user returns nobody)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class OrganisationAwareBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        organisation = getattr(user, "organisation", None)
        return organisation is None or organisation.is_active

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
