"""The Schoolgaand list's per-row actions and bulk actions, clicked in a browser (issue 8)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory, UserFactory
from vangnet.audit.models import AuditEvent
from vangnet.jikp import services
from vangnet.jikp.models import ContactPerson, Uitstroomperspectief

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

NAMES = ("Anouk Aalders", "Bram Bakker", "Cas Claassen")


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _row(page: Any, name: str) -> Any:
    return page.locator("main table tbody tr").filter(has_text=name)


def _bulk(page: Any) -> Any:
    return page.get_by_role("group", name="Met de geselecteerde jongeren")


@pytest.fixture
def youths(world):
    user = world.users["school_gebruiker"]
    made = []
    for full in NAMES:
        first, last = full.split()
        youth = EnrolmentFactory(
            organisation=world.pro,
            youth__first_name=first,
            youth__last_name=last,
            youth__municipality=world.gem_a,
        ).youth
        services.perspective_set(youth=youth, school=world.pro, kind="arbeid", acting_user=user)
        made.append(youth)
    return made


def test_select_rows_and_apply_bulk_actions_by_clicking(page, world, youths):
    colleague = UserFactory(
        organisation=world.pro, first_name="Mila", last_name="Mentor", job_title="Mentor"
    )
    sign_in(page, world.users["school_gebruiker"])
    page.goto(reverse("jikp:schoolgaand") + "?tab=alle")
    assert page.locator("main h1").inner_text() == "Schoolgaand"
    assert_accessible(page, "Schoolgaand with row and bulk actions")

    # Select two of the three rows and link a contact person to both.
    for name in NAMES[:2]:
        page.get_by_label(f"Selecteer {name}").check()
    _bulk(page).get_by_label("Contactpersoon", exact=True).select_option(
        label="Mila Mentor (Mentor)"
    )
    _click(page, _bulk(page).get_by_role("button", name="Contactpersoon koppelen"))
    assert urlparse(page.url).path == reverse("jikp:schoolgaand")
    assert (
        "Mila Mentor is nu contactpersoon van 2 jongeren."
        in page.locator(".utrecht-alert--ok").inner_text()
    )
    linked = set(ContactPerson.objects.filter(user=colleague).values_list("youth_id", flat=True))
    assert linked == {youths[0].pk, youths[1].pk}

    # Select the other two and set their status in one go.
    for name in NAMES[1:]:
        page.get_by_label(f"Selecteer {name}").check()
    _bulk(page).get_by_label("Status", exact=True).select_option(
        label="Stage / werkervaringsplaats"
    )
    _click(page, _bulk(page).get_by_role("button", name="Status wijzigen"))
    assert "De status van 2 jongeren is nu" in page.locator(".utrecht-alert--ok").inner_text()
    statuses = dict(
        Uitstroomperspectief.objects.filter(is_active=True).values_list("youth_id", "status")
    )
    assert statuses == {
        youths[0].pk: "arbeid_orienterend",
        youths[1].pk: "arbeid_stage",
        youths[2].pk: "arbeid_stage",
    }
    for youth in youths[1:]:
        assert AuditEvent.objects.filter(
            youth_id=youth.pk, description="uitstroomperspectief status"
        ).exists()

    # The final status without details is refused for all, in Dutch, and nothing changes.
    for name in NAMES:
        page.get_by_label(f"Selecteer {name}").check()
    _bulk(page).get_by_label("Status", exact=True).select_option(label="Arbeidsovereenkomst")
    _click(page, _bulk(page).get_by_role("button", name="Status wijzigen"))
    error = page.locator(".utrecht-alert--error").inner_text()
    assert "Er is niets gewijzigd" in error and "Vul eerst de details" in error
    assert not Uitstroomperspectief.objects.filter(status="arbeid_arbeidsovereenkomst").exists()

    # A per-row action opens that youth's action page.
    _click(page, _row(page, NAMES[2]).get_by_role("link", name=f"Traject {NAMES[2]}"))
    assert urlparse(page.url).path == reverse("jikp:detail_traject_add", args=[youths[2].pk])
    assert page.locator("main h1").inner_text() == "Traject toevoegen"
