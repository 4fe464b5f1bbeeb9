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
