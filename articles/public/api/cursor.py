"""Keyset pagination with opaque cursors.

A page is "the next `limit` rows after this position" in a fixed order ending in the id, so
it costs one indexed query at any depth and stays stable while new stories are published
(they sort before the first page, never into the middle of a walk). The cursor is the last
row's position, signed so that clients treat it as opaque and a mangled one is refused.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import Q


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Keyset:
    """An order over `field` then id, both descending or both ascending."""

    name: str  # cursors of one list are refused by another
    field: str
    descending: bool = True

    @property
    def salt(self):
        return f"articles.api.cursor.{self.name}"

    def order_by(self):
        sign = "-" if self.descending else ""
        return [f"{sign}{self.field}", f"{sign}id"]

    def cursor_for(self, row):
        value = getattr(row, self.field)
        if isinstance(value, datetime):
            value = value.isoformat()
        return signing.dumps([value, row.pk], salt=self.salt)

    def position(self, cursor):
        try:
            value, pk = signing.loads(cursor, salt=self.salt)
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise BadCursor("This cursor is not one this list gave out. Start again without it.") from error
        if not isinstance(value, str) or not isinstance(pk, int):
            raise BadCursor("This cursor is not one this list gave out. Start again without it.")
        if self.field.endswith("_at"):
            value = datetime.fromisoformat(value)
        return value, pk

    def after(self, queryset, cursor):
        value, pk = self.position(cursor)
        beyond = "lt" if self.descending else "gt"
        return queryset.filter(
            Q(**{f"{self.field}__{beyond}": value}) | Q(**{self.field: value, f"id__{beyond}": pk})
        )


def keyset_page(queryset, keyset, *, cursor=None, limit):
    """(rows, next cursor or None) for the page after `cursor`, in one query."""
    queryset = queryset.order_by(*keyset.order_by())
    if cursor:
        queryset = keyset.after(queryset, cursor)
    rows = list(queryset[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, keyset.cursor_for(rows[-1])
    return rows, None
