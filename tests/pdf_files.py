"""PDFs made in the tests: pages of one flat colour each, so that the order of the
scans they become can be read back from a pixel."""

import io

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

PAGE_SIZE = (420, 595)  # points at 72 dpi: A5, small enough to draw fast


def colour(index):
    """A colour of its own for page ``index`` (0-based), far from its neighbours'."""
    return ((index * 67) % 256, (index * 131 + 40) % 256, (255 - index * 29) % 256)


def pdf_bytes(pages, size=PAGE_SIZE):
    images = [Image.new("RGB", size, colour(index)) for index in range(pages)]
    output = io.BytesIO()
    images[0].save(output, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return output.getvalue()


def rewritten(data, change):
    """``data`` passed through pypdf, with ``change(writer)`` applied."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def with_javascript(data):
    return rewritten(data, lambda writer: writer.add_open_action(JavaScript("app.alert('hello');")))


def with_attachment(data):
    return rewritten(data, lambda writer: writer.add_attachment("payload.txt", b"secret"))


def encrypted(data):
    return rewritten(data, lambda writer: writer.encrypt("password"))


def close_to(pixel, expected, slack=12):
    return all(abs(a - b) <= slack for a, b in zip(pixel, expected, strict=False))


def _js(writer, code):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(code),
            }
        )
    )


def with_every_script(data):
    """``data`` with JavaScript and files in every place a probe put them: the open
    action, a bookmark's action, a link's additional actions, an action chained after
    a web link with ``/Next``, the names tree, a page's additional actions, a form
    with XFA, an embedded file, an annotation that is a number (``/Annots [5]``),
    and a font resource that points to the document's catalogue."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    def change(writer):
        writer.add_open_action(JavaScript("app.alert('open');"))
        writer.add_attachment("payload.txt", b"secret")
        writer._root_object["/Names"][NameObject("/JavaScript")] = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [TextStringObject("names"), _js(writer, "app.alert('names');")]
                )
            }
        )
        outline = writer.add_outline_item(title="bookmark", page_number=0).get_object()
        outline[NameObject("/A")] = _js(writer, "app.alert('outline');")
        chained = DictionaryObject(
            {
                NameObject("/S"): NameObject("/URI"),
                NameObject("/URI"): TextStringObject("https://example.com/"),
                NameObject("/Next"): _js(writer, "app.alert('next');"),
            }
        )
        for page in writer.pages:
            link = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 100)]),
                    NameObject("/A"): writer._add_object(chained),
                    NameObject("/AA"): DictionaryObject(
                        {NameObject("/E"): _js(writer, "app.alert('enter');")}
                    ),
                }
            )
            page[NameObject("/Annots")] = ArrayObject([writer._add_object(link), NumberObject(5)])
            page[NameObject("/AA")] = DictionaryObject(
                {NameObject("/O"): _js(writer, "app.alert('page open');")}
            )
            resources = page["/Resources"]
            # A font resource that leads to the catalogue (and so to everything).
            resources[NameObject("/Font")] = DictionaryObject(
                {NameObject("/F9"): writer.root_object.indirect_reference}
            )
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject(),
                NameObject("/XFA"): writer._add_object(
                    DictionaryObject({NameObject("/JS"): TextStringObject("app.alert('xfa');")})
                ),
            }
        )

    return rewritten(data, change)


ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/AA",
    "/A",
    "/Names",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/AcroForm",
    "/XFA",
    "/Outlines",
    "/Annots",
    "/Next",
    "/URI",
}


def active_content(data):
    """Every key of ``ACTIVE_KEYS`` found in any object of the PDF ``data`` (walked
    from the trailer and over every object the file holds), and whether the file's
    bytes name JavaScript at all."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(io.BytesIO(data))
    found = set()
    seen = set()
    stack = [reader.trailer]
    # Every object the file holds, reachable or not.
    stack.extend(IndirectObject(n, 0, reader) for n in range(1, int(reader.trailer["/Size"])))
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                item = item.get_object()
            except Exception:
                continue
        if isinstance(item, DictionaryObject):
            found |= ACTIVE_KEYS & set(item.keys())
            if item.get("/Type") in ("/Action", "/Filespec", "/EmbeddedFile", "/Annot"):
                found.add(str(item.get("/Type")))
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    if b"JavaScript" in data or b"app.alert" in data or b"secret" in data:
        found.add("bytes")
    return found


def raw_pdf(objects):
    """A PDF file of ``objects`` (bytes, numbered from 1; 1 is the catalogue), with
    its cross-reference table: for shapes no writer makes."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def many_pages(count):
    """A PDF that declares ``count`` pages, all one blank page object."""
    kids = b" ".join([b"3 0 R"] * count)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] >>",
        ]
    )


def page_of_size(width, height, annots=b""):
    """A one-page PDF of ``width``×``height`` pt, its ``/Annots`` as given."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R %s >>"
            % (width, height, annots),
            b"<< /Length 8 >>\nstream\n0 0 m S\n\nendstream",
        ]
    )
