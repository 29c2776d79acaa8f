"""The editorial office's admin site: Django's, with "view on site" behind permissions."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class EditorialAdminSite(admin.AdminSite):
    site_header = format_lazy("{} · {}", settings.MAGAZINE_NAME, _("Editorial office"))
    site_title = format_lazy("{} · {}", settings.MAGAZINE_NAME, _("Editorial office"))
    index_title = _("Dashboard")
    # The lists and the area editor need the width; the dashboard and the
    # breadcrumbs lead everywhere the sidebar did.
    enable_nav_sidebar = False

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's redirect to an object's page, for those who may view that kind
        of object only: to anyone else a draft's redirect would tell that it
        exists, so they get the 404 every reader gets."""
        try:
            content_type = ContentType.objects.get_for_id(content_type_id)
        except ContentType.DoesNotExist:
            raise Http404("No such object.") from None
        model = content_type.model_class()
        if model is None:
            raise Http404("No such object.")
        permission = f"{model._meta.app_label}.{get_permission_codename('view', model._meta)}"
        if not request.user.has_perm(permission):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
