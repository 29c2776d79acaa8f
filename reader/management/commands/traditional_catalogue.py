"""``python manage.py traditional_catalogue``: the interface in Traditional Chinese.

The zh_Hant catalogue is not translated by hand: it is the zh_Hans one with
every translation converted by the converter the pages use
(``infra.chinese_script``), so the two never drift apart. ``make
messages`` runs this after ``makemessages`` and before ``compilemessages``;
both catalogues are committed, compiled too.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from infra.chinese_script import to_traditional

SOURCE = "zh_Hans"
TARGET = "zh_Hant"


def catalogue_path(locale):
    return Path(settings.LOCALE_PATHS[0]) / locale / "LC_MESSAGES" / "django.po"


def converted_catalogue(source):
    """The text of ``source`` (a .po file) with its translations (``msgstr``) in
    Traditional Chinese; ids, contexts and comments as they are."""
    lines, in_translation = [], False
    for line in source.splitlines(keepends=True):
        if line.startswith("msgstr"):
            in_translation = True
        elif not line.startswith('"'):
            in_translation = False  # msgid, msgctxt, a comment or a blank line
        if line == f'"Language: {SOURCE}\\n"\n':
            line = f'"Language: {TARGET}\\n"\n'
        elif in_translation:
            line = to_traditional(line)
        lines.append(line)
    return "".join(lines)


class Command(BaseCommand):
    help = "Writes the zh_Hant catalogue from the zh_Hans one, converted by OpenCC."

    def handle(self, *args, **options):
        target = catalogue_path(TARGET)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = catalogue_path(SOURCE).read_text(encoding="utf-8")
        target.write_text(converted_catalogue(source), encoding="utf-8")
        self.stdout.write(f"Wrote {target.relative_to(settings.BASE_DIR)}.")
