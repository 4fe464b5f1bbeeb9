"""The identifiers of a youth stay unique after moving from unique=True to UniqueConstraint."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import YouthFactory, make_bsn

pytestmark = pytest.mark.django_db


def test_a_bsn_belongs_to_one_youth():
    bsn = make_bsn()
    YouthFactory(bsn=bsn)
    with pytest.raises(IntegrityError), transaction.atomic():
        YouthFactory(bsn=bsn)


def test_an_onderwijsnummer_belongs_to_one_youth():
    YouthFactory(bsn=None, onderwijsnummer="123456782")
    with pytest.raises(IntegrityError), transaction.atomic():
        YouthFactory(bsn=None, onderwijsnummer="123456782")


def test_missing_numbers_do_not_collide():
    YouthFactory(onderwijsnummer=None)
    YouthFactory(onderwijsnummer=None)
    YouthFactory(bsn=None, onderwijsnummer="123456782")
    YouthFactory(bsn=None, onderwijsnummer="223456781")


def test_validation_reports_the_duplicate_on_the_field():
    YouthFactory(bsn=None, onderwijsnummer="123456782")
    duplicate = YouthFactory.build(bsn=None, onderwijsnummer="123456782")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean(exclude=["municipality"])
    assert "onderwijsnummer" in exc.value.message_dict
