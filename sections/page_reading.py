"""What a page prints, read for the articles' areas: its text blocks (``pagelayout``)
and how they were read.

``pdf_page()`` reads a print PDF's page from its text layer, or, when it has
none (a scanned page), from the page drawn and read by Tesseract;
``scan()`` reads an uploaded page scan by Tesseract. Each returns ``(how,
blocks)``: how is "text" or "ocr", else why nothing was read: "unreadable" (a
text layer without its Unicode map), "no_ocr" (Tesseract is not installed),
"no_text" (nothing printed was read). ``tell_read()`` hands the pages read to
the app that finds the articles in them (``pages_read``).
"""

from io import BytesIO

from django.utils.translation import gettext as _

from pagelayout import ocr, pdf_text, reading
from sections.models import Section, pages_read

# A scan is read at most this tall: larger says no more and costs more to cut.
SCAN_HEIGHT = 3600


def pdf_page(document, index):
    """``(how, blocks)`` of page ``index`` of a ``pypdfium2.PdfDocument``."""
    chars = pdf_text.page_chars(document, index)
    if chars:
        if not pdf_text.readable(chars):
            return "unreadable", []
        return "text", reading.read(chars)
    if not ocr.available():
        return "no_ocr", []
    page = document[index]
    try:
        image = page.render(scale=ocr.SCALE, grayscale=True).to_pil()
    finally:
        page.close()
    return _read(image)


def scan(data):
    """``(how, blocks)`` of a page scan's bytes (a checked JPEG, PNG, WebP or GIF)."""
    if not ocr.available():
        return "no_ocr", []
    from PIL import Image

    with Image.open(BytesIO(data)) as opened:
        image = opened.convert("L")
    if image.height > SCAN_HEIGHT:
        width = round(image.width * SCAN_HEIGHT / image.height)
        image = image.resize((width, SCAN_HEIGHT), Image.Resampling.LANCZOS)
    return _read(image)


def _read(image):
    blocks = reading.read_lines(ocr.image_lines(image))
    return ("ocr", blocks) if blocks else ("no_text", [])


def tell_read(progress, issue, pages, articles=False, update=False):
    """Send ``pages_read`` for a job's pages read (``[(section, blocks, how)]``):
    what its receivers did (the articles drafted when ``articles``, the areas found,
    the articles placed), for the job's summary."""
    done = {}
    if pages:
        progress.set_step(_("Finding the articles' areas"))
        for _receiver, result in pages_read.send(
            sender=Section,
            issue=issue,
            pages=pages,
            user=progress.job.created_by,
            progress=progress,
            articles=articles,
            update=update,
        ):
            done.update(result or {})
    return done


def pdf_pages(path, count, reopen_every=8):
    """``(how, blocks)`` of each of the first ``count`` pages of the PDF at ``path``,
    read without drawing them (a dry run): a document a few pages, as PDFium keeps
    what it decoded until its document closes."""
    import pypdfium2

    document = None
    try:
        for index in range(count):
            if index % reopen_every == 0:
                if document is not None:
                    document.close()
                document = pypdfium2.PdfDocument(str(path))
            yield pdf_page(document, index)
    finally:
        if document is not None:
            document.close()
