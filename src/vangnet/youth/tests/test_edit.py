"""Editing the person record as a school (seed 000 §4.7, §4.9, §5.1, §6, §7): the school year of
leaving as a select of school years, and what a school may still change after uitschrijving."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conftest import login_verified
from tests.factories import EnrolmentFactory
from vangnet.core.nightly import run_nightly
from vangnet.organisations.models import OrganisationKind
from vangnet.youth.models import Enrolment
from vangnet.youth.selectors import nazorg_cutoff
from vangnet.youth.services import youth_update

pytestmark = pytest.mark.django_db


def _edit_data(enrolment, **overrides):
    youth = enrolment.youth
    data = {
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "birth_date": youth.birth_date.isoformat(),
        "gender": youth.gender,
        "street": youth.street,
        "house_number": youth.house_number,
        "postcode": youth.postcode,
        "city": youth.city,
        "municipality": youth.municipality_id,
        "class_name": enrolment.class_name,
        "school_year_level": enrolment.school_year_level,
        "student_number": enrolment.student_number,
        "leaving_year": enrolment.leaving_year or "",
        "unenrolled_on": enrolment.unenrolled_on.isoformat() if enrolment.unenrolled_on else "",
    }
    data.update(overrides)
    return data


def _options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="leaving_year".*?</select>', html, re.S)
    assert select, "the school year of leaving is not a select"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))


def _selected(html: str) -> str | None:
    select = re.search(r'<select name="leaving_year".*?</select>', html, re.S)
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return match.group(1) if match else None


@pytest.fixture
def school(client, world):
    return login_verified(client, world.users["school_gebruiker"])


@pytest.fixture
def enrolment(world):
    return EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)


# --- Schooljaar van uitstroom (§4.7) ------------------------------------------------------------


def test_leaving_year_is_a_select_of_school_years_around_this_year(school, enrolment):
    url = reverse("youth:edit", args=[enrolment.youth_id])
    options = _options(school.get(url).content.decode())
    this_year = timezone.localdate().year
    assert options[0][0] == ""
    years = [(int(value), label) for value, label in options[1:]]
    assert years[0][0] == this_year - 10 and years[-1][0] == this_year + 10
    assert all(label == f"{year - 1}/{year}" for year, label in years)
    # The add form offers the same.
    assert _options(school.get(reverse("youth:add")).content.decode()) == options


def test_choosing_a_school_year_stores_the_year_it_ends(school, enrolment):
    url = reverse("youth:edit", args=[enrolment.youth_id])
    year = timezone.localdate().year + 1
    assert school.post(url, _edit_data(enrolment, leaving_year=year)).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.leaving_year == year
    detail = school.get(reverse("youth:detail", args=[enrolment.youth_id])).content.decode()
    assert f"{year - 1}/{year}" in detail
    assert _selected(school.get(url).content.decode()) == str(year)


@pytest.mark.parametrize("year", ["1990", "2100", "volgend jaar"])
def test_a_year_outside_the_range_is_refused_and_nothing_changes(school, enrolment, year):
    url = reverse("youth:edit", args=[enrolment.youth_id])
    response = school.post(url, _edit_data(enrolment, leaving_year=year, class_name="4C"))
    assert response.status_code == 200
    assert "geldige keuze" in response.content.decode()
    enrolment.refresh_from_db()
    assert (enrolment.leaving_year, enrolment.class_name) == (None, "3A")


def test_a_stored_year_outside_the_range_is_kept_when_other_fields_are_saved(school, world):
    enrolment = EnrolmentFactory(
        organisation=world.pro, youth__municipality=world.gem_a, leaving_year=2005
    )
    url = reverse("youth:edit", args=[enrolment.youth_id])
    assert _selected(school.get(url).content.decode()) == "2005"
    assert school.post(url, _edit_data(enrolment, class_name="4C")).status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.leaving_year, enrolment.class_name) == (2005, "4C")


# --- Jongere toevoegen (§3.3): * marks every field that must be filled ------------------------


@pytest.mark.parametrize("name", ["youth:add", "youth:edit"])
def test_address_fields_are_marked_required_unless_the_address_is_secret(school, enrolment, name):
    args = [enrolment.youth_id] if name == "youth:edit" else []
    html = school.get(reverse(name, args=args)).content.decode()
    for field in ("street", "house_number", "postcode", "city"):
        label = re.search(
            rf'<label class="utrecht-form-label" for="id_{field}">(.*?)</label>', html
        )
        assert label and 'class="vn-required"' in label.group(1), field
    secret = re.search(r'for="id_secret_address">(.*?)</label>', html, re.S)
    assert secret and "vn-required" not in secret.group(1)


# --- Uitschrijven, nazorg and Entree (§4.9, §6, §7) ----------------------------------------------


def test_the_unenrolment_is_processed_in_the_night_after_the_date(school, enrolment):
    today = timezone.localdate()
    url = reverse("youth:edit", args=[enrolment.youth_id])
    assert school.post(url, _edit_data(enrolment, unenrolled_on=today)).status_code == 302

    run_nightly(today=today)  # the same day: still schoolgoing
    enrolment.refresh_from_db()
    assert not enrolment.unenrolment_processed
    run_nightly(today=today + dt.timedelta(days=1))
    enrolment.refresh_from_db()
    assert enrolment.unenrolment_processed
    listed = school.get(reverse("jikp:uitgeschreven")).content.decode()
    assert escape(enrolment.youth.full_name) in listed


def test_in_nazorg_the_school_still_changes_the_personal_data(school, world):
    enrolment = EnrolmentFactory(
        organisation=world.pro,
        youth__municipality=world.gem_a,
        unenrolled_on=timezone.localdate() - dt.timedelta(days=100),
        unenrolment_processed=True,
    )
    detail = school.get(reverse("youth:detail", args=[enrolment.youth_id])).content.decode()
    assert reverse("youth:edit", args=[enrolment.youth_id]) in detail
    url = reverse("youth:edit", args=[enrolment.youth_id])
    data = _edit_data(enrolment, house_number="99", wlz_indication="on")
    assert school.post(url, data).status_code == 302
    enrolment.youth.refresh_from_db()
    assert (enrolment.youth.house_number, enrolment.youth.wlz_indication) == ("99", True)
    # ...but not the profile (perspective, contacts): that stays read-only in nazorg.
    status_url = reverse("jikp:detail_perspective_set", args=[enrolment.youth_id])
    assert school.get(status_url).status_code == 403


def test_nazorg_ends_two_years_after_the_unenrolment(school, world):
    cutoff = nazorg_cutoff()
    last_day = EnrolmentFactory(
        organisation=world.pro, unenrolled_on=cutoff, unenrolment_processed=True
    )
    gone = EnrolmentFactory(
        organisation=world.pro,
        unenrolled_on=cutoff - dt.timedelta(days=1),
        unenrolment_processed=True,
    )
    listed = school.get(reverse("jikp:uitgeschreven")).content.decode()
    assert escape(last_day.youth.full_name) in listed
    assert escape(gone.youth.full_name) not in listed
    assert school.get(reverse("youth:detail", args=[last_day.youth_id])).status_code == 200
    for name in ("youth:detail", "youth:edit"):
        assert school.get(reverse(name, args=[gone.youth_id])).status_code == 404
    export = school.get(reverse("jikp:uitgeschreven_export"), {"formaat": "csv"})
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert last_day.youth.last_name in content and gone.youth.last_name not in content


def test_a_youth_in_the_entree_list_is_read_only_for_the_school(school, world):
    left_on = timezone.localdate() - dt.timedelta(days=60)
    enrolment = EnrolmentFactory(
        organisation=world.pro,
        youth__municipality=world.gem_a,
        unenrolled_on=left_on,
        unenrolment_processed=True,
    )
    assert world.mbo.kind == OrganisationKind.MBO and world.mbo.has_entree
    EnrolmentFactory(youth=enrolment.youth, organisation=world.mbo, enrolled_on=left_on)
    youth = enrolment.youth
    assert escape(youth.full_name) in school.get(reverse("jikp:entree")).content.decode()

    detail = school.get(reverse("youth:detail", args=[youth.pk]))
    assert detail.status_code == 200
    assert reverse("youth:edit", args=[youth.pk]) not in detail.content.decode()
    url = reverse("youth:edit", args=[youth.pk])
    assert school.get(url).status_code == 403
    assert school.post(url, _edit_data(enrolment, house_number="99")).status_code == 403
    youth.refresh_from_db()
    assert youth.house_number == "1"
    assert Enrolment.objects.get(pk=enrolment.pk).unenrolled_on == left_on


def test_a_date_of_birth_after_the_enrolment_date_is_refused(school, enrolment):
    url = reverse("youth:edit", args=[enrolment.youth_id])
    later = enrolment.enrolled_on + dt.timedelta(days=1)
    response = school.post(url, _edit_data(enrolment, birth_date=later.isoformat()))
    assert response.status_code == 200
    assert "De geboortedatum kan niet na de inschrijfdatum" in response.content.decode()
    enrolment.youth.refresh_from_db()
    assert enrolment.youth.birth_date != later


def test_a_school_cannot_change_person_data_another_organisation_supplied(client, world):
    """PrO De Brug enrolled a youth that PrO Xveen added: it edits its own enrolment, never the
    person record."""
    theirs = EnrolmentFactory(organisation=world.other_school, youth__municipality=world.gem_x)
    youth = theirs.youth
    ours = EnrolmentFactory(organisation=world.pro, youth=youth, class_name="1A")
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:edit", args=[youth.pk])
    html = client.get(url).content.decode()
    assert 'id="person-data-elsewhere"' in html
    data = _edit_data(
        ours,
        first_name="Anders",
        street="Andere straat",
        municipality=world.gem_a.pk,
        secret_address="on",
        class_name="2B",
    )
    assert client.post(url, data).status_code == 302
    before = (youth.first_name, youth.street, youth.municipality_id, youth.secret_address)
    youth.refresh_from_db()
    ours.refresh_from_db()
    assert (youth.first_name, youth.street, youth.municipality_id, youth.secret_address) == before
    assert ours.class_name == "2B"


def test_the_school_that_supplied_the_person_data_may_change_them(school, enrolment):
    url = reverse("youth:edit", args=[enrolment.youth_id])
    assert 'id="person-data-elsewhere"' not in school.get(url).content.decode()
    assert school.post(url, _edit_data(enrolment, first_name="Sam")).status_code == 302
    enrolment.youth.refresh_from_db()
    assert enrolment.youth.first_name == "Sam"


def test_the_update_service_itself_keeps_person_data_of_another_supplier(world):
    theirs = EnrolmentFactory(organisation=world.other_school, youth__first_name="Noor")
    ours = EnrolmentFactory(organisation=world.pro, youth=theirs.youth)
    youth_update(
        youth=theirs.youth,
        enrolment=ours,
        data={"first_name": "Anders", "class_name": "2B"},
        acting_user=world.users["school_gebruiker"],
    )
    theirs.youth.refresh_from_db()
    ours.refresh_from_db()
    assert (theirs.youth.first_name, ours.class_name) == ("Noor", "2B")
