"""The name search of the lists, and searching by BSN: never through a web address, and only for
the roles that may see the full BSN."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory, YouthFactory
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp.models import Samenwerking, SamenwerkingStatus
from vangnet.youth.selectors import YouthFilters, youth_list_for_user

pytestmark = pytest.mark.django_db

BSN = "123456782"
WRITTEN = [BSN, "1234 56782", "123.456.782", "123-45-6782"]


def _names(user, q):
    return {y.full_name for y in youth_list_for_user(user=user, filters=YouthFilters(q=q))}


@pytest.mark.parametrize(
    "q",
    [
        "van den Akkermans",
        "Van Den akkermans",
        "Sanne van den Akkermans",
        "akkermans, van den",
        "den Akker",
        "Sanne Akkermans",
    ],
)
def test_the_name_search_finds_tussenvoegsel_and_full_name_combinations(world, q):
    YouthFactory(
        municipality=world.gem_a, first_name="Sanne", prefix="van den", last_name="Akkermans"
    )
    YouthFactory(municipality=world.gem_a, first_name="Piet", prefix="de", last_name="Vries")
    user = world.users["gemeente_consulent"]
    assert _names(user, q) == {"Sanne van den Akkermans"}


def test_a_word_missing_from_the_name_finds_nobody(world):
    YouthFactory(
        municipality=world.gem_a, first_name="Sanne", prefix="van den", last_name="Akkermans"
    )
    assert _names(world.users["gemeente_consulent"], "van der Akkermans") == set()


def _visible_pair(world, role):
    """Two youth the role sees; the first has the BSN under test."""
    youth = [
        YouthFactory(municipality=world.gem_a, bsn=BSN, last_name="Aalders"),
        YouthFactory(municipality=world.gem_a, last_name="Bakker"),
    ]
    for y in youth:
        if role == "ketenpartner":
            Samenwerking.objects.create(
                youth=y,
                school=world.pro,
                partner=world.partner,
                kind="arbeid",
                requested_by=world.users["school_gebruiker"],
                # A partner sees the record only once it linked a contact person.
                status=SamenwerkingStatus.CONTACT_LINKED,
            )
        else:
            EnrolmentFactory(youth=y, organisation=world.mbo)
    return youth


def _export_names(client, q):
    response = client.get(reverse("youth:export"), {"q": q, "formaat": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return sorted(r["Achternaam"] for r in csv.DictReader(io.StringIO(body), delimiter=";"))


@pytest.mark.parametrize("role", ["ketenpartner", "mbo_gebruiker"])
@pytest.mark.parametrize("written", WRITTEN)
def test_a_bsn_in_the_query_string_narrows_neither_list_nor_export(client, world, role, written):
    _visible_pair(world, role)
    login_verified(client, world.users[role])
    assert _export_names(client, written) == ["Aalders", "Bakker"]
    html = client.get(reverse("youth:list"), {"q": written}).content.decode()
    assert "Aalders" in html and "Bakker" in html


@pytest.mark.parametrize("written", WRITTEN)
def test_a_bsn_in_the_query_string_does_not_narrow_the_municipality_list_either(
    client, world, written
):
    YouthFactory(municipality=world.gem_a, bsn=BSN, last_name="Aalders")
    YouthFactory(municipality=world.gem_a, last_name="Bakker")
    login_verified(client, world.users["gemeente_consulent"])
    assert _export_names(client, written) == ["Aalders", "Bakker"]


@pytest.mark.parametrize("role", ["ketenpartner", "mbo_gebruiker"])
def test_roles_that_see_the_bsn_masked_cannot_search_by_bsn(client, world, role):
    _visible_pair(world, role)
    login_verified(client, world.users[role])
    assert client.get(reverse("youth:bsn_search")).status_code == 403
    assert client.post(reverse("youth:bsn_search"), {"bsn": BSN}).status_code == 403
    assert "zoeken-op-bsn" not in client.get(reverse("youth:list")).content.decode()


def test_the_municipality_finds_a_youth_by_bsn_through_a_post(client, world):
    youth = YouthFactory(municipality=world.gem_a, bsn=BSN, last_name="Aalders")
    YouthFactory(municipality=world.gem_a, last_name="Bakker")
    login_verified(client, world.users["gemeente_consulent"])
    assert "zoeken-op-bsn" in client.get(reverse("youth:list")).content.decode()
    response = client.post(reverse("youth:bsn_search"), {"bsn": "1234 56782"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aalders" in html and "Bakker" not in html
    assert BSN not in html and "1234 56782" not in html
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, description="search by bsn")
    assert event.youth_id == youth.pk
    assert BSN not in str(event.detail)


def test_a_school_finds_only_youth_whose_bsn_it_supplied(client, world):
    supplied = EnrolmentFactory(organisation=world.pro, supplied_bsn=True).youth
    other = EnrolmentFactory(organisation=world.pro, supplied_bsn=False).youth
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:bsn_search")
    assert supplied.last_name in client.post(url, {"bsn": supplied.bsn}).content.decode()
    html = client.post(url, {"bsn": other.bsn}).content.decode()
    assert other.last_name not in html
    assert "Geen jongere gevonden" in html
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, youth_id=None).exists()


def test_an_invalid_bsn_gets_a_dutch_message(client, world):
    login_verified(client, world.users["gemeente_consulent"])
    html = client.post(reverse("youth:bsn_search"), {"bsn": "123456789"}).content.decode()
    assert "elfproef" in html
