'use strict';
// The page (版面) picker of the article form offers only the pages of the
// chosen issue: it sends the issue with every search, and is emptied when
// the editor picks another issue. Runs after Django's autocomplete.js has set
// up select2.
//
// Django's RelatedObjectLookups.js fires a "change" on every related select
// when the document is ready, which may come after this window "load"
// handler: so the page is emptied only when the issue really differs from the
// one it was chosen for, never by an event that changes nothing.
window.addEventListener('load', function () {
    const $ = django.jQuery;
    const issue = $('#id_issue');
    const section = $('#id_section');
    if (!issue.length || !section.length || !section.hasClass('admin-autocomplete')) {
        return;
    }
    const element = section[0];
    let scopedTo = issue.val() || '';
    if (section.data('select2')) {
        section.select2('destroy');
    }
    section.select2({
        ajax: {
            data: function (params) {
                return {
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName,
                    issue: issue.val() || ''
                };
            }
        }
    });
    issue.on('change', function () {
        const chosen = issue.val() || '';
        if (chosen === scopedTo) {
            return;
        }
        scopedTo = chosen;
        section.val(null).trigger('change');
    });
});
