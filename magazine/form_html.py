"""The reader's forms (search, archive) with inputs and selects written in Python.

Django renders each widget, and each ``<option>``, through a template: the
search form's six fields cost 1.7 ms of the search page's ~15 (profiled), as
much as its list of results. This renderer writes the same markup from the
widget's own context (name, value, attrs, optgroups: what Django's widget
templates read), every text escaped; any other template goes to Django's
renderer as before.
"""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html" for kind in ("input", "text", "search", "number", "email")
}
SELECT_TEMPLATE = "django/forms/widgets/select.html"


def attributes(attrs):
    """As django/forms/widgets/attrs.html: False leaves out, True is a bare name."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {name}")
        elif value is not False:
            out.append(f' {name}="{escape(str(value))}"')
    return "".join(out)


def input_html(widget):
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value}{attributes(widget['attrs'])}>"
    )


def select_html(widget):
    out = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{escape(str(group_name))}">')
        for option in options:
            out.append(
                f'\n  <option value="{escape(str(option["value"]))}"'
                f"{attributes(option['attrs'])}>{escape(str(option['label']))}</option>"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class PythonWidgets(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return mark_safe(input_html(context["widget"]))
        if template_name == SELECT_TEMPLATE and not context["widget"].get(
            "allow_multiple_selected"
        ):
            return mark_safe(select_html(context["widget"]))
        return super().render(template_name, context, request)


# One instance for every form: Django builds a class's renderer anew for each
# form, and with it the template engine of any template it falls back to.
python_widgets = PythonWidgets()
