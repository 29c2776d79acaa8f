from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = _("Reader site")

    def ready(self):
        from reader import page_cache

        # Changes below (issues, pages, articles, images) make cached pages stale.
        page_cache.connect_signals()
