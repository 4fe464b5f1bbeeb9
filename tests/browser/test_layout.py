"""Look of the shell at real screen widths: wide lists use the width and scroll inside a visible
container, the filter selects show their arrow, headings are in a sans-serif font, and the
student's Mijn dossiers fits a phone."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import AanmeldingFactory, EnrolmentFactory, StudentAccountFactory
from vangnet.dossiers.tests.helpers import make_student, walk_to
from vangnet.jikp import services as jikp_services

from .helpers import sign_in, sign_in_student

browser = pytest.mark.browser

# Where a table's last column stands: in the viewport without scrolling sideways, or reachable by
# the scroll container's own scrollbar, which must then be on the screen (not below row 25).
LAST_COLUMN = """(table) => {
  const box = table.closest('.vn-table-scroll');
  const cells = table.querySelectorAll('thead th');
  const last = cells[cells.length - 1].getBoundingClientRect();
  const frame = box.getBoundingClientRect();
  const style = getComputedStyle(box);
  return {
    viewportWidth: document.documentElement.clientWidth,
    viewportHeight: window.innerHeight,
    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    lastRight: last.right,
    frameLeft: frame.left,
    frameRight: frame.right,
    frameHeight: frame.height,
    scrolls: box.scrollWidth > box.clientWidth,
    overflowX: style.overflowX,
    scrollbarWidth: style.scrollbarWidth,
  };
}"""


def assert_last_column_reachable(page: Any, what: str) -> dict[str, Any]:
    table = page.locator("main .vn-table-scroll table").first
    table.scroll_into_view_if_needed()
    m = table.evaluate(LAST_COLUMN)
    assert m["pageOverflow"] <= 0, f"{what}: the page itself scrolls sideways: {m}"
    assert m["frameRight"] <= m["viewportWidth"], f"{what}: the table's frame is cut off: {m}"
    if m["lastRight"] <= m["frameRight"] + 1:
        return m  # the whole table fits
    assert m["scrolls"] and m["overflowX"] in {"auto", "scroll"}, f"{what}: clipped: {m}"
    # The horizontal scrollbar sits at the bottom of the frame: it must be on the screen.
    assert m["frameHeight"] <= m["viewportHeight"], f"{what}: scrollbar below the screen: {m}"
    # (Headless Chromium hides scrollbars, so their size cannot be measured here.)
    assert m["scrollbarWidth"] != "none", f"{what}: the scrollbar is switched off: {m}"
    # Scrolling the frame to its end brings the last column into view.
    table.evaluate(
        "(t) => { const b = t.closest('.vn-table-scroll'); b.scrollLeft = b.scrollWidth; }"
    )
    m = table.evaluate(LAST_COLUMN)
    assert m["lastRight"] <= m["frameRight"] + 1, f"{what}: last column out of reach: {m}"
    return m


def _schoolgaand(world, count: int = 30) -> None:
    user = world.users["school_gebruiker"]
    for number in range(count):
        enrolment = EnrolmentFactory(
            organisation=world.pro,
            class_name=f"PRO-{number % 4}",
            youth__first_name="Maximiliaan-Alexander",
            youth__last_name=f"van den Bosch-Vermeulen {number:02d}",
            youth__municipality=world.gem_a,
        )
        jikp_services.perspective_set(
            youth=enrolment.youth, school=world.pro, kind="arbeid", acting_user=user
        )


@browser
@pytest.mark.parametrize("width", [1280, 1920])
def test_schoolgaand_list_reaches_its_last_column(page, world, width):
    _schoolgaand(world)
    sign_in(page, world.users["school_gebruiker"])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/jikp/schoolgaand/?tab=alle")
    assert page.locator("main tbody tr").count() == 25
    assert_last_column_reachable(page, f"Schoolgaand at {width}px")
    if width == 1920:  # a wide screen shows the whole table, the content uses the width
        main = page.locator("main").bounding_box()
        assert main is not None and main["x"] + main["width"] >= width - 2, main


def _mbo_dossiers(world, count: int = 3) -> None:
    world.mbo.takes_part_in_ddd = True
    world.mbo.save(update_fields=["takes_part_in_ddd"])
    for _ in range(count):
        student = make_student(world.vo)
        AanmeldingFactory(
            youth=student.youth,
            institution=world.mbo,
            programme="Medewerker maatschappelijke zorg, gehandicaptenzorg",
        )
        walk_to("afgerond", student=student, mentor=world.users["vo_mentor"])


@browser
@pytest.mark.parametrize("width", [1280, 1920])
def test_mbo_list_shows_its_pdf_column(page, world, width):
    _mbo_dossiers(world)
    sign_in(page, world.users["mbo_gebruiker"])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/mbo/ddd/")
    m = assert_last_column_reachable(page, f"MBO list at {width}px")
    # Seven columns fit at 1280 px: the PDF link is on the screen without scrolling sideways.
    assert m["lastRight"] <= m["frameRight"] + 1, m
    pdf = page.locator("main tbody tr").first.get_by_role("link", name="PDF")
    box = pdf.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width, box


@browser
def test_filter_selects_show_an_arrow_and_headings_are_sans_serif(page, world):
    sign_in(page, world.users["school_gebruiker"])
    page.goto("/jikp/schoolgaand/?tab=alle")
    select = page.locator("main .vn-filters select").first
    image = select.evaluate("(s) => getComputedStyle(s).backgroundImage")
    assert image != "none" and "url(" in image, image
    for selector in ("main h1", "body", "main .vn-filters select", "main button"):
        family = page.locator(selector).first.evaluate("(e) => getComputedStyle(e).fontFamily")
        families = [f.strip().strip("\"'").lower() for f in family.split(",")]
        assert families[-1] == "sans-serif", f"{selector}: {family}"
        assert not any("serif" in f and "sans" not in f for f in families), f"{selector}: {family}"


@browser
def test_my_dossiers_fits_a_phone(page, world):
    enrolment = EnrolmentFactory(organisation=world.vo, class_name="4H1")
    account = StudentAccountFactory(youth=enrolment.youth, ddd_activated_at=timezone.now())
    sign_in_student(page, account.user.email)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/leerling/ddd/")
    page.get_by_role("button", name="Nieuw dossier").click()
    page.goto("/leerling/ddd/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"Mijn dossiers scrolls sideways by {overflow}px at 375px"
    controls = page.locator("main").locator("button:visible, a.utrecht-button-link:visible")
    assert controls.count() >= 2
    footer = page.locator("footer").bounding_box()
    assert footer is not None
    for index in range(controls.count()):
        box = controls.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, (
            controls.nth(index).inner_text(),
            box,
        )
        assert box["y"] + box["height"] <= footer["y"], "a button runs into the footer"
    # The cells of a row are stacked and do not overlap each other.
    cells = [c.bounding_box() for c in page.locator("main tbody tr").first.locator("td").all()]
    for upper, lower in itertools.pairwise(cells):
        assert upper is not None and lower is not None
        assert upper["y"] + upper["height"] <= lower["y"] + 1, (upper, lower)
