"""What a chain partner sees of a youth in each state of a samenwerking (issue 8, privacy 4):
requested → only the request; contact linked → the record, details and DAD file; closed → nothing."""

from __future__ import annotations

import atexit
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified
from tests.factories import ContactDesignationFactory, EnrolmentFactory, UserFactory
from vangnet.jikp import selectors, services
from vangnet.jikp.models import SamenwerkingStatus, Traject
from vangnet.youth.models import Youth
from vangnet.youth.selectors import CHAIN_PARTNER_SEES_RECORD, youth_visible_to

pytestmark = pytest.mark.django_db


def test_the_youth_app_names_the_linked_status_of_jikp():
    assert CHAIN_PARTNER_SEES_RECORD == SamenwerkingStatus.CONTACT_LINKED


@pytest.fixture
def case(world):
    """A PrO youth at work with a DAD file and a samenwerking requested with the world's partner."""
    enrolment = EnrolmentFactory(
        organisation=world.pro, youth__municipality=world.gem_a, youth__last_name="Verhoeven"
    )
    youth = enrolment.youth
    school_user = world.users["school_gebruiker"]
    services.perspective_set(youth=youth, school=world.pro, kind="arbeid", acting_user=school_user)
    document = services.perspective_document_add(
        perspective=selectors.active_perspective(youth=youth),
        uploaded=SimpleUploadedFile("dad.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        acting_user=school_user,
    )
    atexit.register(document.file.storage.delete, document.file.name)
    from vangnet.jikp.models import Samenwerking

    samenwerking = Samenwerking.objects.create(
        youth=youth,
        school=world.pro,
        partner=world.partner,
        kind="arbeid",
        requested_by=school_user,
    )
    return youth, document, samenwerking


def _link(world, samenwerking):
    partner_user = world.users["ketenpartner"]
    services.contact_person_link(
        youth=samenwerking.youth, contact=partner_user, acting_user=partner_user
    )
    samenwerking.refresh_from_db()
    assert samenwerking.status == SamenwerkingStatus.CONTACT_LINKED


def _close(world, samenwerking):
    services.samenwerking_close(
        samenwerking=samenwerking, acting_user=world.users["school_gebruiker"]
    )


def _export_names(client) -> list[str]:
    response = client.get(reverse("youth:export"), {"formaat": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    return [",".join(row) for row in csv.reader(io.StringIO(text))][1:]


def _pages(youth, document) -> dict[str, str]:
    return {
        "detail": reverse("youth:detail", args=[youth.pk]),
        "dad": reverse("jikp:detail_document_download", args=[youth.pk, document.pk]),
        "traject": reverse("jikp:detail_traject_add", args=[youth.pk]),
    }


def _state(world, samenwerking, state):
    if state in ("linked", "closed"):
        _link(world, samenwerking)
    if state == "closed":
        _close(world, samenwerking)


@pytest.mark.parametrize("state", ["requested", "closed"])
def test_before_linking_and_after_closing_the_record_is_not_found(client, world, case, state):
    youth, document, samenwerking = case
    _state(world, samenwerking, state)
    partner_user = world.users["ketenpartner"]
    login_verified(client, partner_user)
    assert not youth_visible_to(user=partner_user).filter(pk=youth.pk).exists()
    for name, url in _pages(youth, document).items():
        assert client.get(url).status_code == 404, name
    response = client.post(
        _pages(youth, document)["traject"], {"kind": "taal", "starts_on": "2025-01-06"}
    )
    assert response.status_code == 404
    assert not Traject.objects.filter(youth=youth).exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service
        services.traject_add(
            youth=Youth.objects.get(pk=youth.pk),
            data={"kind": "taal", "starts_on": timezone.localdate()},
            acting_user=partner_user,
        )
    listed = client.get(reverse("youth:list")).context["page"].object_list
    assert youth.pk not in [y.pk for y in listed]
    assert not any("Verhoeven" in row for row in _export_names(client))


def test_a_request_shows_only_the_limited_fields(client, world, case):
    youth, _document, samenwerking = case
    login_verified(client, world.users["ketenpartner"])
    page = client.get(reverse("jikp:partner_contact", args=[samenwerking.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert youth.last_name in html
    assert str(youth.birth_date.year) in html
    assert world.pro.name in html
    assert youth.municipality.name in html
    assert youth.birth_date.strftime("%d-%m-%Y") not in html
    assert youth.street not in html
    assert reverse("youth:detail", args=[youth.pk]) not in html
    listing = client.get(reverse("jikp:partner_samenwerkingen")).content.decode()
    assert reverse("youth:detail", args=[youth.pk]) not in listing
    assert reverse("jikp:partner_contact", args=[samenwerking.pk]) in listing


def test_after_linking_the_partner_sees_the_record_and_the_dad_file(client, world, case):
    youth, document, samenwerking = case
    _link(world, samenwerking)
    login_verified(client, world.users["ketenpartner"])
    pages = _pages(youth, document)
    detail = client.get(pages["detail"])
    assert detail.status_code == 200
    assert "dad.pdf" in detail.content.decode()
    assert client.get(pages["dad"]).status_code == 200
    assert client.get(pages["traject"]).status_code == 200
    listed = client.get(reverse("youth:list")).context["page"].object_list
    assert youth.pk in [y.pk for y in listed]
    assert any("Verhoeven" in row for row in _export_names(client))
    listing = client.get(reverse("jikp:partner_samenwerkingen")).content.decode()
    assert reverse("youth:detail", args=[youth.pk]) in listing


def test_a_closed_samenwerking_page_is_not_found(client, world, case):
    _youth, _document, samenwerking = case
    _link(world, samenwerking)
    _close(world, samenwerking)
    login_verified(client, world.users["ketenpartner"])
    for name in ("jikp:partner_contact", "jikp:partner_close"):
        url = reverse(name, args=[samenwerking.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"contact": world.users["ketenpartner"].pk}).status_code == 404


def test_the_schools_confirmation_says_what_the_partner_sees(client, world, case):
    youth, _document, samenwerking = case
    _close(world, samenwerking)
    ContactDesignationFactory(
        municipality=world.gem_a, user=UserFactory(organisation=world.partner)
    )
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse("jikp:detail_samenwerking_request", args=[youth.pk])).content.decode()
    assert "ziet de ketenpartner alleen de aanvraag" in html
    assert "geboortejaar" in html
    assert "dossier (DAD)" in html
    assert "ziet hij niets meer van deze jongere" in html
