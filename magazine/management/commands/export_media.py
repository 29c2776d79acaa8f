"""``python manage.py export_media FILE.tar.gz``: every media file (covers, scans,
PDFs, images) into one archive, from local files or object storage alike."""

from django.utils.translation import gettext as _

from infra import media_archive
from infra.commands import StaffCommand


class Command(StaffCommand):
    help = "Write every media file into one .tar.gz (local files or object storage)."

    def add_arguments(self, parser):
        parser.add_argument("target", help="the .tar.gz to write")

    def handle(self, *args, target, **options):
        count = media_archive.write(target)
        if options["verbosity"]:
            self.stdout.write(
                _("%(count)s media files written to %(target)s")
                % {"count": count, "target": target}
            )
