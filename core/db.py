"""Database-specific pieces that migrations share."""

from django.db import migrations


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
