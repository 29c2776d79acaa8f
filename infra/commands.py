"""What the staff commands share: they speak the interface's language.

Every line a person reads (a file's line, a summary, a refusal) follows the
same rule as the admin: ``LANGUAGE_CODE`` (Chinese) unless ``--language``
names another of the site's languages (``--language en``).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation


class StaffCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            metavar="CODE",
            help="the language of the output: zh-hans (the default, LANGUAGE_CODE) or en",
        )
        return parser

    def execute(self, *args, **options):
        language = options.get("language") or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            known = ", ".join(dict(settings.LANGUAGES))
            raise CommandError(f"--language must be one of {known}, not {language!r}")
        with translation.override(language):
            return super().execute(*args, **options)
