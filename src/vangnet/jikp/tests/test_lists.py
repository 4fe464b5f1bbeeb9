"""The school's lists (Schoolgaand with its tabs, Entree, Uitgeschreven), the dashboard and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from conftest import login_verified
from tests.factories import EnrolmentFactory, make_bsn
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp.exports import neutralise
from vangnet.jikp.models import (
    ContactPerson,
    PerspectiveStatus,
    Samenwerking,
    SamenwerkingStatus,
    Uitstroomperspectief,
)

pytestmark = pytest.mark.django_db

SCHOOLGAAND = "jikp:schoolgaand"


# --- Building blocks ---------------------------------------------------------------------------


def enrol(world, school=None, **kwargs):
    kwargs.setdefault("youth__municipality", world.gem_a)
    return EnrolmentFactory(organisation=school or world.pro, **kwargs)


def give_perspective(world, enrolment, kind="arbeid", status=None, details=True):
    return Uitstroomperspectief.objects.create(
        youth=enrolment.youth,
        organisation=enrolment.organisation,
        kind=kind,
        status=status or f"{kind}_orienterend",
        details_complete=details,
        created_by=world.users["school_gebruiker"],
    )


def give_contact(world, enrolment):
    user = world.users["school_gebruiker"]
    return ContactPerson.objects.create(
        youth=enrolment.youth, user=user, organisation=user.organisation, added_by=user
    )


def complete(world, enrolment, kind="arbeid"):
    """All four §3.1 rules satisfied: the youth leaves 'Te behandelen'."""
    give_contact(world, enrolment)
    final = {
        "onderwijs": PerspectiveStatus.EDU_FINAL,
        "arbeid": PerspectiveStatus.WORK_CONTRACT,
        "dagbesteding": PerspectiveStatus.DAY_FINAL,
    }[kind]
    give_perspective(world, enrolment, kind=kind, status=final, details=True)
    return enrolment


def request_samenwerking(world, enrolment, status=SamenwerkingStatus.REQUESTED):
    return Samenwerking.objects.create(
        youth=enrolment.youth,
        school=enrolment.organisation,
        partner=world.partner,
        kind="arbeid",
        status=status,
        requested_by=world.users["school_gebruiker"],
    )


def unenrol(enrolment, on=None):
    enrolment.unenrolled_on = on or dt.date.today() - dt.timedelta(days=30)
    enrolment.unenrolment_processed = True
    enrolment.save()
    return enrolment


def to_entree(world, enrolment):
    unenrol(enrolment)
    EnrolmentFactory(
        youth=enrolment.youth, organisation=world.mbo, enrolled_on=enrolment.unenrolled_on
    )
    return enrolment


@pytest.fixture
def school_client(client, world):
    return login_verified(client, world.users["school_gebruiker"])


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [row["e"].youth_id for row in response.context["rows"]]


def get_list(client, name=SCHOOLGAAND, **params):
    return client.get(reverse(name), params)


def export(client, name="jikp:schoolgaand_export", fmt="csv", **params):
    response = client.get(reverse(name), {**params, "formaat": fmt})
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, data = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in data]


# --- Te behandelen (§3.1) ------------------------------------------------------------------------


def test_schoolgaand_opens_on_the_te_behandelen_tab(school_client, world):
    response = get_list(school_client)
    assert response.context["tab"] == "te-behandelen"
    content = response.content.decode()
    assert "Te behandelen jongeren" in content
    assert "Alle jongeren" in content and "Openstaande samenwerkingen" in content


def test_the_name_opens_the_youth_and_the_reasons_come_right_after_it(school_client, world):
    """On a laptop screen the wide table scrolls; what the school needs first is who and why."""
    enrolment = enrol(world)
    html = get_list(school_client).content.decode()
    headers = [
        unescape(h)
        for h in re.findall(
            r'<th class="utrecht-table__header-cell"[^>]*>(?:<a[^>]*>)?([^<]+)', html
        )
    ]
    assert headers[:3] == ["Naam", "Te behandelen omdat", "Geboortedatum"]
    detail = reverse("youth:detail", args=[enrolment.youth_id])
    assert (
        f'<a class="utrecht-link" href="{detail}">{escape(enrolment.youth.full_name)}</a>' in html
    )
    other_tab = get_list(school_client, tab="alle").content.decode()
    assert "Te behandelen omdat" not in other_tab and f'href="{detail}"' in other_tab


@pytest.mark.parametrize(
    "name, params, text",
    [
        (SCHOOLGAAND, {}, "Geen jongeren gevonden: er is niemand meer te behandelen."),
        (SCHOOLGAAND, {"tab": "samenwerkingen"}, "Er zijn geen openstaande samenwerkingen."),
        ("jikp:uitgeschreven", {}, "Geen jongeren gevonden in dit overzicht."),
        ("jikp:entree", {}, "Geen jongeren gevonden in dit overzicht."),
        (SCHOOLGAAND, {"tab": "alle", "leerjaar": "7"}, "Geen jongeren gevonden met deze filters."),
    ],
)
def test_an_empty_list_says_why_it_is_empty(school_client, world, name, params, text):
    # One schoolgoing youth, fully handled, without samenwerking, in class 9Z.
    complete(world, enrol(world, class_name="9Z"))
    response = get_list(school_client, name, **params)
    assert listed(response) == []
    assert text in response.content.decode()


def test_te_behandelen_holds_exactly_the_youth_meeting_a_rule_and_says_which(school_client, world):
    done = complete(world, enrol(world))
    no_contact = enrol(world, youth__last_name="Zondercontact")
    give_perspective(world, no_contact, status=PerspectiveStatus.WORK_CONTRACT)
    no_perspective = enrol(world, youth__last_name="Zonderprofiel")
    give_contact(world, no_perspective)
    no_details = enrol(world, youth__last_name="Zonderdetails")
    give_contact(world, no_details)
    give_perspective(world, no_details, status=PerspectiveStatus.WORK_CONTRACT, details=False)
    not_final = enrol(world, youth__last_name="Nognietdefinitief")
    give_contact(world, not_final)
    give_perspective(world, not_final, kind="dagbesteding", status=PerspectiveStatus.DAY_TRIAL)

    response = get_list(school_client, tab="te-behandelen")

    assert set(listed(response)) == {
        no_contact.youth_id,
        no_perspective.youth_id,
        no_details.youth_id,
        not_final.youth_id,
    }
    assert done.youth_id not in listed(get_list(school_client, tab="te-behandelen"))
    reasons = {row["e"].youth.last_name: row["reasons"] for row in response.context["rows"]}
    assert reasons["Zondercontact"] == ["Nog geen contactpersoon van de school toegevoegd"]
    assert reasons["Zonderprofiel"] == ["Nog geen uitstroomperspectief toegevoegd"]
    assert reasons["Zonderdetails"] == ["Details van het uitstroomperspectief nog niet ingevuld"]
    assert reasons["Nognietdefinitief"] == ["Status is nog niet “Definitief dagbesteding”"]
    assert "Status is nog niet “Definitief dagbesteding”" in response.content.decode()
    # Once complete the youth is only in 'Alle jongeren'.
    assert done.youth_id in listed(get_list(school_client, tab="alle"))


def test_openstaande_samenwerkingen_tab_lists_open_requests_only(school_client, world):
    open_one = enrol(world)
    give_perspective(world, open_one)
    request_samenwerking(world, open_one)
    linked = enrol(world)
    request_samenwerking(world, linked, status=SamenwerkingStatus.CONTACT_LINKED)
    closed = enrol(world)
    request_samenwerking(world, closed, status=SamenwerkingStatus.CLOSED)
    enrol(world)

    response = get_list(school_client, tab="samenwerkingen")

    assert set(listed(response)) == {open_one.youth_id, linked.youth_id}
    assert "Werkplein Aastad: Aangevraagd" in response.content.decode()


# --- Filters, search and sorting ---------------------------------------------------------------


@pytest.fixture
def varied(world):
    """Youth that differ in every filterable respect."""
    a = enrol(
        world,
        class_name="1A",
        school_year_level=1,
        leaving_year=2027,
        student_number="40001",
        youth__first_name="Anna",
        youth__last_name="Bakker",
        youth__birth_date=dt.date(2010, 1, 1),
    )
    give_perspective(world, a, kind="onderwijs", status=PerspectiveStatus.EDU_APPLIED)
    b = enrol(
        world,
        class_name="2B",
        school_year_level=2,
        leaving_year=2026,
        student_number="40002",
        youth__first_name="Bram",
        youth__last_name="Claassen",
        youth__birth_date=dt.date(2008, 1, 1),
    )
    give_perspective(world, b, kind="arbeid", status=PerspectiveStatus.WORK_CONTRACT)
    request_samenwerking(world, b)
    c = enrol(
        world,
        class_name="2B",
        school_year_level=4,
        leaving_year=2026,
        student_number="40003",
        youth__first_name="Cas",
        youth__last_name="Albers",
        youth__birth_date=dt.date(2009, 1, 1),
    )
    return {"a": a.youth_id, "b": b.youth_id, "c": c.youth_id}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"klas": "2B"}, {"b", "c"}),
        ({"leerjaar": "4"}, {"c"}),
        ({"upp": "onderwijs"}, {"a"}),
        ({"upp": "arbeid"}, {"b"}),
        ({"upp": "dagbesteding"}, set()),
        ({"upp": "geen"}, {"c"}),
        ({"upp": "met"}, {"a", "b"}),
        ({"status": "arbeid_arbeidsovereenkomst"}, {"b"}),
        ({"samenwerking": "ja"}, {"b"}),
        ({"samenwerking": "nee"}, {"a", "c"}),
        ({"jaar": "2026"}, {"b", "c"}),
        ({"q": "bakk"}, {"a"}),
        ({"q": "cas albers"}, {"c"}),
        ({"q": "40002"}, {"b"}),
        ({"klas": "2B", "upp": "geen"}, {"c"}),
    ],
)
def test_each_filter_narrows_the_list(school_client, world, varied, params, expected):
    response = get_list(school_client, tab="alle", **params)
    assert set(listed(response)) == {varied[k] for k in expected}


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("naam", ["c", "a", "b"]),
        ("-naam", ["b", "a", "c"]),
        ("geboortedatum", ["b", "c", "a"]),
        ("-geboortedatum", ["a", "c", "b"]),
        ("klas", ["a", "c", "b"]),
        ("status", ["a", "b", "c"]),
        ("-status", ["c", "b", "a"]),
    ],
)
def test_sorting_orders_the_rows(school_client, world, varied, sort, order):
    response = get_list(school_client, tab="alle", sort=sort)
    assert listed(response) == [varied[k] for k in order]


def test_list_is_paginated_by_25_and_links_keep_the_filters(school_client, world):
    for _ in range(27):
        enrol(world, class_name="3C")
    response = get_list(school_client, tab="alle", klas="3C")
    assert len(listed(response)) == 25
    next_url = unescape(response.context["page_urls"]["next"])
    assert parse_qs(urlsplit(next_url).query) == {"tab": ["alle"], "klas": ["3C"], "page": ["2"]}
    assert len(listed(school_client.get(next_url))) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"leerjaar": "abc"},
        {"leerjaar": "-3"},
        {"leerjaar": "99999999999999999999"},
        {"jaar": "volgend jaar"},
        {"jaar": "1999"},
        {"status": "bestaat_niet"},
        {"upp": "ruimtevaart"},
        {"tab": "geheim"},
        {"samenwerking": "misschien"},
        {"klas": "<script>alert(1)</script>"},
        {"sort": "youth__bsn_index"},
        {"page": "-1"},
        {"page": "9999"},
        {"page": "twee"},
        {"q": "x" * 5000},
        {"q": "\x00"},
    ],
)
def test_bad_filter_values_are_ignored_not_an_error(school_client, world, params):
    youth = enrol(world)
    for name in ("jikp:schoolgaand", "jikp:entree", "jikp:uitgeschreven"):
        response = get_list(school_client, name, **params)
        assert response.status_code == 200
    response = get_list(school_client, **{"tab": "alle", **params})
    if "q" not in params:
        assert youth.youth_id in listed(response)
    export_response = school_client.get(
        reverse("jikp:schoolgaand_export"), {**params, "formaat": "nonsense"}
    )
    assert export_response.status_code == 200


def test_a_bsn_typed_in_the_search_is_refused_and_never_put_in_a_link(school_client, world):
    bsn = make_bsn()
    enrol(world, youth__bsn=bsn)
    response = get_list(school_client, tab="alle", q=bsn)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Zoeken op BSN kan niet in dit overzicht" in content
    assert bsn not in content
    assert not AuditEvent.objects.filter(detail__icontains=bsn).exists()


# --- Entree and Uitgeschreven (§6, §7) -----------------------------------------------------------


def test_uitgeschreven_and_entree_split_the_unenrolled_youth(school_client, world):
    schoolgoing = enrol(world)
    left = unenrol(enrol(world), on=dt.date(2025, 6, 30))
    went_to_entree = to_entree(world, enrol(world))
    beyond_nazorg = unenrol(enrol(world), on=dt.date.today() - dt.timedelta(days=3 * 366))

    uitgeschreven = get_list(school_client, "jikp:uitgeschreven")
    entree = get_list(school_client, "jikp:entree")

    assert listed(uitgeschreven) == [left.youth_id]
    assert listed(entree) == [went_to_entree.youth_id]
    assert "30-06-2025" in uitgeschreven.content.decode()
    assert "alleen bekijken" in entree.content.decode()
    for youth_id in (schoolgoing.youth_id, beyond_nazorg.youth_id):
        assert youth_id not in listed(uitgeschreven) + listed(entree)
    assert set(listed(get_list(school_client, tab="alle"))) == {schoolgoing.youth_id}


def test_uitgeschreven_and_entree_lists_filter_and_export(school_client, world):
    keep = unenrol(enrol(world, class_name="4A"))
    unenrol(enrol(world, class_name="4B"))
    entree_keep = to_entree(world, enrol(world, class_name="4A"))
    to_entree(world, enrol(world, class_name="4B"))

    assert listed(get_list(school_client, "jikp:uitgeschreven", klas="4A")) == [keep.youth_id]
    assert listed(get_list(school_client, "jikp:entree", klas="4A")) == [entree_keep.youth_id]
    rows = export(school_client, "jikp:uitgeschreven_export", klas="4A")
    assert [r["Leerlingnummer"] for r in rows] == [keep.student_number]
    assert rows[0]["Uitschrijfdatum"] == keep.unenrolled_on.strftime("%d-%m-%Y")
    rows = export(school_client, "jikp:entree_export", fmt="xlsx", klas="4A")
    assert [r["Leerlingnummer"] for r in rows] == [entree_keep.student_number]


# --- Scope: another school's youth never shows ---------------------------------------------------


def test_a_school_never_sees_another_schools_youth_in_any_list_or_export(client, world):
    own = {
        "schoolgaand": enrol(world),
        "uitgeschreven": unenrol(enrol(world)),
        "entree": to_entree(world, enrol(world)),
    }
    foreign = []
    for school in (world.vso, world.other_school):
        foreign += [
            enrol(world, school=school),
            unenrol(enrol(world, school=school)),
            to_entree(world, enrol(world, school=school)),
        ]
    foreign_ids = {e.youth_id for e in foreign}
    foreign_numbers = {e.student_number for e in foreign}
    login_verified(client, world.users["school_gebruiker"])

    for state, enrolment in own.items():
        tabs = ["te-behandelen", "alle", "samenwerkingen"] if state == "schoolgaand" else [""]
        for tab in tabs:
            shown = listed(get_list(client, f"jikp:{state}", tab=tab))
            assert not foreign_ids & set(shown)
            for fmt in ("csv", "xlsx"):
                rows = export(client, f"jikp:{state}_export", fmt=fmt, tab=tab)
                assert not foreign_numbers & {r["Leerlingnummer"] for r in rows}
        assert enrolment.youth_id in listed(get_list(client, f"jikp:{state}", tab="alle"))


# --- Dashboard (§2) -----------------------------------------------------------------------------


def test_dashboard_cards_open_the_list_with_their_filters_and_the_same_count(school_client, world):
    complete(world, enrol(world))
    with_collab = enrol(world)
    give_perspective(world, with_collab)
    request_samenwerking(world, with_collab)
    enrol(world)
    enrol(world)
    unenrol(enrol(world))
    enrol(world, school=world.other_school)

    response = school_client.get(reverse("core:home"))
    content = response.content.decode()
    counts = response.context["school_counts"]
    assert counts == {
        "schoolgoing": 4,
        "with_perspective": 2,
        "without_perspective": 2,
        "to_handle": 3,
        "samenwerkingen": 1,
    }
    list_path = reverse(SCHOOLGAAND)
    links = re.findall(
        r'<p class="vn-card__count">(\d+)</p><a class="utrecht-link" href="([^"]+)"', content
    )
    assert len(links) == 5
    expected_queries = {
        "tab=alle",
        "tab=alle&upp=met",
        "tab=alle&upp=geen",
        "tab=te-behandelen",
        "tab=samenwerkingen",
    }
    assert {unescape(href).split("?", 1)[1] for _count, href in links} == expected_queries
    for count, href in links:
        url = unescape(href)
        assert url.startswith(list_path + "?")
        target = school_client.get(url)
        assert target.context["page"].paginator.count == int(count), url
    assert "Bekijk overzicht" in content


def test_non_school_dashboards_keep_their_cards(client, world):
    enrol(world)
    login_verified(client, world.users["gemeente_consulent"])
    response = client.get(reverse("core:home"))
    assert "school_counts" not in response.context
    assert "youth" in response.context["counts"]
    assert reverse(SCHOOLGAAND) not in response.content.decode()


def test_school_menu_points_to_the_jikp_lists(school_client, world):
    response = school_client.get(reverse("core:home"))
    urls = [item["url"] for item in response.context["nav_items"]]
    assert urls == [
        reverse("core:home"),
        reverse("jikp:schoolgaand"),
        reverse("jikp:entree"),
        reverse("jikp:uitgeschreven"),
        reverse("core:general"),
        reverse("organisations:settings"),
    ]
    assert not any(u.startswith(reverse("youth:list")) for u in urls)
    current = [i for i in get_list(school_client).context["nav_items"] if i["current"]]
    assert [i["url"] for i in current] == [reverse("jikp:schoolgaand")]


def test_schoolgaand_offers_adding_and_bulk_updating_youth(school_client, world):
    content = get_list(school_client).content.decode()
    assert reverse("youth:add") in content
    assert "Jongeren bijwerken" in content
    assert reverse("transfers:index") in content
    entree = get_list(school_client, "jikp:entree").content.decode()
    assert reverse("youth:add") not in entree
    assert reverse("transfers:index") not in entree


# --- Audit ---------------------------------------------------------------------------------------


def test_a_list_page_is_audited_per_youth_shown(school_client, world):
    shown = [enrol(world, class_name="5A") for _ in range(3)]
    enrol(world, class_name="5B")
    before = AuditEvent.objects.filter(action=AuditAction.SEARCH).count()
    get_list(school_client, tab="alle", klas="5A")
    events = AuditEvent.objects.filter(action=AuditAction.SEARCH).order_by("pk")[before:]
    assert {e.youth_id for e in events} == {e.youth_id for e in shown}
    assert events[0].detail["filters"] == {"tab": "alle", "klas": "5A"}
    assert events[0].detail["rows"] == 3
    assert events[0].user_id == world.users["school_gebruiker"].pk


# --- Export ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_holds_only_the_filtered_rows_and_is_audited(school_client, world, fmt):
    wanted = [enrol(world, class_name="6A") for _ in range(3)]
    enrol(world, class_name="6B")
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()

    rows = export(school_client, fmt=fmt, tab="alle", klas="6A")

    assert sorted(r["Leerlingnummer"] for r in rows) == sorted(e.student_number for e in wanted)
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("pk"))[before:]
    assert sorted(e.youth_id for e in events) == sorted(e.youth_id for e in wanted)
    assert all(e.detail["rows"] == 3 for e in events)
    assert all(e.detail["filters"] == {"tab": "alle", "klas": "6A"} for e in events)


def test_export_of_te_behandelen_lists_the_reasons(school_client, world):
    complete(world, enrol(world))
    pending = enrol(world)
    rows = export(school_client, fmt="xlsx")
    assert [r["Leerlingnummer"] for r in rows] == [pending.student_number]
    assert rows[0]["Te behandelen omdat"] == (
        "Nog geen contactpersoon van de school toegevoegd; Nog geen uitstroomperspectief toegevoegd"
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formulas_in_names(school_client, world, fmt):
    enrol(
        world,
        youth__first_name="@SUM(1+1)",
        youth__last_name='=HYPERLINK("http://example.test","klik")',
        student_number="-2+3",
    )
    (row,) = export(school_client, fmt=fmt, tab="alle")
    assert row["Achternaam"] == '\'=HYPERLINK("http://example.test","klik")'
    assert row["Voornaam"] == "'@SUM(1+1)"
    assert row["Leerlingnummer"] == "'-2+3"


def test_neutralise_prefixes_every_dangerous_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}x") == f"'{start}x"
    assert neutralise("Jansen") == "Jansen"
    assert neutralise(-3) == -3
    assert neutralise(None) is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_shows_the_bsn_only_where_the_school_supplied_it(school_client, world, fmt):
    supplied_bsn, other_bsn = make_bsn(), make_bsn()
    supplied = enrol(world, supplied_bsn=True, youth__bsn=supplied_bsn)
    not_supplied = enrol(world, supplied_bsn=False, youth__bsn=other_bsn)

    rows = {r["Leerlingnummer"]: r for r in export(school_client, fmt=fmt, tab="alle")}

    assert rows[supplied.student_number]["BSN"] == supplied_bsn
    assert rows[not_supplied.student_number]["BSN"] in ("", None)
    assert other_bsn not in str(rows)


def test_export_is_a_download_with_a_bsn_free_name(school_client, world):
    enrol(world)
    response = school_client.get(reverse("jikp:schoolgaand_export"), {"formaat": "xlsx"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert re.search(
        r'attachment; filename="vangnet-schoolgaand-te-behandelen-\d{8}-\d{4}\.xlsx"',
        response["Content-Disposition"],
    )
    assert response["Cache-Control"] == "no-store"


# --- No N+1 --------------------------------------------------------------------------------------


def _fill(world, n, class_name):
    for i in range(n):
        enrolment = enrol(world, class_name=class_name)
        give_perspective(world, enrolment, kind="arbeid")
        if i % 2:
            give_contact(world, enrolment)
            request_samenwerking(world, enrolment)


@pytest.mark.parametrize("tab", ["te-behandelen", "alle", "samenwerkingen"])
def test_list_query_count_does_not_grow_with_the_rows(
    school_client, world, django_assert_max_num_queries, tab
):
    _fill(world, 6, "7A")
    _fill(world, 60, "7B")
    get_list(school_client, tab=tab, klas="7A")  # warm up session and caches
    with CaptureQueriesContext(connection) as small:
        assert 0 < len(listed(get_list(school_client, tab=tab, klas="7A"))) <= 6
    with django_assert_max_num_queries(len(small)):
        assert len(listed(get_list(school_client, tab=tab, klas="7B"))) == 25


def test_export_query_count_does_not_grow_with_the_rows(
    school_client, world, django_assert_max_num_queries
):
    _fill(world, 5, "8A")
    _fill(world, 40, "8B")
    export(school_client, tab="alle", klas="8A")
    with CaptureQueriesContext(connection) as small:
        assert len(export(school_client, tab="alle", klas="8A")) == 5
    with django_assert_max_num_queries(len(small)):
        assert len(export(school_client, tab="alle", klas="8B")) == 40


@pytest.mark.django_db(transaction=True)
def test_export_outside_a_test_transaction_reads_one_snapshot_and_audits(client, world):
    """Runs the export as in production: its own (on PostgreSQL: repeatable read) transaction."""
    wanted = [enrol(world, class_name="9A") for _ in range(3)]
    login_verified(client, world.users["school_gebruiker"])
    for fmt in ("csv", "xlsx"):
        rows = export(client, fmt=fmt, tab="alle", klas="9A")
        assert sorted(r["Leerlingnummer"] for r in rows) == sorted(e.student_number for e in wanted)
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert events.count() == 6
    assert {e.youth_id for e in events} == {e.youth_id for e in wanted}
