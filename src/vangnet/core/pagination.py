"""Pagination helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload
from urllib.parse import urlencode

from django.db.models import CharField, F, Model, Q, Subquery, Value
from django.db.models.functions import Concat

if TYPE_CHECKING:
    from django.db.models import QuerySet

_M = TypeVar("_M", bound=Model)
_R = TypeVar("_R")


class PrecountedList(Generic[_M]):
    """A queryset whose total is already known, for Paginator.

    Paginator asks object_list.count(); when a cheaper way to count exists than COUNT(*) over the
    page query, the selector computes it and the page is still sliced from the queryset.
    """

    def __init__(self, queryset: QuerySet[_M], *, count: int) -> None:
        self.queryset = queryset
        self._count = count
        self.ordered = True

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[_M]:
        return iter(self.queryset)

    @overload
    def __getitem__(self, key: int) -> _M: ...

    @overload
    def __getitem__(self, key: slice) -> QuerySet[_M]: ...

    def __getitem__(self, key: int | slice) -> _M | QuerySet[_M]:
        return self.queryset[key]


# --- Keyset pagination -------------------------------------------------------------------------
#
# A page is found from the row before it (or after it), not by counting rows: `WHERE (sort key)
# > (the previous page's last row) ORDER BY sort key LIMIT n`, which an index on the sort key
# serves at the same cost on page 1 and on page 10,000. Links carry the id of that boundary row
# (never a name: person data stays out of addresses); its sort values are read in the same query
# as a sub-select, so the number of queries does not depend on the page either.


def _descending(field: str) -> bool:
    return field.startswith("-")


def _bare(field: str) -> str:
    return field.lstrip("-")


def _after_q(order: Sequence[str], cursor_values: Sequence[Any], *, forward: bool) -> Q:
    """Rows after (forward) or before the cursor in `order`, lexicographically."""
    cond = Q()
    equal = Q()
    for field, value in zip(order, cursor_values, strict=True):
        lookup = "gt" if _descending(field) != forward else "lt"  # ascending & forward: "gt"
        cond |= equal & Q(**{f"{_bare(field)}__{lookup}": value})
        equal &= Q(**{_bare(field): value})
    # A redundant bound on the first column gives the index scan its starting point.
    first, value = order[0], cursor_values[0]
    bound = "lte" if _descending(first) == forward else "gte"
    return Q(**{f"{_bare(first)}__{bound}": value}) & cond


def _reversed(order: Sequence[str]) -> list[str]:
    return [_bare(f) if _descending(f) else f"-{f}" for f in order]


def _order_by(order: Sequence[str], *, fence: bool) -> list[Any]:
    """order as ORDER BY terms. With fence, each column but the last is sorted as text built
    from it (same order), which no index serves: for a small set filtered through another table
    (a school's enrolments sorted by the youth's name) PostgreSQL would otherwise walk the
    youth's whole name index looking for the few rows of that school."""
    if not fence:
        return list(order)
    terms: list[Any] = []
    for field in order[:-1]:
        text = Concat(F(_bare(field)), Value(""), output_field=CharField())
        terms.append(text.desc() if _descending(field) else text.asc())
    return [*terms, order[-1]]


@dataclass
class KeysetPage(Generic[_M]):
    """A page of rows, with what the template needs (same names as Django's Page)."""

    object_list: list[_M]
    number: int
    count: int
    per_page: int
    has_next: bool
    has_previous: bool
    next_query: str = ""
    previous_query: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def paginator(self) -> KeysetPage[_M]:  # templates read page.paginator.count / num_pages
        return self

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self) -> Iterator[_M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_page(
    keys: QuerySet[Any],
    *,
    order: Sequence[str],
    rows: Callable[[list[Any]], Iterable[_M]],
    row_key: Callable[[_M], Any],
    count: int,
    params: Mapping[str, str],
    per_page: int = 25,
    fence: bool = False,
) -> KeysetPage[_M]:
    """One page of `keys` (a queryset of any model) sorted by `order`, whose last field is
    unique and identifies a row; `rows(ids)` loads the shown rows for those ids, `row_key(row)`
    gives a row's id back.

    `params` is the query string: `na=<id>` (the page after that row), `voor=<id>` (the page
    before it), `page=<n>` (the page number shown; without a cursor it is served by OFFSET, from
    whichever end is nearer, so old links keep working). Always two queries: keys, rows. See
    _order_by for `fence`.
    """
    key_field = _bare(order[-1])
    per_page = max(1, per_page)
    num_pages = max(1, -(-count // per_page))
    try:
        number = min(max(int(params.get("page") or 1), 1), num_pages)
    except ValueError:
        number = 1
    after, before = _cursor(params.get("na")), _cursor(params.get("voor"))
    source = keys.order_by()
    forward = before is None
    query_order = list(order) if forward else _reversed(order)
    window = keys.order_by(*_order_by(query_order, fence=fence))
    if after is not None or before is not None:
        cursor = after if after is not None else before
        values = [
            Subquery(source.filter(**{key_field: cursor}).values(_bare(f))[:1]) for f in order
        ]
        window = window.filter(_after_q(order, values, forward=forward))
        start = 0
    else:
        start = (number - 1) * per_page
        if start > count - number * per_page:  # nearer to the end: read it backwards
            window = keys.order_by(*_order_by(_reversed(order), fence=fence))
            forward = False
            start = max(0, count - number * per_page)
            take = count - (number - 1) * per_page - start
            ids = list(window.values_list(key_field, flat=True)[start : start + take])
            ids.reverse()
            return _page(rows, row_key, ids, number, count, per_page, number < num_pages)
    ids = list(window.values_list(key_field, flat=True)[start : start + per_page + 1])
    more = len(ids) > per_page
    ids = ids[:per_page]
    if not forward:
        ids.reverse()
        if after is None and before is not None:
            number = max(1, number)
            return _page(rows, row_key, ids, number, count, per_page, True, previous=more)
    return _page(rows, row_key, ids, number, count, per_page, more)


def _cursor(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _page(
    rows: Callable[[list[Any]], Iterable[_M]],
    row_key: Callable[[_M], Any],
    ids: list[Any],
    number: int,
    count: int,
    per_page: int,
    has_next: bool,
    *,
    previous: bool | None = None,
) -> KeysetPage[_M]:
    by_key = {row_key(row): row for row in rows(ids)} if ids else {}
    shown = [by_key[i] for i in ids if i in by_key]
    has_previous = number > 1 if previous is None else previous
    page = KeysetPage(
        object_list=shown,
        number=number,
        count=count,
        per_page=per_page,
        has_next=has_next and bool(shown),
        has_previous=has_previous and bool(shown),
    )
    if shown:
        last, first = row_key(shown[-1]), row_key(shown[0])
        page.next_query = urlencode({"na": last, "page": number + 1})
        page.previous_query = (
            urlencode({"page": 1})
            if number <= 2
            else urlencode({"voor": first, "page": number - 1})
        )
    return page
