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
//
// jQuery's ready handlers run asynchronously: the window's "load" may come
// before Django's autocomplete.js has run its own and would then set select2
// up again over this. Queued as a ready handler from "load", this runs after
// Django's in either order.
window.addEventListener('load', function () {
    django.jQuery(scopeThePagePicker);
});

function scopeThePagePicker() {
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
    // select2 names its box by the chosen page alone (nothing, when none is
    // chosen yet): name it by the field's label too.
    [issue, section].forEach(function (field) {
        const label = document.querySelector('label[for="' + field.attr('id') + '"]');
        const box = field.next('.select2').find('.select2-selection');
        if (label && box.length) {
            label.id = label.id || field.attr('id') + '_label';
            const rendered = box.find('.select2-selection__rendered');
            const id = rendered.attr('id');
            box.attr('aria-labelledby', label.id + (id ? ' ' + id : ''));
            rendered.attr('aria-label', label.textContent.replace(/[:：]\s*$/, '').trim());
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
}
