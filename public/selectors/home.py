"""The home page's key figures."""

from pacts.models import Pact, SigningEvent
from public.choices import involved_bodies, involved_people


def home_figures() -> dict:
    """Key figures of the home page, all counted on published pacts only."""
    published = Pact.objects.published()
    return {
        "pacts": published.count(),
        "signings": SigningEvent.objects.filter(pact__in=published).count(),
        "bodies": involved_bodies().count(),
        "people": involved_people().count(),
        # Distinct ids on the link table: no territory row is read, none compared whole.
        "territories": Pact.territories.through.objects.filter(pact__in=published)
        .values("territory_id")
        .distinct()
        .count(),
    }
