"""`sort_key` on people: last name, then first name, as a French reader orders them.

Filled in batches (half a million people nationally) by `core.db.fill_sort_keys`, with the
"C" collation on PostgreSQL.
"""

from django.db import migrations, models

from core.db import fill_sort_keys
from core.text import sort_key


def forwards(apps, schema_editor):
    fill_sort_keys(
        apps.get_model("people", "Person"),
        schema_editor,
        key=lambda row: sort_key(row[1], row[2], reading=False),
        fields=("last_name", "first_name"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_contacts_shown_on_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="sort_key",
            field=models.TextField(
                blank=True, db_default="", editable=False, verbose_name="clé de tri"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["sort_key", "id"], name="people_pers_sort_ke_a590bc_idx"),
        ),
    ]
