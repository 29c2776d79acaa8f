from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectionsConfig(AppConfig):
    name = "sections"
    verbose_name = _("Pages")

    def ready(self):
        from jobs import registry
        from jobs.models import JobKind
        from sections import said, scans, tasks  # noqa: F401  (said registers its words)

        registry.register(JobKind.PRINT_PDF, tasks.split_issue_pdf)
        registry.register(JobKind.SCANS, scans.apply_scans)
