import re

import pytest
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory, make_bsn
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.youth.models import Enrolment, Youth

pytestmark = pytest.mark.django_db


def _token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def _valid_data(world, **overrides):
    data = {
        "bsn": make_bsn(),
        "first_name": "Sanne",
        "last_name": "Jansen",
        "birth_date": "2009-03-04",
        "gender": "v",
        "municipality": world.gem_a.pk,
        "street": "Kerkstraat",
        "house_number": "12",
        "postcode": "1234ab",
        "city": "Aastad",
        "enrolled_on": "2024-08-20",
        "class_name": "3B",
    }
    data.update(overrides)
    return data


def test_school_user_adds_youth_and_it_is_audited(client, world):
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    data = _valid_data(world, form_token=_token(client, url))
    response = client.post(url, data)
    assert response.status_code == 302
    youth = Youth.objects.get()
    assert youth.postcode == "1234 AB"
    assert youth.bsn == data["bsn"]
    assert data["bsn"] not in youth.bsn_encrypted
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, youth_id=youth.pk).exists()


def test_same_form_posted_twice_creates_one_youth(client, world):
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    data = _valid_data(world, form_token=_token(client, url))
    client.post(url, data)
    client.post(url, data)
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"bsn": "123456789"}, "bsn", "geen geldig BSN"),
        (
            {"bsn": "", "onderwijsnummer": "200000005"},
            "onderwijsnummer",
            "geen geldig onderwijsnummer",
        ),
        ({"postcode": "0123 AB"}, "postcode", "postcode"),
        ({"postcode": "1234 SA"}, "postcode", "postcode"),
        ({"birth_date": "2999-01-01"}, "birth_date", "toekomst"),
        ({"street": ""}, "street", "verplicht"),
    ],
)
def test_bad_input_gets_dutch_message_and_saves_nothing(client, world, overrides, field, message):
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    response = client.post(url, _valid_data(world, form_token=_token(client, url), **overrides))
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert not Youth.objects.exists()


def test_secret_address_skips_address_requirement(client, world):
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    data = _valid_data(
        world,
        form_token=_token(client, url),
        secret_address="on",
        street="",
        postcode="",
        city="",
        house_number="",
    )
    assert client.post(url, data).status_code == 302
    youth = Youth.objects.get()
    assert youth.secret_address and youth.street == ""
    detail = client.get(reverse("youth:detail", args=[youth.pk])).content.decode()
    assert "Geheim" in detail


def test_bsn_already_enrolled_at_same_school_is_refused(client, world):
    enrolment = EnrolmentFactory(organisation=world.pro)
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    response = client.post(
        url, _valid_data(world, form_token=_token(client, url), bsn=enrolment.youth.bsn)
    )
    assert response.status_code == 200
    assert "al ingeschreven" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_school_cannot_see_other_schools_youth(client, world):
    enrolment = EnrolmentFactory(organisation=world.other_school)
    login_verified(client, world.users["school_gebruiker"])
    assert client.get(reverse("youth:detail", args=[enrolment.youth_id])).status_code == 404
    assert client.get(reverse("youth:edit", args=[enrolment.youth_id])).status_code == 404


def test_bsn_is_masked_for_organisation_that_did_not_supply_it(client, world):
    enrolment = EnrolmentFactory(organisation=world.pro, supplied_bsn=False)
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse("youth:detail", args=[enrolment.youth_id])).content.decode()
    assert enrolment.youth.bsn not in html
    assert enrolment.youth.masked_bsn in html


def test_municipality_sees_bsn_of_youth_in_its_region(client, world):
    enrolment = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_b)
    login_verified(client, world.users["gemeente_consulent"])
    html = client.get(reverse("youth:detail", args=[enrolment.youth_id])).content.decode()
    assert enrolment.youth.bsn in html


def test_municipality_list_count_equals_its_rows(client, world):
    from tests.factories import YouthFactory
    from vangnet.youth.selectors import YouthFilters, youth_count_for_user, youth_list_for_user

    EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_x)  # schooled here
    EnrolmentFactory(organisation=world.other_school, youth__municipality=world.gem_b)  # lives here
    EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)  # both
    YouthFactory(municipality=world.gem_x)  # neither
    user = world.users["gemeente_consulent"]
    rows = list(youth_list_for_user(user=user, filters=YouthFilters()))
    assert len(rows) == 3
    assert youth_count_for_user(user=user, filters=YouthFilters()) == 3
    login_verified(client, user)
    assert "3 jongeren" in client.get(reverse("youth:list")).content.decode()


def test_a_bsn_in_the_list_search_is_ignored_and_kept_out_of_links(client, world):
    """A BSN must never travel in a web address: the list warns, and neither the page nor its
    export links repeat it."""
    enrolment = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)
    bsn = enrolment.youth.bsn
    login_verified(client, world.users["gemeente_consulent"])
    response = client.get(reverse("youth:list"), {"q": bsn})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zoeken op BSN kan niet" in html
    assert bsn not in html


def test_second_school_links_to_known_youth_without_overwriting_the_record(client, world):
    enrolment = EnrolmentFactory(organisation=world.other_school, youth__last_name="Bakker")
    youth = enrolment.youth
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    data = _valid_data(
        world,
        form_token=_token(client, url),
        bsn=youth.bsn,
        last_name="bakker",
        first_name="Anders",
        birth_date=youth.birth_date.isoformat(),
        street="Andere straat",
        confirm_elsewhere="on",  # the youth is enrolled at the other school
    )
    assert client.post(url, data).status_code == 302
    youth.refresh_from_db()
    assert youth.first_name != "Anders" and youth.street != "Andere straat"
    assert Enrolment.objects.filter(youth=youth).count() == 2


def test_known_bsn_with_other_name_or_birth_date_is_refused(client, world):
    youth = EnrolmentFactory(organisation=world.other_school, youth__last_name="Bakker").youth
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    response = client.post(url, _valid_data(world, form_token=_token(client, url), bsn=youth.bsn))
    assert response.status_code == 200
    assert "komen niet overeen" in response.content.decode()
    assert Enrolment.objects.filter(youth=youth).count() == 1


def test_enrolment_date_before_the_date_of_birth_is_refused(client, world):
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    data = _valid_data(
        world, form_token=_token(client, url), birth_date="2009-03-04", enrolled_on="2008-08-01"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "De inschrijfdatum kan niet voor de geboortedatum (04-03-2009) liggen." in (
        response.content.decode()
    )
    assert not Youth.objects.exists()


def test_a_youth_enrolled_at_another_school_is_added_only_after_confirmation(client, world):
    youth = EnrolmentFactory(organisation=world.other_school, youth__last_name="Bakker").youth
    before = (youth.first_name, youth.street, youth.municipality_id, youth.secret_address)
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    data = _valid_data(
        world,
        bsn=youth.bsn,
        last_name="Bakker",
        first_name="Anders",
        birth_date=youth.birth_date.isoformat(),
        street="Andere straat",
    )
    response = client.post(url, {**data, "form_token": _token(client, url)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "al ingeschreven bij een andere school" in html
    assert 'type="checkbox" name="confirm_elsewhere"' in html
    assert not Enrolment.objects.filter(youth=youth, organisation=world.pro).exists()
    response = client.post(
        url, {**data, "confirm_elsewhere": "on", "form_token": _token(client, url)}
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(youth=youth, organisation=world.pro).exists()
    youth.refresh_from_db()
    assert (youth.first_name, youth.street, youth.municipality_id, youth.secret_address) == before


def test_a_new_youth_is_supplied_by_the_school_that_adds_it(client, world):
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("youth:add")
    assert client.post(url, _valid_data(world, form_token=_token(client, url))).status_code == 302
    assert Youth.objects.get().supplied_by == world.pro
