"""Django's Jinja2 backend, announcing each render as Django's own templates do under test.

The test client learns a response's templates and context from the
``template_rendered`` signal, which Django sends only for its own template
language. Used by tests/settings.py, never in production.
"""

from django.template.backends.jinja2 import Jinja2, Template
from django.test.signals import template_rendered


class AnnouncedTemplate(Template):
    @property
    def name(self):
        return self.origin.template_name

    def render(self, context=None, request=None):
        # The backend adds the request and the context processors' values in
        # place: announce the dict the template saw.
        context = {} if context is None else context
        html = super().render(context, request)
        template_rendered.send(sender=self, template=self, context=context)
        return html


class AnnouncingJinja2(Jinja2):
    def get_template(self, template_name):
        template = super().get_template(template_name)
        return AnnouncedTemplate(template.template, self)

    def from_string(self, template_code):
        return AnnouncedTemplate(super().from_string(template_code).template, self)
