"""Admin behaviour every model admin shares: folded search, HTTPS URLs, atomic history."""

from django.db import models, router, transaction
from simple_history.admin import SimpleHistoryAdmin

from core.text import search_key

# Staff paste addresses without a scheme; every public site they cite is served over HTTPS.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class FoldedSearchMixin:
    """Admin search that ignores accents and case, as the public search does.

    `search_text` columns hold accent-stripped, casefolded text, so the term is searched both
    as typed (for plain columns such as a mandate's label) and folded (for `search_text`):
    « Marechal », « maréchal » and « Maréchal » then find the same person on both databases.
    """

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = search_key(search_term)
        if folded and folded != search_term:
            more, more_duplicates = super().get_search_results(request, queryset, folded)
            results = results | more
            may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, whose « Rétablir » runs in one transaction, as Django's
    own change form does: the restored row and its history record are written together, and
    the form's row lock (`core.forms.VersionedModelForm`) holds until they are."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)
