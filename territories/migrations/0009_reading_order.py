"""`sort_key` on territories and bodies: the names as a French reader orders them.

Filled from the names in batches (36,000 territories and bodies nationally), one set-based
UPDATE per batch on PostgreSQL, where the column gets the "C" collation (`fill_sort_keys`,
docs/architecture.md, « Reading order »).
"""

from django.db import migrations, models

from core.db import fill_sort_keys
from core.text import sort_key


def forwards(apps, schema_editor):
    for name in ("Territory", "Body"):
        model = apps.get_model("territories", name)
        fill_sort_keys(model, schema_editor, key=lambda row: sort_key(row[1]), fields=("name",))


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0008_territory_kind_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="body",
            name="sort_key",
            field=models.TextField(
                blank=True, db_default="", editable=False, verbose_name="clé de tri"
            ),
        ),
        migrations.AddField(
            model_name="territory",
            name="sort_key",
            field=models.TextField(
                blank=True, db_default="", editable=False, verbose_name="clé de tri"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="body",
            index=models.Index(fields=["sort_key", "id"], name="territories_sort_ke_e3b3ec_idx"),
        ),
        migrations.AddIndex(
            model_name="territory",
            index=models.Index(fields=["sort_key", "code"], name="territories_sort_ke_932d77_idx"),
        ),
    ]
