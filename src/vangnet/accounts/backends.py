"""Sign-in backend: Django's ModelBackend, plus "an organisation that was switched off takes its
users with it". A user of an inactive organisation cannot sign in, and a session that is open
when the organisation is deactivated ends at the next request (get_user returns nobody)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class OrganisationAwareBackend(ModelBackend):
    def authenticate(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        user = super().authenticate(request, *args, **kwargs)
        # A student account signs in at the student portal only (ADR 0003), never at the staff
        # sign-in: there it fails like a wrong password.
        if user is not None and user.kind == "student":
            path = getattr(request, "path", "") or ""
            if not path.startswith("/leerling/"):
                return None
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        organisation = getattr(user, "organisation", None)
        return organisation is None or organisation.is_active

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
