"""The chain partner's side of a samenwerking (seed 000 §4.5, seed 002 steps 4-5): the incoming
list, linking a colleague as contact person and closing."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from conftest import login_verified
from tests.factories import EnrolmentFactory, OrganisationFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp import selectors
from vangnet.jikp.models import ContactPerson, Samenwerking, SamenwerkingStatus
from vangnet.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db

LIST = "jikp:partner_samenwerkingen"


def _samenwerking(world, partner=None, status=SamenwerkingStatus.REQUESTED, kind="arbeid"):
    enrolment = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)
    return Samenwerking.objects.create(
        youth=enrolment.youth,
        school=world.pro,
        partner=partner or world.partner,
        kind=kind,
        status=status,
        requested_by=world.users["school_gebruiker"],
    )


def _token(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def partner_user(client, world):
    user = world.users["ketenpartner"]
    login_verified(client, user)
    return user


@pytest.fixture
def other_partner(world):
    return OrganisationFactory(
        kind=OrganisationKind.GENERALISTS,
        name="Wijkteam Aastad",
        municipality=world.gem_a,
        region=world.region,
    )


def test_partner_sees_only_its_own_open_samenwerkingen(client, world, partner_user, other_partner):
    own = _samenwerking(world)
    closed = _samenwerking(world, status=SamenwerkingStatus.CLOSED)
    foreign = _samenwerking(world, partner=other_partner)

    response = client.get(reverse(LIST))

    assert response.status_code == 200
    assert [s.pk for s in response.context["rows"]] == [own.pk]
    html = response.content.decode()
    assert escape(own.youth.full_name) in html
    assert world.pro.name in html
    # A request opens the request page, not the youth's record (issue 8).
    assert reverse("jikp:partner_contact", args=[own.pk]) in html
    assert reverse("youth:detail", args=[own.youth_id]) not in html
    assert escape(foreign.youth.full_name) not in html
    assert escape(closed.youth.full_name) not in html


def test_the_list_names_one_young_person_per_row(client, world, partner_user):
    _samenwerking(world)
    html = client.get(reverse(LIST)).content.decode()
    assert '<th class="utrecht-table__header-cell" scope="col">Jongere</th>' in html


def test_filter_shows_closed_and_all(client, world, partner_user):
    own = _samenwerking(world)
    closed = _samenwerking(world, status=SamenwerkingStatus.CLOSED)

    closed_only = client.get(reverse(LIST), {"status": "afgesloten"}).context["rows"]
    everything = client.get(reverse(LIST), {"status": "alle"}).context["rows"]
    nonsense = client.get(reverse(LIST), {"status": "<script>"}).context["rows"]

    assert [s.pk for s in closed_only] == [closed.pk]
    assert {s.pk for s in everything} == {own.pk, closed.pk}
    assert [s.pk for s in nonsense] == [own.pk]


def test_the_list_is_audited_per_youth(client, world, partner_user):
    own = _samenwerking(world)
    client.get(reverse(LIST))
    assert AuditEvent.objects.filter(
        user_id=partner_user.pk, action=AuditAction.SEARCH, youth_id=own.youth_id
    ).exists()


def test_query_count_does_not_grow_with_the_rows(client, world, partner_user):
    colleague = UserFactory(organisation=world.partner, roles=[Role.GENERALIST])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(LIST)).status_code == 200
        return len(ctx.captured_queries)

    _samenwerking(world)
    few = count()
    for _ in range(6):
        s = _samenwerking(world)
        ContactPerson.objects.create(
            youth=s.youth, user=colleague, organisation=world.partner, added_by=colleague
        )
    assert count() == few


def test_only_chain_partners_open_the_list(client, world):
    for role in ("school_gebruiker", "gemeente_beheerder", "platformbeheer"):
        client.logout()
        login_verified(client, world.users[role])
        assert client.get(reverse(LIST)).status_code == 403


def test_menu_of_a_chain_partner_has_samenwerkingen(client, world, partner_user):
    response = client.get(reverse("core:home"))
    urls = [item["url"] for item in response.context["nav_items"]]
    assert reverse(LIST) in urls


def test_linking_a_colleague_shows_the_contact_to_the_school(client, world, partner_user):
    samenwerking = _samenwerking(world)
    colleague = UserFactory(organisation=world.partner, roles=[Role.GENERALIST])
    url = reverse("jikp:partner_contact", args=[samenwerking.pk])

    response = client.post(url, {"contact": colleague.pk, "form_token": _token(client, url)})

    assert response.status_code == 302
    samenwerking.refresh_from_db()
    assert samenwerking.status == SamenwerkingStatus.CONTACT_LINKED
    # The school sees the partner's contact person on the youth (§5.2).
    contacts = selectors.contact_persons(youth=samenwerking.youth)
    assert [(c.user_id, c.organisation_id) for c in contacts] == [(colleague.pk, world.partner.pk)]
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type="jikp.contactperson",
        youth_id=samenwerking.youth_id,
    ).exists()
    # Reading the page itself was audited too.
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="jikp.samenwerking", youth_id=samenwerking.youth_id
    ).exists()


def test_link_goes_back_to_a_local_next_address_only(client, world, partner_user):
    samenwerking = _samenwerking(world)
    url = reverse("jikp:partner_contact", args=[samenwerking.pk])
    detail = reverse("youth:detail", args=[samenwerking.youth_id])

    back = client.post(
        url,
        {"contact": partner_user.pk, "form_token": _token(client, url), "next": detail},
    )
    evil = client.post(
        url,
        {
            "contact": partner_user.pk,
            "form_token": _token(client, url),
            "next": "https://evil.example/",
        },
    )

    assert back["Location"] == detail
    assert evil["Location"] == reverse(LIST)


def test_a_second_post_of_the_same_form_changes_nothing(client, world, partner_user):
    samenwerking = _samenwerking(world)
    first = UserFactory(organisation=world.partner)
    second = UserFactory(organisation=world.partner)
    url = reverse("jikp:partner_contact", args=[samenwerking.pk])
    token = _token(client, url)

    client.post(url, {"contact": first.pk, "form_token": token})
    client.post(url, {"contact": second.pk, "form_token": token})

    assert list(
        ContactPerson.objects.filter(youth=samenwerking.youth).values_list("user_id", flat=True)
    ) == [first.pk]


def test_someone_of_another_organisation_cannot_be_linked(client, world, partner_user):
    samenwerking = _samenwerking(world)
    outsider = world.users["school_gebruiker"]
    url = reverse("jikp:partner_contact", args=[samenwerking.pk])

    response = client.post(url, {"contact": outsider.pk, "form_token": _token(client, url)})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ContactPerson.objects.filter(youth=samenwerking.youth).exists()
    samenwerking.refresh_from_db()
    assert samenwerking.status == SamenwerkingStatus.REQUESTED


def test_close_moves_the_samenwerking_to_closed(client, world, partner_user):
    samenwerking = _samenwerking(world)
    url = reverse("jikp:partner_close", args=[samenwerking.pk])

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    samenwerking.refresh_from_db()
    assert samenwerking.status == SamenwerkingStatus.CLOSED
    assert samenwerking.closed_at is not None
    assert list(client.get(reverse(LIST)).context["rows"]) == []
    assert [s.pk for s in client.get(reverse(LIST), {"status": "afgesloten"}).context["rows"]] == [
        samenwerking.pk
    ]
    # Closing twice (a double click) changes nothing; a closed samenwerking is not found any more,
    # so no contact can be linked.
    assert client.post(url).status_code == 404
    contact_url = reverse("jikp:partner_contact", args=[samenwerking.pk])
    assert client.get(contact_url).status_code == 404


def test_another_partners_samenwerking_is_not_found(client, world, partner_user, other_partner):
    foreign = _samenwerking(world, partner=other_partner)
    for name in ("jikp:partner_contact", "jikp:partner_close"):
        url = reverse(name, args=[foreign.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"contact": partner_user.pk}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == SamenwerkingStatus.REQUESTED
    assert not ContactPerson.objects.filter(youth=foreign.youth).exists()


def test_the_partner_sees_the_youth_once_a_contact_is_linked(client, world, partner_user):
    samenwerking = _samenwerking(world)
    detail = reverse("youth:detail", args=[samenwerking.youth_id])
    assert client.get(detail).status_code == 404
    samenwerking.status = SamenwerkingStatus.CONTACT_LINKED
    samenwerking.save()
    assert client.get(detail).status_code == 200
