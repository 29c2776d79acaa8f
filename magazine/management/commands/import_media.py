"""``python manage.py import_media FILE.tar.gz``: the media files of an archive
made by export_media, back under their own names (local files or object storage)."""

import tarfile

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from infra import media_archive
from infra.commands import StaffCommand


class Command(StaffCommand):
    help = "Put the media files of a .tar.gz made by export_media back into the store."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the .tar.gz made by export_media")

    def handle(self, *args, source, **options):
        try:
            count = media_archive.read(source)
        except (media_archive.ArchiveError, tarfile.TarError, OSError, EOFError) as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(
                _("%(count)s media files restored from %(source)s")
                % {"count": count, "source": source}
            )
