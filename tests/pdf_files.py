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
