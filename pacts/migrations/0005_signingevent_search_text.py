from django.db import migrations, models

from core.db import trigram_search_index
from core.text import search_key


def fill_search_text(apps, schema_editor):
    """Key the venues of existing events, as `SigningEvent.with_search_text` does.

    Historical models have no methods, hence the rule written out here: the venue alone.
    """
    SigningEvent = apps.get_model("pacts", "SigningEvent")
    events = list(SigningEvent.objects.only("pk", "venue"))
    for event in events:
        event.search_text = search_key(event.venue)
    SigningEvent.objects.bulk_update(events, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("pacts", "0004_staff_groups")]

    operations = [
        migrations.AddField(
            model_name="signingevent",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="texte de recherche"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        trigram_search_index("pacts_signingevent"),
    ]
