"""Keyset pagination of the youth lists: every row once, in order, at a constant query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory, YouthFactory
from vangnet.youth import selectors
from vangnet.youth.selectors import YouthFilters

pytestmark = pytest.mark.django_db

NAMES = ["Aa", "Bakker", "Bakker", "Bakker", "Claes", "Dijk", "Dijk", "Eems", "Fokker", "Gans"]


@pytest.fixture
def listed(world):
    """Ten pupils of the PrO school living in the region, names with ties, birth dates too."""
    youth = []
    for i, name in enumerate(NAMES):
        y = YouthFactory(
            last_name=name,
            first_name="Sam" if i % 2 else "Ali",
            birth_date=dt.date(2008, 1 + i % 3, 1),
            municipality=world.gem_a,
        )
        EnrolmentFactory(youth=y, organisation=world.pro)
        youth.append(y)
    return youth


def _walk(page_of, sort, per_page):
    """Follow the next links from page 1 to the end, then the previous links back."""
    seen, params = [], {}
    pages = []
    while True:
        page = page_of(sort=sort, params=params, per_page=per_page)
        pages.append(page)
        seen += [row.pk for row in page]
        if not page.has_next:
            break
        params = QueryDict(page.next_query)
    back = []
    while True:
        back = [row.pk for row in page] + back
        if not page.has_previous:
            break
        page = page_of(sort=sort, params=QueryDict(page.previous_query), per_page=per_page)
    return seen, back, pages


@pytest.mark.parametrize("sort", ["naam", "-naam", "geboortedatum", "-geboortedatum"])
@pytest.mark.parametrize("per_page", [1, 3, 4, 25])
def test_gemeente_pages_hold_every_youth_once_in_order(world, listed, sort, per_page):
    user = world.users["gemeente_consulent"]
    expected = [
        y.pk for y in selectors.youth_list_for_user(user=user, filters=YouthFilters(), sort=sort)
    ]
    if sort.startswith("-"):  # ties in descending order: the newest id first
        key = selectors.REGION_SORTS[sort][:-1]
        rows = list(
            selectors.youth_visible_to(user=user).values("pk", *[k.lstrip("-") for k in key])
        )
        rows.sort(key=lambda r: (*[r[k.lstrip("-")] for k in key], r["pk"]), reverse=True)
        expected = [r["pk"] for r in rows]

    def page_of(**kw):
        return selectors.youth_list_page(user=user, filters=YouthFilters(), **kw)

    seen, back, pages = _walk(page_of, sort, per_page)
    assert seen == expected == back
    assert len(pages) == pages[0].num_pages
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))


@pytest.mark.parametrize("sort", ["naam", "-naam", "klas", "geboortedatum"])
def test_school_pages_hold_every_enrolment_once(world, listed, sort):
    user = world.users["school_gebruiker"]
    filters = YouthFilters(state="schoolgaand")

    def page_of(**kw):
        return selectors.enrolment_list_page(user=user, filters=filters, **kw)

    seen, back, _pages = _walk(page_of, sort, 3)
    assert sorted(seen) == sorted(
        e.pk for e in selectors.enrolment_list_for_user(user=user, filters=filters)
    )
    assert seen == back


def test_a_page_number_without_cursor_still_works(world, listed):
    user = world.users["gemeente_consulent"]
    all_ids = [y.pk for y in selectors.youth_list_for_user(user=user, filters=YouthFilters())]
    for number in (1, 2, 3, 4, 99):
        page = selectors.youth_list_page(
            user=user, filters=YouthFilters(), sort="naam", params={"page": str(number)}, per_page=3
        )
        start = (min(number, 4) - 1) * 3
        assert [y.pk for y in page] == all_ids[start : start + 3]


def _next_link(response):
    match = re.search(r'href="(\?[^"]*na=[^"]*)">', response.content.decode())
    assert match, "no next link"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("role", ["gemeente_consulent", "school_gebruiker"])
def test_list_view_query_count_does_not_depend_on_the_page(
    world, listed, client, django_assert_num_queries, role
):
    for i in range(60):
        y = YouthFactory(last_name=f"Naam{i:02d}", municipality=world.gem_a)
        EnrolmentFactory(youth=y, organisation=world.pro)
    login_verified(client, world.users[role])
    url = reverse("youth:list")
    client.get(url)  # warm: the same per-request work on every page from here on
    with CaptureQueriesContext(connection) as first:
        page1 = client.get(url)
    assert page1.status_code == 200
    page2_url = url + _next_link(page1)
    with django_assert_num_queries(len(first)):
        page2 = client.get(page2_url)
    page3_url = url + _next_link(page2)
    with django_assert_num_queries(len(first)):
        page3 = client.get(page3_url)
    assert "na=" not in page3.content.decode().split("vn-pagination")[-1].split("</nav>")[0]
    with django_assert_num_queries(len(first)):
        assert client.get(url + "?page=3").status_code == 200
    with django_assert_num_queries(len(first)):
        assert client.get(url + "?page=2&sort=-naam").status_code == 200


@pytest.mark.parametrize("per_page", [1, 4, 9])
def test_selector_query_count_does_not_depend_on_the_page_size(
    world, listed, django_assert_num_queries, per_page
):
    user = world.users["gemeente_consulent"]
    with django_assert_num_queries(3):  # count, the page's ids, its rows
        page = selectors.youth_list_page(
            user=user, filters=YouthFilters(), sort="naam", params={}, per_page=per_page
        )
    with django_assert_num_queries(3):
        selectors.youth_list_page(
            user=user,
            filters=YouthFilters(),
            sort="naam",
            params=QueryDict(page.next_query),
            per_page=per_page,
        )
