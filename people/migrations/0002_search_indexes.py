from django.db import migrations

from core.db import trigram_search_index


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("territories", "0002_search_indexes")]

    operations = [trigram_search_index("people_person")]
