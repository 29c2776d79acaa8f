from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_migrate
        from simple_history.signals import post_create_historical_record

        from articles import (
            found_areas,
            pdf_articles,
            proofing_runs,
            reading_order,
            review_lapses,
            said,  # noqa: F401  (registers the jobs' words)
            tasks,
            triggers,
        )
        from articles.models import Article
        from jobs import registry
        from jobs.models import JobKind
        from sections.models import pages_read

        reading_order.connect_signals()
        # Every save of an article, by any route, is checked, and lapses the
        # sign-offs its change outdates.
        history = Article.history.model
        post_create_historical_record.connect(
            proofing_runs.on_article_saved, sender=history, dispatch_uid="articles-proofing"
        )
        post_create_historical_record.connect(
            review_lapses.on_article_saved, sender=history, dispatch_uid="articles-review-lapses"
        )
        # The pages below read a print PDF; the areas of articles are found here.
        pages_read.connect(found_areas.on_pages_read, dispatch_uid="articles-found-areas")
        registry.register(JobKind.IMPORT_CHECK, tasks.check_import)
        registry.register(JobKind.IMPORT, tasks.import_batch)
        registry.register(JobKind.SEARCH_INDEX, tasks.rebuild_search_index)
        registry.register(JobKind.PDF_CHECK, pdf_articles.check_pdf)
        registry.register(JobKind.PROOFREAD, tasks.proofread_issue)
        # The database's own rules (articles/triggers.py), put back after every migrate.
        pre_migrate.connect(triggers.drop_before_migrate, sender=self)
        post_migrate.connect(triggers.install_after_migrate, sender=self)
