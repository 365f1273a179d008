from django.db import migrations

from core.db import trigram_search_index


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [
        trigram_search_index("territories_territory"),
        trigram_search_index("territories_body"),
    ]
