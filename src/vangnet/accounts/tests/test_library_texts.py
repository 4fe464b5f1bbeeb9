"""Texts of Django and the sign-in libraries that reach users, in Dutch."""


def test_password_rules_speak_dutch():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("nl"):
        try:
            validate_password("kort")
        except ValidationError as exc:
            assert "Dit wachtwoord is te kort" in " ".join(exc.messages)
        else:
            raise AssertionError("a four-letter password was accepted")


def test_wrong_password_reads_as_proper_dutch(client, db):
    """Django's own Dutch reads "Voer een juiste e-mailadres en wachtwoord in"."""
    from tests.factories import UserFactory

    from .helpers import post_password

    user = UserFactory()
    response = post_password(client, user.email, "niet-het-wachtwoord", HTTP_ACCEPT_LANGUAGE="nl")
    html = response.content.decode()
    assert "Het e-mailadres of het wachtwoord klopt niet." in html
    assert "Voer een juiste" not in html
