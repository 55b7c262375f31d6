"""Inserting many rows at once: COPY on PostgreSQL, bulk_create elsewhere (DESIGN: a portable
path beside the fast one).

`insert_rows(Model, rows)` takes plain dicts (attname → value, so `org_id`, not `org`) and
returns the new ids in row order; `insert_rows(Model, items, build)` makes each dict with
`build(item)` as the COPY goes, so the server indexes the rows already sent while Python
builds (and encrypts) the next ones. A column a row leaves out gets the field's default, as
`Model(**row)` would, and an `auto_now`/`auto_now_add` column the time of the call. Both paths
run on the caller's connection, inside the caller's transaction: a failure leaves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.db import connection, models
from django.utils import timezone

#: Fields whose Python values psycopg writes as they are; any other field goes through
#: `get_db_prep_save` (a JSONField, say), as the ORM would.
PLAIN_FIELDS = (
    models.BooleanField,
    models.CharField,
    models.DateField,  # DateTimeField too
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
)
BATCH = 2000

Item = TypeVar("Item")

#: False forces the portable path on PostgreSQL too (tests compare the two paths).
USE_COPY = True


def _as_is(row: Any) -> dict[str, Any]:
    # the rows a caller passes without `build` are dicts already
    return cast("dict[str, Any]", row)


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Item],
    build: Callable[[Item], dict[str, Any]] = _as_is,
) -> list[int]:
    """Insert `rows` (each made a dict by `build`) into `model`'s table in the current
    transaction; their new ids, in order."""
    if not rows:
        return []
    if USE_COPY and connection.vendor == "postgresql":
        return _copy(model, rows, build)
    objects = [model(**build(row)) for row in rows]
    model._base_manager.bulk_create(objects, batch_size=BATCH)
    return [obj.pk for obj in objects]


def _copy(
    model: type[models.Model], rows: Sequence[Item], build: Callable[[Item], dict[str, Any]]
) -> list[int]:
    """Ids from the table's sequence in one query, then one COPY of every row."""
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    now = timezone.now()
    # What Model() and an insert would fill in: the field's default, and "now" for auto_now and
    # auto_now_add, even where the row names the column (pre_save overwrites it on insert).
    defaults = {f.attname: f.get_default() for f in fields}
    forced = {
        f.attname: now
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    prepared = [f for f in fields if not isinstance(f, PLAIN_FIELDS)]
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    # wrap_database_errors: a failed COPY raises Django's IntegrityError, as bulk_create would.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(rows)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        columns = ", ".join(quote(f.column) for f in [pk, *fields])
        with raw.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for id_, row in zip(ids, rows, strict=True):
                values = {**defaults, **build(row), **forced}
                for f in prepared:
                    values[f.attname] = f.get_db_prep_save(values[f.attname], connection)
                copy.write_row([id_, *[values[n] for n in names]])
    return ids
