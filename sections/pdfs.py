"""An issue's print PDF: checked, cut into one PDF a page, each page drawn as an image.

``inspect()`` refuses, with one line saying why, what is not a PDF readers
may be given: not a PDF at all, damaged, encrypted with a password, more
pages than an issue has, a page no reader could read (a strip 300 times as
wide as tall, which drawn 1,600 px tall would be a 6 GB image). Whatever
else the upload holds (JavaScript, bookmarks, links, forms, embedded files)
never reaches readers: each page is written into a PDF of its own with its
printed content only (``infra.clean_pdf``), and the issue's PDF is made of
those pages. Pages are drawn with PDFium (pypdfium2, a permissive licence,
unlike PyMuPDF's AGPL) at ``RENDER_HEIGHT`` pixels.

Nothing here reads the whole file into memory: pypdf reads the objects a
page needs, PDFium maps the file, and one page's image is in memory at a time.
"""

import gc
from dataclasses import dataclass
from io import BytesIO

from infra import clean_pdf
from infra.clean_pdf import PdfRefused, close_reader, open_reader
from infra.images import MAX_IMAGE_PIXELS
from sections import page_reading

__all__ = ["PdfRefused", "close_reader", "open_reader"]

# Pixels: the page's scan, as sharp as a reader zooming in on a phone needs (its small
# print stays legible at 3×); the page view shows its 1,200 px wide rendition.
RENDER_HEIGHT = 2400
JPEG_QUALITY = 85
ACTIVE_KEYS = ("/OpenAction", "/AA", "/Names", "/AcroForm", "/Outlines")


@dataclass
class PdfInfo:
    pages: int
    active_content: bool  # scripts, links, bookmarks, forms or files: left out


def inspect(path):
    reader = open_reader(path)
    try:
        clean_pdf.check_page_sizes(reader)
        return PdfInfo(pages=len(reader.pages), active_content=_has_active_content(reader))
    finally:
        close_reader(reader)


def _has_active_content(reader):
    """Whether the upload holds more than printed content (for the uploader's message
    only: what readers get is written from the content whatever this says)."""
    try:
        root = reader.trailer["/Root"]
        if any(key in root for key in ACTIVE_KEYS):
            return True
        return any("/Annots" in page or "/AA" in page for page in reader.pages)
    except Exception:  # a damaged corner the rewrite drops anyway
        return True


class PageSource:
    """The pages of a PDF on disk, one at a time, in memory that stays flat however
    many pages it has: pypdf keeps every object it has read, so its reader is
    opened afresh every ``reopen_every`` pages; PDFium keeps what it decoded
    until its document closes, so each page gets a document of its own."""

    def __init__(self, path, reopen_every=8):
        self.path, self.reopen_every = path, reopen_every
        self.reader = open_reader(path)  # PdfRefused if it is no usable PDF
        try:
            clean_pdf.check_page_sizes(self.reader)
        except PdfRefused:
            close_reader(self.reader)
            raise
        self.count = len(self.reader.pages)
        self.served = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        close_reader(self.reader)

    def page(self, index, read=False):
        """``(page PDF bytes, JPEG bytes, (width, height), reading)`` of page ``index``;
        ``reading`` is ``(how, blocks)`` (``page_reading.pdf_page``) when ``read``, else
        None."""
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
            reading = page_reading.pdf_page(document, index) if read else None
        finally:
            document.close()
        return pdf, image, size, reading


def page_pdf(reader, index):
    """Page ``index`` alone as a PDF readers may download: its printed content only."""
    return clean_pdf.page_pdf(reader, index)


def render(document, index, height=RENDER_HEIGHT):
    """Page ``index`` of a ``pypdfium2.PdfDocument`` as a JPEG, ``height`` pixels tall."""
    page = document[index]
    try:
        scale = height / page.get_height()
        if page.get_width() * scale * height > MAX_IMAGE_PIXELS:  # never drawn at all
            raise PdfRefused(
                f"the page would be drawn {page.get_width() * scale:,.0f}×{height} px, "
                f"more than {MAX_IMAGE_PIXELS // 1_000_000} million pixels"
            )
        image = page.render(scale=scale).to_pil().convert("RGB")
        if image.height != height:  # PDFium rounds the page's size up
            image = image.resize((round(image.width * height / image.height), height))
    finally:
        page.close()
    output = BytesIO()
    image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return output.getvalue(), image.size


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
