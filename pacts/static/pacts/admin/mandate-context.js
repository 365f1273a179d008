'use strict';
// The mandate autocomplete of a party or attendance row asks only for the mandates of the
// row's body (or person) held on the row's signing date (docs/architecture.md, « Admin »):
// the admin's autocomplete sends the search term alone, this adds what the row already says.
{
    const $ = django.jQuery;
    let context = null;

    function value(id) {
        const field = document.getElementById(id);
        return field ? field.value : '';
    }

    // « 15/01/2019 »: the date typed for an event added on the page, the date in the label of
    // a saved event (« 15/01/2019, Chaumont »), or the event's own date on its page.
    function signingDate(prefix) {
        const choice = document.getElementById(`id_${prefix}signing_event_choice`);
        if (!choice) {
            return value('id_date');
        }
        if (choice.value.startsWith('nouvelle-')) {
            const rank = Number(choice.value.slice('nouvelle-'.length));
            const initial = Number(value('id_signing_events-INITIAL_FORMS') || 0);
            return value(`id_signing_events-${initial + rank - 1}-date`);
        }
        const label = choice.selectedIndex >= 0 ? choice.options[choice.selectedIndex].text : '';
        const date = label.match(/^\d{2}\/\d{2}\/\d{4}/);
        return date ? date[0] : '';
    }

    $(document).on('select2:opening', 'select[id$="-mandate"]', function() {
        const prefix = this.id.slice('id_'.length, -'mandate'.length);
        context = {
            body: value(`id_${prefix}body`),
            person: value(`id_${prefix}person`),
            date: signingDate(prefix),
        };
    });

    $.ajaxPrefilter(function(options) {
        const mandates = typeof options.data === 'string' && options.data.includes('field_name=mandate');
        if (context && mandates) {
            options.data += '&' + $.param(context);
        }
    });
}
