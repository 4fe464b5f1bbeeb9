"""No page answers 500 to odd input: every URL, every role, odd query strings and empty POSTs.

The URLs and the records they need come from the access matrix, so a new URL is covered as soon
as it has a matrix row. A user-input mistake must get a Dutch message (or a 4xx), never a 500.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login_verified
from tests.test_access_matrix import MATRIX, ROLES, user_for

ODD_QUERIES = [
    "?page=abc&sort=xyz&klas=%3Cscript%3Ealert(1)%3C/script%3E&leerjaar=%C2%B2&regio=abc"
    "&jaar_uitstroom=99999999999999999999&state=zz&tab=zz&status=zz&kind=zz&samenwerking=zz",
    "?page=-1&sort=__class__&q=%27%22%3B--&formaat=zz&regio=99999999999999999999&klas=" + "x" * 300,
    "?page=99999999999999999999&q=99999999999999999999&leerjaar=-5&regio=%C2%B2&tab=documenten",
]
ODD_POSTS = [
    {},
    {
        "q": "\u00b2\u00b3",
        "page": "abc",
        "form_token": "x",
        "contact": "abc",
        "kind": "<script>",
        "status": "zz",
        "municipality": "99999999999999999999",
        "user": "-1",
        "roles": ["zz"],
        "first_name": "\x00",
        "birth_date": "31-02-2020",
        "enrolled_on": "0000-00-00",
        "leaving_year": "abc",
        "school_year_level": "99999999999999999999",
        "confirm": "on",
    },
]


def _url_under_test(world, url_name: str) -> str:
    row = MATRIX[url_name]
    return reverse(url_name, kwargs=row.kwargs(world) if row.kwargs else None)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(n for n in MATRIX if n != "accounts:logout"))
def test_no_server_error_on_odd_input(world, url_name):
    url = _url_under_test(world, url_name)
    client = Client(raise_request_exception=False)
    failures = []
    for role in [None, *ROLES]:
        client.logout()
        if role is not None:
            login_verified(client, user_for(world, role))
        for query in ODD_QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(f"{role} GET {url}{query}: {response.status_code}")
        for data in ODD_POSTS:
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(f"{role} POST {url} {sorted(data)}: {response.status_code}")
    assert failures == [], "\n".join(failures)
