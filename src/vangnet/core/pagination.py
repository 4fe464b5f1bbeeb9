"""Pagination helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from django.db.models import Model

if TYPE_CHECKING:
    from django.db.models import QuerySet

_M = TypeVar("_M", bound=Model)


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
