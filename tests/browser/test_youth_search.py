"""Searching youth in a browser: by name with a tussenvoegsel, and by BSN through the POST form
whose number never appears in the address."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.factories import YouthFactory

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

BSN = "123456782"


def test_municipality_searches_by_name_and_by_bsn(page, world):
    youth = YouthFactory(
        municipality=world.gem_a,
        bsn=BSN,
        first_name="Sanne",
        prefix="van den",
        last_name="Akkermans",
    )
    YouthFactory(municipality=world.gem_a, first_name="Piet", last_name="Bakker")
    sign_in(page, world.users["gemeente_consulent"])
    page.goto("/jongeren/")

    page.get_by_label("Zoeken op naam").fill("van den Akkermans")
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and "Sanne van den Akkermans" in rows.first.inner_text()

    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Zoeken op BSN", exact=True).click()
    assert page.locator("main h1").inner_text() == "Zoeken op BSN"
    assert page.locator("#id_bsn").get_attribute("autocomplete") == "off"
    page.get_by_role("textbox", name="BSN").fill("1234 56782")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken", exact=True).click()
    assert urlparse(page.url).path == "/jongeren/zoeken-op-bsn/"
    assert BSN not in page.url and "56782" not in page.url
    table = page.locator("main table")
    assert "Sanne van den Akkermans" in table.inner_text()
    assert "Bakker" not in table.inner_text()
    assert page.locator("#id_bsn").input_value() == ""
    assert_accessible(page, "BSN search result")
    with page.expect_navigation():
        table.get_by_role("link", name="Details Sanne van den Akkermans", exact=True).click()
    assert urlparse(page.url).path == f"/jongeren/{youth.pk}/"
