"""Which scope a body or people list shows, for its default order."""

from public.filters.common import ALL
from public.selection import Selection


def lists_involved(selection: Selection) -> bool:
    """Whether `selection` lists the rows involved in published pacts, the default scope of
    the body and people lists (`InvolvedByDefault`), rather than `perimetre=tous`."""
    return selection.filterset.form.cleaned_data.get("perimetre") != ALL
