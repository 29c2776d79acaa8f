"""The POST data of an admin form as a browser sends it when nothing was touched."""

from django import forms


def _field_values(form, data):
    for bound in form:
        if isinstance(bound.field.widget, forms.FileInput):
            continue  # an untouched file input sends nothing
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)


def unchanged_post_data(response):
    """Every field of the rendered change form and its inlines, with its rendered value."""
    context = response.context
    data = {}
    _field_values(context["adminform"].form, data)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        _field_values(formset.management_form, data)
        for form in formset.forms:
            _field_values(form, data)
    return data


def page_form(section, **fields):
    """A page's change form as saved with no article or area rows, plus ``fields``."""
    return {
        "issue": section.issue_id,
        "version": signed_version(section),
        "position": str(section.position),
        "code": section.code,
        "name": section.name,
        "articles-TOTAL_FORMS": "0",
        "articles-INITIAL_FORMS": "0",
        "areas-TOTAL_FORMS": "0",
        "areas-INITIAL_FORMS": "0",
        **fields,
    }


def signed_version(obj):
    """The version a form opened now holds for ``obj``, signed as the form signs it."""
    from concurrency.forms import get_signer

    stored = type(obj)._default_manager.values_list("version", flat=True).get(pk=obj.pk)
    return get_signer().sign(stored)
