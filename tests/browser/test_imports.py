"""A school user updates youth with Excel files, in the browser only (seed 000 §4.7-4.9).

For each of the four kinds: download the template through the UI, fill it in with openpyxl with
one deliberate mistake, upload it, read the Dutch report (row, column, message), correct the file,
upload it again, choose "Verwerken" and find the result in the product: the new youth in
Schoolgaand, the uitstroomperspectief, the unenrolment date and the school year of leaving on the
youth's page. axe-core checks the upload and report pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import EnrolmentFactory, make_bsn
from vangnet.jikp.models import Uitstroomperspectief
from vangnet.transfers.models import ImportJob, ImportStatus
from vangnet.youth.models import Enrolment, Youth

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

ENROLLED_ON = dt.date(2024, 8, 20)


# --- Steps in the browser -------------------------------------------------------------------------


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _open_imports(page: Any) -> None:
    """From the menu: Schoolgaand, then the 'Jongeren bijwerken' button."""
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    _click(page, nav.get_by_role("link", name="Schoolgaand", exact=True))
    _click(page, page.locator("main").get_by_role("link", name="Jongeren bijwerken", exact=True))
    assert page.locator("main h1").inner_text() == "Jongeren bijwerken"


def _download_template(page: Any, label: str, folder: Path) -> Path:
    _open_imports(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=f"Sjabloon downloaden {label}", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith("-sjabloon.xlsx")
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def _upload(page: Any, label: str, path: Path) -> None:
    """Open the kind's upload page from the imports page, choose the file, have it checked."""
    _open_imports(page)
    _click(page, page.get_by_role("link", name=f"Bestand uploaden {label}", exact=True))
    assert page.locator("main h1").inner_text() == label
    assert_accessible(page, f"upload page {label}")
    page.get_by_label("Excel-bestand (.xlsx)").set_input_files(str(path))
    _click(page, page.get_by_role("button", name="Bestand controleren", exact=True))
    assert page.locator("main h2").first.inner_text() == "Verslag"


def _errors(page: Any) -> list[list[str]]:
    rows = page.locator("#errors tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def _counts(page: Any) -> dict[str, str]:
    return {
        name: page.locator(f"#count-{name}").inner_text()
        for name in ("rows", "created", "updated", "unchanged", "errors")
    }


def _expect_refused(page: Any, label: str, errors: list[list[str]]) -> None:
    alert = page.locator("main .utrecht-alert--error").inner_text()
    assert "Er is niets gewijzigd" in alert, alert
    assert _errors(page) == errors
    assert page.get_by_role("button", name="Verwerken").count() == 0
    assert_accessible(page, f"report with errors {label}")


def _apply(page: Any, label: str) -> None:
    assert "Er is nog niets gewijzigd" in page.locator("main .utrecht-alert--info").inner_text()
    assert _errors(page) == []
    assert_accessible(page, f"checked report {label}")
    _click(page, page.get_by_role("button", name="Verwerken", exact=True))
    assert page.locator("main .utrecht-alert--ok").inner_text() == "Het bestand is verwerkt."
    assert_accessible(page, f"processed report {label}")


def _open_youth(page: Any, full_name: str) -> None:
    """Schoolgaand, tab 'Alle jongeren', the youth's Details link."""
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    _click(page, nav.get_by_role("link", name="Schoolgaand", exact=True))
    tabs = page.get_by_role("navigation", name="Overzichten schoolgaand")
    _click(page, tabs.get_by_role("link", name="Alle jongeren", exact=True))
    row = page.locator("main table tbody tr").filter(has_text=full_name)
    _click(page, row.get_by_role("link", name=f"Details {full_name}", exact=True))
    assert page.locator("main h1").inner_text() == full_name


def _personal_data(page: Any) -> dict[str, str]:
    section = page.locator("main section[aria-labelledby=h-person] dl")
    terms = [t.strip() for t in section.locator("dt").all_inner_texts()]
    values = [d.strip() for d in section.locator("dd").all_inner_texts()]
    return dict(zip(terms, values, strict=True))


# --- Filling the template --------------------------------------------------------------------------


def _fill(template: Path, target: Path, rows: list[dict[str, Any]]) -> Path:
    """The downloaded template with its example row overwritten by `rows` ({heading: value})."""
    workbook = load_workbook(template)
    sheet = workbook.active
    headings = [c.value for c in sheet[1]]
    for cell in sheet[2]:
        cell.value = None
    for number, row in enumerate(rows, start=2):
        unknown = set(row) - set(headings)
        assert not unknown, f"not in the template: {unknown}"
        for column, heading in enumerate(headings, start=1):
            if heading in row:
                sheet.cell(row=number, column=column, value=row[heading])
    workbook.save(target)
    return target


def _wrong_bsn(bsn: str) -> str:
    """Nine digits that fail the elfproef (the last digit changed)."""
    return bsn[:8] + str((int(bsn[8]) + 1) % 10)


@pytest.fixture
def school(page: Any, world: Any) -> Any:
    user = world.users["school_gebruiker"]
    sign_in(page, user)
    return user


def _enrolled(world: Any, first: str, last: str, prefix: str = "") -> Youth:
    enrolment = EnrolmentFactory(
        organisation=world.pro,
        youth__first_name=first,
        youth__prefix=prefix,
        youth__last_name=last,
        youth__municipality=world.gem_a,
        enrolled_on=ENROLLED_ON,
    )
    return enrolment.youth


# --- The four kinds --------------------------------------------------------------------------------


def test_youth_list_template_to_schoolgaand(page, world, school, tmp_path):
    label = "Jongerenlijst"
    template = _download_template(page, label, tmp_path)
    sanne, daan = make_bsn(), make_bsn()
    base = {
        "Geboortedatum": dt.date(2009, 3, 4),
        "Geslacht": "V",
        "Straat": "Kerkstraat",
        "Huisnummer": "12",
        "Postcode": "1234 AB",
        "Woonplaats": "Aastad",
        "Woongemeente": "Aastad",
        "Geheim adres": "nee",
        "Klas": "3A",
        "Leerjaar": 3,
        "Inschrijfdatum": ENROLLED_ON,
    }
    first = {**base, "BSN": sanne, "Voornaam": "Sanne", "Achternaam": "Jansen"}
    second = {
        **base,
        "BSN": _wrong_bsn(daan),
        "Voornaam": "Daan",
        "Tussenvoegsel": "de",
        "Achternaam": "Vries",
        "Geslacht": "M",
        "Leerlingnummer": "L002",
        "Uitstroomperspectief": "Arbeid",
        "Jaar van uitstroom": 2027,
    }
    wrong = _fill(template, tmp_path / "jongeren-fout.xlsx", [first, second])

    _upload(page, label, wrong)
    _expect_refused(
        page, label, [["3", "BSN", "Dit is geen geldig BSN (het voldoet niet aan de elfproef)."]]
    )
    assert Youth.objects.count() == 0

    fixed = _fill(template, tmp_path / "jongeren.xlsx", [first, {**second, "BSN": daan}])
    _click(page, page.get_by_role("link", name="Ander bestand uploaden", exact=True))
    page.get_by_label("Excel-bestand (.xlsx)").set_input_files(str(fixed))
    _click(page, page.get_by_role("button", name="Bestand controleren", exact=True))
    assert _counts(page) == {
        "rows": "2",
        "created": "2",
        "updated": "0",
        "unchanged": "0",
        "errors": "0",
    }
    _apply(page, label)
    assert Youth.objects.count() == 2

    # Both youth are in Schoolgaand; Daan with his perspective and year of leaving.
    _open_youth(page, "Daan de Vries")
    data = _personal_data(page)
    assert data["BSN"] == daan
    assert data["Klas"] == "3A"
    assert data["Inschrijfdatum"] == "20-08-2024"
    assert data["Schooljaar van uitstroom"] == "2026/2027"
    perspective = page.get_by_test_id("jikp-perspective").inner_text()
    assert "Arbeid" in perspective
    _open_youth(page, "Sanne Jansen")
    assert _personal_data(page)["BSN"] == sanne


def test_perspectives_template_to_the_youth_page(page, world, school, tmp_path):
    label = "UPP bijwerken"
    youth = _enrolled(world, "Noor", "Bakker")
    template = _download_template(page, label, tmp_path)
    row = {"BSN": youth.bsn, "Achternaam": "Bakkers", "Uitstroomperspectief": "Dagbesteding"}

    _upload(page, label, _fill(template, tmp_path / "upp-fout.xlsx", [row]))
    _expect_refused(
        page,
        label,
        [
            [
                "2",
                "Achternaam",
                "De achternaam past niet bij de jongere met dit BSN of onderwijsnummer.",
            ]
        ],
    )
    assert not Uitstroomperspectief.objects.exists()

    _upload(page, label, _fill(template, tmp_path / "upp.xlsx", [{**row, "Achternaam": "Bakker"}]))
    assert _counts(page)["updated"] == "1"
    _apply(page, label)

    _open_youth(page, "Noor Bakker")
    perspective = page.get_by_test_id("jikp-perspective").inner_text()
    assert "Dagbesteding" in perspective
    assert Uitstroomperspectief.objects.get(youth=youth, is_active=True).kind == "dagbesteding"


def test_unenrolment_dates_template_to_the_youth_page(page, world, school, tmp_path):
    label = "Uitschrijfdatums bijwerken"
    youth = _enrolled(world, "Sem", "Visser")
    template = _download_template(page, label, tmp_path)
    too_early = dt.date(2024, 7, 1)
    row = {"BSN": youth.bsn, "Achternaam": "Visser", "Uitschrijfdatum": too_early}

    _upload(page, label, _fill(template, tmp_path / "uitschrijven-fout.xlsx", [row]))
    _expect_refused(
        page,
        label,
        [
            [
                "2",
                "Uitschrijfdatum",
                "De uitschrijfdatum kan niet voor de inschrijfdatum (20-08-2024) liggen.",
            ]
        ],
    )

    leaving = timezone.localdate() + dt.timedelta(days=30)
    fixed = _fill(template, tmp_path / "uitschrijven.xlsx", [{**row, "Uitschrijfdatum": leaving}])
    _upload(page, label, fixed)
    assert _counts(page)["updated"] == "1"
    _apply(page, label)

    # Until the date has passed the youth stays in Schoolgaand, with the date on its page.
    _open_youth(page, "Sem Visser")
    assert _personal_data(page)["Uitschrijfdatum"] == leaving.strftime("%d-%m-%Y")
    assert Enrolment.objects.get(youth=youth).unenrolled_on == leaving


def test_year_of_leaving_template_to_the_youth_page(page, world, school, tmp_path):
    label = "Jaar van uitstroom bijwerken"
    youth = _enrolled(world, "Lotte", "Smit", prefix="van")
    template = _download_template(page, label, tmp_path)
    row = {"BSN": youth.bsn, "Achternaam": "Smit", "Jaar van uitstroom": 1990}

    _upload(page, label, _fill(template, tmp_path / "jaar-fout.xlsx", [row]))
    (error,) = _errors(page)
    assert error[:2] == ["2", "Jaar van uitstroom"]
    assert error[2].startswith("Het jaar van uitstroom moet tussen ")
    _expect_refused(page, label, [error])

    _upload(
        page, label, _fill(template, tmp_path / "jaar.xlsx", [{**row, "Jaar van uitstroom": 2027}])
    )
    assert _counts(page)["updated"] == "1"
    _apply(page, label)

    _open_youth(page, "Lotte van Smit")
    assert _personal_data(page)["Schooljaar van uitstroom"] == "2026/2027"
    job = ImportJob.objects.filter(status=ImportStatus.DONE).get()
    assert (job.kind, job.rows_updated, job.user) == ("jaar-van-uitstroom", 1, school)


def test_youth_list_rows_of_youth_enrolled_elsewhere_are_confirmed_first(
    page, world, school, tmp_path
):
    """A youth that another school added and enrolled: the report names how many rows concern
    such youth, and Verwerken asks for the confirmation box first. The person data stay."""
    label = "Jongerenlijst"
    theirs = EnrolmentFactory(
        organisation=world.other_school,
        youth__first_name="Noor",
        youth__last_name="Bakker",
        youth__birth_date=dt.date(2009, 5, 6),
        youth__municipality=world.gem_x,
        youth__supplied_by=world.other_school,
    ).youth
    template = _download_template(page, label, tmp_path)
    row = {
        "BSN": theirs.bsn,
        "Voornaam": "Anders",
        "Achternaam": "Bakker",
        "Geboortedatum": dt.date(2009, 5, 6),
        "Geslacht": "V",
        "Straat": "Kerkstraat",
        "Huisnummer": "12",
        "Postcode": "1234 AB",
        "Woonplaats": "Aastad",
        "Woongemeente": "Aastad",
        "Geheim adres": "nee",
        "Klas": "3A",
        "Inschrijfdatum": ENROLLED_ON,
    }
    _upload(page, label, _fill(template, tmp_path / "jongeren.xlsx", [row]))
    warning = page.locator("#enrolled-elsewhere").inner_text()
    assert "1 rij gaat over een jongere die al bij een andere school staat ingeschreven" in warning
    assert page.locator("#count-elsewhere").inner_text() == "1"
    assert_accessible(page, "report with youth enrolled elsewhere")

    # Verwerken without the box: nothing happens, the box is marked.
    _click(page, page.get_by_role("button", name="Verwerken", exact=True))
    assert "Bevestig dat de jongeren" in page.locator("main form").inner_text()
    assert not Enrolment.objects.filter(youth=theirs, organisation=world.pro).exists()
    assert_accessible(page, "report asking for the confirmation")

    page.get_by_label(
        "Ik bevestig dat deze jongeren ook bij mijn school staan ingeschreven."
    ).check()
    _click(page, page.get_by_role("button", name="Verwerken", exact=True))
    assert page.locator("main .utrecht-alert--ok").inner_text() == "Het bestand is verwerkt."
    assert Enrolment.objects.filter(youth=theirs, organisation=world.pro).exists()
    theirs.refresh_from_db()
    assert (theirs.first_name, theirs.municipality) == ("Noor", world.gem_x)
