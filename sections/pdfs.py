"""An issue's print PDF: checked, cut into one PDF a page, each page drawn as an image.

``inspect()`` refuses, with one line saying why, what is not a PDF readers
may be given: not a PDF at all, damaged, encrypted with a password. A PDF
with JavaScript or embedded files is taken, but neither goes into anything
readers download: each page is written into a PDF of its own with its page
content only (no annotations, no actions, no document-level names), and the
issue's PDF is made of those pages. Pages are drawn with PDFium (pypdfium2,
a permissive licence, unlike PyMuPDF's AGPL) at ``RENDER_HEIGHT`` pixels.

Nothing here reads the whole file into memory: pypdf reads the objects a
page needs, PDFium maps the file, and one page's image is in memory at a time.
"""

import gc
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

RENDER_HEIGHT = 1600  # pixels: the page view's scan; its renditions are made from it
JPEG_QUALITY = 85


class PdfRefused(Exception):
    """The file cannot be used; the message says why, in one line."""


@dataclass
class PdfInfo:
    pages: int
    javascript: bool
    embedded_files: bool


def open_reader(path):
    """A pypdf reader of the file at ``path``; ``PdfRefused`` if it is no usable PDF."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise PdfRefused(_("This file is not a PDF."))
    # A file, not a path: given a path, pypdf reads the whole file into memory.
    # ``close_reader()`` closes it.
    handle = open(path, "rb")
    try:
        reader = PdfReader(handle, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfRefused(_("The PDF is encrypted with a password; upload it without one."))
        len(reader.pages)  # reads the page tree: a damaged one fails here
    except PdfRefused:
        handle.close()
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        handle.close()
        raise PdfRefused(
            _("The PDF is damaged and cannot be read (%(error)s).")
            % {"error": str(error)[:200] or type(error).__name__}
        ) from None
    return reader


def close_reader(reader):
    reader.stream.close()


def inspect(path):
    reader = open_reader(path)
    try:
        return PdfInfo(
            pages=len(reader.pages),
            javascript=_has_javascript(reader),
            embedded_files=_has_embedded_files(reader),
        )
    finally:
        close_reader(reader)


def _names(reader):
    try:
        return reader.trailer["/Root"].get("/Names") or {}
    except (KeyError, AttributeError, TypeError):
        return {}


def _has_javascript(reader):
    root = reader.trailer["/Root"]
    if "/JavaScript" in _names(reader) or "/OpenAction" in root or "/AA" in root:
        return True
    for page in reader.pages:
        if "/AA" in page:
            return True
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if getattr(action, "get", None) and action.get("/S") == "/JavaScript":
                return True
    return False


def _has_embedded_files(reader):
    if "/EmbeddedFiles" in _names(reader) or "/AF" in reader.trailer["/Root"]:
        return True
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                return True
    return False


class PageSource:
    """The pages of a PDF on disk, one at a time, in memory that stays flat however
    many pages it has: pypdf keeps every object it has read, so its reader is
    opened afresh every ``reopen_every`` pages; PDFium keeps what it decoded
    until its document closes, so each page gets a document of its own."""

    def __init__(self, path, reopen_every=8):
        self.path, self.reopen_every = path, reopen_every
        self.reader = open_reader(path)  # PdfRefused if it is no usable PDF
        self.count = len(self.reader.pages)
        self.served = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        close_reader(self.reader)

    def page(self, index):
        """``(page PDF bytes, JPEG bytes, (width, height))`` of page ``index``."""
        import pypdfium2

        if self.served and self.served % self.reopen_every == 0:
            close_reader(self.reader)
            self.reader = open_reader(self.path)
            gc.collect()
        self.served += 1
        pdf = page_pdf(self.reader, index)
        document = pypdfium2.PdfDocument(str(self.path))
        try:
            image, size = render(document, index)
        finally:
            document.close()
        return pdf, image, size

    def is_clean(self):
        return is_clean(self.reader)


def page_pdf(reader, index):
    """Page ``index`` alone as a PDF readers may download: its content, nothing else."""
    writer = PdfWriter()
    page = writer.add_page(reader.pages[index])
    for key in ("/Annots", "/AA"):
        if key in page:
            del page[NameObject(key)]
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def render(document, index, height=RENDER_HEIGHT):
    """Page ``index`` of a ``pypdfium2.PdfDocument`` as a JPEG, ``height`` pixels tall."""
    page = document[index]
    try:
        scale = height / page.get_height()
        image = page.render(scale=scale).to_pil().convert("RGB")
        if image.height != height:  # PDFium rounds the page's size up
            image = image.resize((round(image.width * height / image.height), height))
    finally:
        page.close()
    output = BytesIO()
    image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return output.getvalue(), image.size


def is_clean(reader):
    """Whether the PDF may go to readers as it is: no JavaScript, no embedded files."""
    return not _has_javascript(reader) and not _has_embedded_files(reader)


def join(paths, output):
    """Write the PDFs at ``paths`` (the pages' own, in order) into ``output``.

    PDFium copies the pages' objects natively: about the size of the result in
    memory, half of what pypdf's writer takes for the same pages."""
    import pypdfium2

    joined = pypdfium2.PdfDocument.new()
    try:
        for path in paths:
            source = pypdfium2.PdfDocument(str(path))
            try:
                joined.import_pages(source)
            finally:
                source.close()
        joined.save(output)
    finally:
        joined.close()
