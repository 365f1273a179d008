"""Database-specific pieces: what migrations share, and expressions written for both
PostgreSQL and SQLite."""

import json

from django.db import connection, migrations
from django.db.models import (
    Aggregate,
    Expression,
    F,
    Func,
    IntegerField,
    QuerySet,
    RowRange,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce


def trigram_search_index(table: str, column: str = "search_text") -> migrations.RunPython:
    """A trigram GIN index on `table.column`, on PostgreSQL only.

    Search is a `LIKE '%word%'` on an accent-stripped column, which a B-tree cannot serve;
    pg_trgm's GIN index can. SQLite has no equivalent and scans these small tables instead.
    """
    index = f"{table}_{column}_trgm"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column} gin_trgm_ops)"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    return migrations.RunPython(forwards, backwards, elidable=False)


def byte_order_index(table: str, column: str = "search_text") -> migrations.RunPython:
    """A B-tree on `table.column` in byte order (`COLLATE "C"`), on PostgreSQL only.

    For ranges of keys (`KEY <= column < KEY + " :"`: a name followed by a code), which the
    trigram index cannot serve and the database's own collation may not order by bytes.
    SQLite compares bytes already and its tables here are small.
    """
    index = f"{table}_{column}_bytes"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS {index} ON {table} (({column} COLLATE "C"))'
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    return migrations.RunPython(forwards, backwards, elidable=False)


def fill_sort_keys(model, schema_editor, key, fields: tuple[str, ...], batch: int = 2000):
    """Give every row of `model` its new `sort_key` column, `key(row)` for each
    `(pk, *fields)` row, `batch` rows at a time by primary key (docs/architecture.md,
    « Reading order »).

    On PostgreSQL the column first gets the "C" collation, so that it compares by code point
    as SQLite does, and each batch is one `UPDATE … FROM (VALUES …)`; SQLite's small tables
    take `bulk_update`.
    """
    connection = schema_editor.connection
    table = connection.ops.quote_name(model._meta.db_table)
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN sort_key TYPE text COLLATE "C"')
    rows = model.objects.order_by("pk").values_list("pk", *fields)
    last = 0
    while chunk := list(rows.filter(pk__gt=last)[:batch]):
        last = chunk[-1][0]
        keys = [(row[0], key(row)) for row in chunk]
        if postgresql:
            values = ", ".join(["(%s, %s)"] * len(keys))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS t SET sort_key = v.sort_key "
                    f"FROM (VALUES {values}) AS v (id, sort_key) WHERE t.id = v.id",
                    [value for pair in keys for value in pair],
                )
        else:
            model.objects.bulk_update([model(pk=pk, sort_key=k) for pk, k in keys], ["sort_key"])


class GroupConcat(Aggregate):
    """SQLite's `group_concat(value, separator)`; as a window function it follows the
    window's `ORDER BY`, which the plain aggregate of SQLite before 3.44 cannot take."""

    function = "GROUP_CONCAT"
    output_field = TextField()
    window_compatible = True


def joined(values: QuerySet, separator: str) -> Expression:
    """The text values of `values`, in its order, joined by `separator`, by the database.

    `values` is a `.values()` queryset of one text column, ordered, usually correlated to
    the outer row with `OuterRef`; no row gives "" and NULL values are left out. PostgreSQL
    joins an ordered `ARRAY(subquery)`; SQLite, whose `group_concat` takes no `ORDER BY`
    before 3.44, runs it as a window over the ordered rows (docs/architecture.md, « CSV »).
    """
    (name,) = values.query.values_select or values.query.annotation_select
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        return Func(
            ArraySubquery(values),
            Value(separator),
            function="ARRAY_TO_STRING",
            output_field=TextField(),
        )
    window = Window(
        GroupConcat(F(name), Value(separator)),
        order_by=list(values.query.order_by),
        frame=RowRange(start=None, end=None),
    )
    # Every row of the window carries the whole join, so any one will do: no statement
    # ORDER BY, which SQLite refuses when it reads the outer row in a window query.
    first = values.order_by().annotate(joined_values=window).values("joined_values")[:1]
    return Coalesce(Subquery(first, output_field=TextField()), Value(""), output_field=TextField())


def id_list(ids: list[int] | object) -> RawSQL:
    """A list of ids as ONE query parameter, for `pk__in=id_list(ids)`: an array `unnest`ed on
    PostgreSQL, a JSON array on SQLite. `pk__in=ids` sends one placeholder per id, which
    psycopg parses and adapts one by one (for a thousand ids, tens of milliseconds per query).
    `ids` may be any placeholder object to be replaced by the list in the compiled parameters.
    """
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    value = json.dumps(ids) if isinstance(ids, list) else ids
    return RawSQL("SELECT value FROM json_each(%s)", (value,))


def id_list_parameter(ids: list[int]):
    """What `id_list` puts among the parameters for `ids` (to replace a placeholder)."""
    return ids if connection.vendor == "postgresql" else json.dumps(ids)


class LazyIdList(Expression):
    """`pk__in=LazyIdList(compute)`: the ids `compute()` returns, as one parameter (`id_list`),
    computed when the statement is compiled rather than when the queryset is built.

    So building a filtered queryset still reads nothing (a filter set, an export that is
    refused), and the count and the page of one queryset share one `compute()`: the copies
    Django makes of an expression share what it computed.
    """

    def __init__(self, compute):
        super().__init__(output_field=IntegerField())
        self.compute = compute
        self._computed: dict[str, list[int]] = {}

    def as_sql(self, compiler, connection):
        if "ids" not in self._computed:
            self._computed["ids"] = self.compute()
        return id_list(self._computed["ids"]).as_sql(compiler, connection)
