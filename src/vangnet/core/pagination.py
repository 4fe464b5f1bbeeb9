"""Pagination helpers."""

from __future__ import annotations

from typing import Any


class PrecountedList:
    """A queryset whose total is already known, for Paginator.

    Paginator asks object_list.count(); when a cheaper way to count exists than COUNT(*) over the
    page query, the selector computes it and the page is still sliced from the queryset.
    """

    def __init__(self, queryset: Any, *, count: int) -> None:
        self.queryset = queryset
        self._count = count
        self.ordered = True

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: Any) -> Any:
        return self.queryset[key]
