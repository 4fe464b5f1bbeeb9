"""Small helpers for the student portal tests."""

from __future__ import annotations

import re

from tests.factories import EnrolmentFactory

PASSWORD = "geheim-wachtwoord-123"


def form_token(client, url: str) -> str:
    response = client.get(url)
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, f"no form token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, *, token_url: str | None = None, **extra):
    return client.post(url, {**data, "form_token": form_token(client, token_url or url)}, **extra)


def enrol(school, **kwargs):
    """A current student of `school` with an e-mail address (override with student_email="")."""
    kwargs.setdefault("student_email", f"kind{EnrolmentFactory._meta.next_sequence()}@school.test")
    youth_fields = {k: kwargs.pop(k) for k in list(kwargs) if k.startswith("youth__")}
    return EnrolmentFactory(
        organisation=school, youth__municipality=school.municipality, **youth_fields, **kwargs
    )
