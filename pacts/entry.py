"""One-pass entry of a pact (docs/architecture.md, « Admin »): on the pact's admin page, a
party may cite a signing event entered on the same page, and each event takes its attendees,
so a pact with its events, parties and attendees is saved at once.

A party's « signature » offers the pact's saved events and, for the rows added above on the
page, « 1re signature ajoutée », « 2e … »: those events have no id before the page is saved.
The party is checked against the date typed for that row, then linked to the event once the
events are saved (the events' inline comes first on the page, so it is saved first).
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.text import get_valid_filename

from core.forms import VersionedModelForm
from pacts.models import Attendance, PactParty, SigningEvent
from people.models import Person

# How many events added on one page a party may cite: more is a sign of a wrong page.
NEW_EVENTS_OFFERED = 5
NEW_EVENT = "nouvelle-"


def new_event_label(number: int) -> str:
    rank = "1re" if number == 1 else f"{number}e"
    return f"{rank} signature ajoutée sur cette page"


class SigningEventForm(VersionedModelForm):
    """A signing event on the pact's page, with the people present to add."""

    attendees = forms.ModelMultipleChoiceField(
        Person.objects.all(),
        required=False,
        label="ajouter des présents",
        help_text="Les présents déjà enregistrés se retrouvent sur la page de la signature.",
    )

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if admin_site is not None:
            person = Attendance._meta.get_field("person")
            field = self.fields["attendees"]
            field.widget = AutocompleteSelectMultiple(person, admin_site)
            field.widget.choices = field.choices

    def save(self, commit=True):
        event = super().save(commit)
        if commit:
            for person in self.cleaned_data.get("attendees", []):
                if not event.attendances.filter(person=person).exists():
                    Attendance.objects.create(event=event, person=person)
        return event


class SigningEventFormSet(BaseInlineFormSet):
    admin_site = None

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "admin_site": self.admin_site}


class PactPartyForm(VersionedModelForm):
    """A party whose « signature » may be an event saved before or one added on the page."""

    signing_event_choice = forms.ChoiceField(label="signature", required=False)

    class Meta:
        model = PactParty
        exclude = ["signing_event"]

    def __init__(self, *args, events_formset=None, saved_events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.events_formset = events_formset
        choices = [("", "---------")]
        choices += [(str(e.pk), f"{e.date:%d/%m/%Y}, {e.commune.name}") for e in saved_events]
        choices += [
            (f"{NEW_EVENT}{n}", new_event_label(n)) for n in range(1, NEW_EVENTS_OFFERED + 1)
        ]
        field = self.fields["signing_event_choice"]
        field.choices = choices
        if self.instance.signing_event_id:
            field.initial = str(self.instance.signing_event_id)

    def new_event_form(self, number: int):
        """The form of the `number`-th event added on the page, if there is one."""
        if self.events_formset is None:
            return None
        index = self.events_formset.initial_form_count() + number - 1
        forms_ = self.events_formset.forms
        return forms_[index] if 0 <= index < len(forms_) else None

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("signing_event_choice", "")
        self.instance.signing_event = None
        self.instance.pending_signing_date = None
        if choice.startswith(NEW_EVENT):
            event_form = self.new_event_form(int(choice.removeprefix(NEW_EVENT)))
            if event_form is None or not event_form.has_changed():
                self.add_error(
                    "signing_event_choice", "Aucune signature n'a été ajoutée à ce rang ci-dessus."
                )
            elif event_form.is_valid():
                self.instance.pending_signing_date = event_form.cleaned_data.get("date")
        elif choice:
            event = SigningEvent.objects.filter(pk=choice, pact_id=self.instance.pact_id).first()
            if event is None:
                self.add_error("signing_event_choice", "Cette signature concerne un autre pacte.")
            self.instance.signing_event = event
        return cleaned

    def save(self, commit=True):
        choice = self.cleaned_data.get("signing_event_choice", "")
        if choice.startswith(NEW_EVENT):
            # Saved just before, with the events' inline.
            event_form = self.new_event_form(int(choice.removeprefix(NEW_EVENT)))
            self.instance.signing_event = event_form.instance
        return super().save(commit)


class PactPartyFormSet(BaseInlineFormSet):
    """Hands each party form the events' formset of the same page and the saved events."""

    events_formset = None

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "events_formset": self.events_formset, "saved_events": self.saved_events}

    @cached_property
    def saved_events(self) -> list[SigningEvent]:
        if self.instance.pk is None:
            return []
        events = self.instance.signing_events.select_related("commune")
        return list(events.order_by("date", "pk"))


# The signed pact, not a scan archive: a document over this is refused.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class SourceForm(VersionedModelForm):
    """A source, with its document uploaded as a PDF (kept in the database)."""

    upload = forms.FileField(
        label="document (PDF)",
        required=False,
        help_text="Le pacte signé ou le communiqué, en PDF, 10 Mo au plus.",
    )
    remove_document = forms.BooleanField(label="retirer le document", required=False)

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return upload
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError("Le document dépasse 10 Mo : déposez une version allégée.")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("Le document doit être un PDF (fichier .pdf).")
        return upload

    def save(self, commit=True):
        source = super().save(commit=False)
        upload = self.cleaned_data.get("upload")
        if upload:
            source.document = upload.read()
            source.document_name = get_valid_filename(upload.name)[:255]
            source.document_size = upload.size
        elif self.cleaned_data.get("remove_document"):
            source.document, source.document_name, source.document_size = None, "", None
        if commit:
            source.save()
            self.save_m2m()
        return source
