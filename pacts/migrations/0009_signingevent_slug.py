from django.db import migrations, models

from core.text import slug_candidates

SLUG_LENGTH = 100


def fill_slugs(apps, schema_editor):
    """Give every existing event the slug `SigningEvent.save` would: « chaumont-2019-01-15 »,
    « -2 »… for a second event there that day, the oldest event first. Computed in memory
    (one read, one bulk update), then copied onto the event's history rows.

    Historical models have no methods, hence the rule written out here: the commune's name
    and the ISO date.
    """
    SigningEvent = apps.get_model("pacts", "SigningEvent")
    HistoricalSigningEvent = apps.get_model("pacts", "HistoricalSigningEvent")
    events = list(
        SigningEvent.objects.select_related("commune")
        .only("pk", "date", "commune__name")
        .order_by("date", "pk")
    )
    taken: set[str] = set()
    for event in events:
        base = f"{event.commune.name} {event.date:%Y-%m-%d}"
        event.slug = next(s for _n, s in slug_candidates(base, SLUG_LENGTH) if s not in taken)
        taken.add(event.slug)
    SigningEvent.objects.bulk_update(events, ["slug"], batch_size=1000)
    history = list(HistoricalSigningEvent.objects.only("history_id", "id"))
    slugs = {event.pk: event.slug for event in events}
    for row in history:
        row.slug = slugs.get(row.id, "")
    HistoricalSigningEvent.objects.bulk_update(history, ["slug"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("pacts", "0008_source_history")]

    operations = [
        # Added empty, without index, filled, then made unique (an index added first would
        # leave PostgreSQL's `_like` index behind to clash with the unique one's).
        migrations.AddField(
            model_name="signingevent",
            name="slug",
            field=models.SlugField(
                db_index=False,
                default="",
                editable=False,
                max_length=SLUG_LENGTH,
                verbose_name="identifiant d'URL",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalsigningevent",
            name="slug",
            field=models.SlugField(
                default="",
                editable=False,
                max_length=SLUG_LENGTH,
                verbose_name="identifiant d'URL",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="signingevent",
            name="slug",
            field=models.SlugField(
                editable=False,
                max_length=SLUG_LENGTH,
                unique=True,
                verbose_name="identifiant d'URL",
            ),
        ),
    ]
