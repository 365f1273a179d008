"""The home page's key figures."""

from django.db.models import Count, F, Sum

from core.cache import per_data_version
from pacts.models import Pact, SigningEvent
from public.choices import involved_body_ids, involved_person_ids
from territories.models import AmongIds, Territory, TerritoryAncestor, TerritoryKind


def home_figures() -> dict:
    """Key figures of the home page, all counted on published pacts only.

    Figures of all published data, the inhabitants of every covered commune among them (up
    to 35,000 communes read): computed once per data version (`per_data_version`)."""
    return per_data_version("home-figures", _home_figures)


def _home_figures() -> dict:
    published = Pact.objects.published()
    return {
        "pacts": published.count(),
        "signings": SigningEvent.objects.filter(pact__in=published).count(),
        "bodies": len(involved_body_ids()),
        "people": len(involved_person_ids()),
        # Distinct ids on the link table: no territory row is read, none compared whole.
        "territories": Pact.territories.through.objects.filter(pact__in=published)
        .values("territory_id")
        .distinct()
        .count(),
        **covered_population(),
    }


def covered_population() -> dict:
    """`inhabitants` and `communes`: the current communes covered by a published pact and
    the sum of their populations, each commune counted once (one query).

    A commune is covered when it is one of a published pact's territories or lies inside
    one (`TerritoryAncestor`): a commune of an EPCI whose pact and whose département's pact
    are both published counts once, the ids being one UNION. A pact of a territory that
    merely overlaps or contains a commune does not cover it (a pact of the CC des
    Savoir-Faire covers its communes, not the rest of Haute-Marne). Counted on the municipal
    population of current communes only: an obsolete commune (merged since) is left out, its
    inhabitants being those of the commune nouvelle when that one is covered; a municipal
    arrondissement, a commune of unknown population and one not loaded (outside the
    imported perimeter) add nothing. At most every commune of France (about 35,000) is read,
    by id.
    """
    pact_territories = (
        Pact.territories.through.objects.filter(pact__in=Pact.objects.published())
        .order_by()
        .values("territory_id")
    )
    inside = (
        TerritoryAncestor.objects.filter(AmongIds(F("ancestor"), pact_territories))
        .order_by()
        .values("territory_id")
    )
    totals = (
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, is_obsolete=False)
        .filter(AmongIds(F("pk"), pact_territories.union(inside)))
        .aggregate(inhabitants=Sum("population"), communes=Count("pk"))
    )
    return {"inhabitants": totals["inhabitants"] or 0, "communes": totals["communes"]}
