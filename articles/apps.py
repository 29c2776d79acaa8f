from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles import reading_order, said, tasks, triggers  # noqa: F401  (said registers)
        from jobs import registry
        from jobs.models import JobKind

        reading_order.connect_signals()
        registry.register(JobKind.IMPORT_CHECK, tasks.check_import)
        registry.register(JobKind.IMPORT, tasks.import_batch)
        registry.register(JobKind.SEARCH_INDEX, tasks.rebuild_search_index)
        # The database's own rules (articles/triggers.py), put back after every migrate.
        post_migrate.connect(triggers.install_after_migrate, sender=self)
