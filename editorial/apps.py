from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The editorial office: the admin of issues, pages and articles, and its dashboard."""

    default = True
    name = "editorial"
    verbose_name = _("Editorial office")

    def ready(self):
        from editorial import corrections

        corrections.connect()


class EditorialAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with ``EditorialAdminSite`` as ``admin.site``
    (named in INSTALLED_APPS instead of ``django.contrib.admin``)."""

    default = False
    default_site = "editorial.admin_site.EditorialAdminSite"
