"""The PDFs readers download, named for what they are: the magazine, the issue and the
page (基层月刊-2026年第12期-03版.pdf), sent as attachments, with their size said."""

from django.conf import settings
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

# Characters no file system or browser takes in a file's name.
UNSAFE = str.maketrans(dict.fromkeys('\\/:*?"<>|\n\r\t', "-"))


def file_name(issue, page_label=""):
    """``基层月刊-2026年第12期[-03版].pdf``, in the site's language whatever the reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [settings.MAGAZINE_NAME, str(issue), page_label]
    return "-".join(part.translate(UNSAFE).strip() for part in parts if part) + ".pdf"


def disposition(name):
    """The Content-Disposition of a download saved as ``name`` (RFC 6266: ``filename*``
    for a name that is not ASCII, with an ASCII fallback)."""
    return content_disposition_header(as_attachment=True, filename=name)


def approximate_size(size):
    """约 2.3 MB, 约 480 KB: what a reader on a phone plan wants to know before tapping."""
    if size is None:
        return ""
    if size >= 1024 * 1024:
        figure = f"{size / 1024 / 1024:.1f} MB"
    else:
        figure = f"{max(1, round(size / 1024))} KB"
    return gettext("about %(size)s") % {"size": figure}
