"""Feeds of the signings: Atom (`/signatures/flux.atom`) and iCalendar
(`/signatures/agenda.ics`), docs/architecture.md, « Données ouvertes ».

Both take the filters of `/signatures/` through its selector, so `?departement=52` or
`?territoire=…` keeps the same signings as the page, and a value the page would ignore is
refused (400) rather than answered with a feed that looks filtered and is not. Their entries
are the rows of the signatures export (`SIGNING_EXPORTER`), built by the database in one
query: a feed costs the same few queries whatever the number of signings.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event

from public.csv_format import refusal
from public.exporters import SIGNING_EXPORTER
from public.selection import Selection
from public.selectors.signings import signing_list

# The Atom feed shows the latest signings: a reader follows what is new.
FEED_ENTRIES = 50
# The agenda carries the most recent signings, every one of them at the scale of a région;
# the CSV export has all of them, always.
CALENDAR_EVENTS = 5000
PUBLISHER = "Région Grand Est"


def signing_records(selection: Selection, request, limit: int) -> list[dict]:
    """The `limit` latest signings of `selection` as the signatures export writes them
    (header → finished value), newest first."""
    exporter = SIGNING_EXPORTER
    finish = exporter.finisher(request, cell=lambda value: value)
    headers = exporter.header()
    rows = exporter.rows(selection.queryset)[:limit]
    return [dict(zip(headers, finish(values), strict=True)) for values in rows]


def filters_shown(selection: Selection) -> str:
    """« Haute-Marne (52), 2019 »: the filters applied, for a feed's title."""
    return ", ".join(str(value) for _name, _label, value in selection.filterset.active_filters())


def feed_refusal(reasons: list[str], what: str) -> HttpResponse:
    return refusal(
        f"{what} refusé : les signatures demandées ne peuvent pas être choisies ainsi.", reasons
    )


def _place(record: dict) -> str:
    return ", ".join(part for part in (record["lieu"], record["commune"]) if part)


def _summary(record: dict) -> str:
    lines = [
        f"Pacte : {record['pacte']} ({record['programme']})",
        f"Lieu : {_place(record)}",
    ]
    if record["organismes"]:
        lines.append(f"Organismes signataires : {record['organismes']}")
    if record["signataires"]:
        lines.append(f"Signataires : {record['signataires']}")
    return "\n".join(lines)


def _list_query(selection: Selection) -> str:
    applied = selection.applied_query
    return f"?{applied}" if applied else ""


class SigningFeed(Feed):
    """The latest signings of published pacts, newest first, as Atom."""

    feed_type = Atom1Feed
    author_name = PUBLISHER

    def __call__(self, request, *args, **kwargs):
        selection = signing_list(filters=request.GET)
        if selection.refusals:
            return feed_refusal(selection.refusals, "Flux Atom")
        return super().__call__(request, *args, selection=selection, **kwargs)

    def get_object(self, request, *args, selection, **kwargs):
        return {
            "selection": selection,
            "records": signing_records(selection, request, FEED_ENTRIES),
        }

    def title(self, obj):
        shown = filters_shown(obj["selection"])
        return "Signatures de pactes — Région Grand Est" + (f" : {shown}" if shown else "")

    def subtitle(self, obj):
        return "Les dernières signatures des pactes publiés par la Région Grand Est."

    def link(self, obj):
        return reverse("pacts:signatures") + _list_query(obj["selection"])

    def feed_url(self, obj):
        # The feed's own address keeps its filters: a reader subscribes to this selection.
        return reverse("pacts:signatures_feed") + _list_query(obj["selection"])

    def items(self, obj):
        return obj["records"]

    def item_title(self, item):
        return f"{item['pacte']} — signé à {item['commune']} le {item['date']:%d/%m/%Y}"

    def item_description(self, item):
        return _summary(item)

    def item_link(self, item):
        return item["url"]

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item["date"], datetime.time.min))

    def item_categories(self, item):
        return [item["programme"]]


def signing_calendar(request):
    """The signings of published pacts as an iCalendar agenda: one all-day event each."""
    selection = signing_list(filters=request.GET)
    if selection.refusals:
        return feed_refusal(selection.refusals, "Agenda iCalendar")
    calendar = Calendar()
    calendar.add("prodid", "-//Région Grand Est//Pactes territoriaux//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    shown = filters_shown(selection)
    calendar.add("x-wr-calname", "Signatures de pactes" + (f" : {shown}" if shown else ""))
    stamp = timezone.now()
    for record in signing_records(selection, request, CALENDAR_EVENTS):
        event = Event()
        # The signing's public address names it for good: a client updates, never doubles.
        event.add("uid", record["url"])
        event.add("dtstamp", stamp)
        event.add("dtstart", record["date"])
        event.add("dtend", record["date"] + datetime.timedelta(days=1))
        event.add("summary", f"Signature : {record['pacte']}")
        event.add("location", _place(record))
        event.add("description", _summary(record) + f"\n{record['url']}")
        event.add("url", record["url"])
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="signatures.ics"'
    return response
