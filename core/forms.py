"""Admin forms that refuse lost updates (docs/architecture.md, « Admin »)."""

from django import forms
from django.utils import timezone


def row_version(instance) -> str:
    """The id of the row's latest history record: every save of the row changes it."""
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True)
    return str(latest.first() or "")


class VersionedModelForm(forms.ModelForm):
    """An admin form that refuses to save a row someone changed since it was opened.

    Without it, the last to save wins silently: B saving a title from a form opened before A
    changed the summary writes A's summary back to its old value, and a pact form's event
    inline puts back the date A just moved. The form carries the version of the row it was
    opened on (`row_version`, the latest history record); on save the row is locked until the
    admin's transaction ends, so a concurrent save waits and then sees the new version. A
    request without a version (a script) is not checked.
    """

    row_version = forms.CharField(widget=forms.HiddenInput, required=False, label="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["row_version"].initial = row_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        submitted = self.data.get(self.add_prefix("row_version"), "")
        instance = self.instance
        if instance.pk is None or not submitted:
            return cleaned
        model = type(instance)
        list(model._default_manager.select_for_update().filter(pk=instance.pk).values("pk"))
        if submitted != row_version(instance):
            record = instance.history.order_by("-history_id").first()
            who = record.history_user or "une commande ou un import"
            when = timezone.localtime(record.history_date)
            raise forms.ValidationError(
                "« %(row)s » a été modifié par %(who)s le %(date)s à %(time)s, après "
                "l'ouverture de ce formulaire. Vos saisies sont conservées ci-dessous : "
                "ouvrez la fiche dans un autre onglet pour voir la version actuelle, puis "
                "reportez-y vos changements.",
                code="stale_form",
                params={
                    "row": str(instance),  # as saved, before this form changes it
                    "who": who,
                    "date": f"{when:%d/%m/%Y}",
                    "time": f"{when:%H:%M}",
                },
            )
        return cleaned
