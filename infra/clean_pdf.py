"""PDFs readers may download: written anew from the pages' printed content only.

An uploaded PDF may carry JavaScript (an open action, a bookmark's action, a
link's additional actions, an action chained after another with ``/Next``,
a names tree, a form's XFA), embedded files or links to other files. None of
that is looked for and taken out: :func:`page_content` copies what a page
prints — its boxes, rotation, content streams and the resources they draw
with (fonts, images, colour spaces, forms) — into a new document, and
nothing else. While copying, anything that is not printed content (an
action, a file specification, an annotation, another page, the document's
catalogue) is dropped wherever it hides, so that a resource pointing to the
catalogue cannot bring the rest of the file along.

Every PDF field of the project is a :class:`SafePdfField`: a file stored
through it is rewritten this way first, unless it is a :class:`CleanPdf`,
which only this module and the print job's join of clean pages make.
"""

from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    StreamObject,
)

from infra import downloads

MAX_PAGES = 300  # as many as an issue may have
MAX_ASPECT = 4  # a fold-out spread is about 3:1; past 4:1 it is no page readers read
MAX_OBJECTS = 200_000  # objects one page may draw with
MAX_DEPTH = 200

# What a page prints; everything else of the page (annotations, actions,
# thumbnails, structure) stays behind.
PAGE_KEYS = (
    "/MediaBox",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/Rotate",
    "/UserUnit",
    "/Group",
    "/Resources",
    "/Contents",
)
# Keys that lead from printed content to something active or outside the file.
DROPPED_KEYS = frozenset(
    {
        "/A",
        "/AA",
        "/AcroForm",
        "/AF",
        "/Annots",
        "/B",
        "/Dests",
        "/EF",
        "/EmbeddedFiles",
        "/JS",
        "/JavaScript",
        "/Launch",
        "/Metadata",
        "/Names",
        "/Next",
        "/OPI",
        "/OpenAction",
        "/Kids",
        "/Outlines",
        "/P",
        "/Pages",
        "/Parent",
        "/PieceInfo",
        "/Ref",
        "/StructParent",
        "/StructParents",
        "/StructTreeRoot",
        "/Threads",
        "/Thumb",
        "/URI",
        "/XFA",
    }
)
# A stream's data kept in another file (PDF 1.7, 7.3.8.2).
DROPPED_STREAM_KEYS = frozenset({"/F", "/FFilter", "/FDecodeParms", "/DL", "/Length"})
DROPPED_TYPES = frozenset(
    {
        "/Action",
        "/Annot",
        "/Catalog",
        "/EmbeddedFile",
        "/FileSpec",
        "/Filespec",
        "/Outlines",
        "/Page",
        "/Pages",
        "/Sig",
    }
)
ACTION_TYPES = frozenset(
    {
        "/GoTo",
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/GoTo3DView",
        "/Launch",
        "/Thread",
        "/URI",
        "/Sound",
        "/Movie",
        "/Hide",
        "/Named",
        "/SubmitForm",
        "/ResetForm",
        "/ImportData",
        "/JavaScript",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/RichMediaExecute",
    }
)


class PdfRefused(Exception):
    """The file cannot be used; the message says why, in one line."""


def open_reader(source):
    """A pypdf reader of ``source`` (a path or an open binary file); ``PdfRefused``
    if it is no PDF readers may be given. A path is opened here and closed by
    :func:`close_reader`: given a path, pypdf would read the whole file into memory."""
    handle = open(source, "rb") if not hasattr(source, "read") else source
    try:
        handle.seek(0)
        head = handle.read(1024)
        handle.seek(0)
        if b"%PDF-" not in head:
            raise PdfRefused(_("This file is not a PDF."))
        reader = PdfReader(handle, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfRefused(_("The PDF is encrypted with a password; upload it without one."))
        count = len(reader.pages)  # reads the page tree: a damaged one fails here
    except PdfRefused:
        _close_opened(handle, source)
        raise
    except LimitReachedError:
        _close_opened(handle, source)
        raise PdfRefused(
            _("The PDF declares more pages or objects than any issue has; it was refused.")
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        _close_opened(handle, source)
        raise PdfRefused(
            _("The PDF is damaged and cannot be read (%(error)s).") % {"error": _first_line(error)}
        ) from None
    except RecursionError:
        _close_opened(handle, source)
        raise PdfRefused(
            _("The PDF is damaged and cannot be read (%(error)s).")
            % {"error": "its objects refer to each other without end"}
        ) from None
    if count > MAX_PAGES:
        _close_opened(handle, source)
        raise PdfRefused(
            _("The PDF has %(count)s pages; an issue has at most %(limit)s.")
            % {"count": f"{count:,}", "limit": MAX_PAGES}
        )
    if count == 0:
        _close_opened(handle, source)
        raise PdfRefused(_("The PDF has no pages."))
    reader._opened_here = handle is not source
    return reader


def _close_opened(handle, source):
    if handle is not source:
        handle.close()


def _first_line(error):
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def close_reader(reader):
    if getattr(reader, "_opened_here", False):
        reader.stream.close()


def page_size(reader, index):
    """``(width, height)`` of page ``index`` as printed, in points (rotation applied)."""
    page = reader.pages[index]
    box = page.cropbox
    unit = float(page.get("/UserUnit", 1) or 1)
    width, height = abs(float(box.width)) * unit, abs(float(box.height)) * unit
    if int(page.get("/Rotate", 0) or 0) % 180:
        width, height = height, width
    return width, height


def check_page_sizes(reader):
    """``PdfRefused`` naming the first page no reader could read: empty, or more than
    ``MAX_ASPECT`` times as wide as tall (or as tall as wide). Checked before any
    page is drawn: a 1500×5 pt page drawn 1,600 px tall is 480,000 px wide."""
    for index in range(len(reader.pages)):
        try:
            width, height = page_size(reader, index)
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise PdfRefused(
                _("Page %(number)s of the PDF is damaged (%(error)s).")
                % {"number": index + 1, "error": _first_line(error)}
            ) from None
        if width < 1 or height < 1 or max(width / height, height / width) > MAX_ASPECT:
            raise PdfRefused(
                _(
                    "Page %(number)s of the PDF is %(width)s×%(height)s pt; a page may be at "
                    "most %(limit)s times as wide as it is tall, or as tall as it is wide."
                )
                % {
                    "number": index + 1,
                    "width": f"{width:.0f}",
                    "height": f"{height:.0f}",
                    "limit": MAX_ASPECT,
                }
            )


def page_content(reader, index, writer):
    """Add page ``index`` of ``reader`` to ``writer`` with its printed content only."""
    source = reader.pages[index]
    copier = _Copier(writer)
    page = writer.add_blank_page(width=1, height=1)
    for key in PAGE_KEYS:
        if key in source:
            value = copier.copy(dict.__getitem__(source, key))  # unresolved: kept shared
            if not isinstance(value, NullObject):
                page[NameObject(key)] = value
    return page


def page_pdf(reader, index):
    """Page ``index`` alone as a PDF readers may download."""
    writer = PdfWriter()
    page_content(reader, index, writer)
    return _written(writer)


def rewrite(file):
    """The PDF ``file`` (an open binary file) written anew, every page content only:
    ``PdfRefused`` if it is no PDF readers may be given."""
    reader = open_reader(file)
    try:
        check_page_sizes(reader)
        writer = PdfWriter()
        for index in range(len(reader.pages)):
            page_content(reader, index, writer)
        return _written(writer)
    except PdfRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PdfRefused(
            _("The PDF is damaged and cannot be read (%(error)s).") % {"error": _first_line(error)}
        ) from None
    finally:
        close_reader(reader)


def _written(writer):
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


class _Copier:
    """A deep copy of printed content into ``writer``, leaving out what is not content."""

    def __init__(self, writer):
        self.writer = writer
        self.copied = {}  # (object number, generation) of the source -> reference in writer
        self.count = 0

    def copy(self, value, depth=0):
        if depth > MAX_DEPTH:
            raise PdfRefused(_("The PDF is damaged and cannot be read (objects nested too deep)."))
        if isinstance(value, IndirectObject):
            return self._indirect(value, depth)
        if isinstance(value, DictionaryObject):
            if _is_dropped(value):
                return NullObject()
            target = StreamObject() if isinstance(value, StreamObject) else DictionaryObject()
            self._fill(target, value, depth)
            return target
        if isinstance(value, ArrayObject):
            return ArrayObject(self.copy(item, depth + 1) for item in value)
        return value  # numbers, names, strings, booleans, null: immutable

    def _indirect(self, reference, depth):
        key = (reference.idnum, reference.generation)
        if key in self.copied:
            return self.copied[key]
        self.count += 1
        if self.count > MAX_OBJECTS:
            raise PdfRefused(_("The PDF is damaged and cannot be read (too many objects a page)."))
        value = reference.get_object()
        if isinstance(value, DictionaryObject):
            if _is_dropped(value):
                self.copied[key] = NullObject()
                return self.copied[key]
            # Added before it is filled: content may refer back to itself.
            target = StreamObject() if isinstance(value, StreamObject) else DictionaryObject()
            self.copied[key] = self.writer._add_object(target)
            self._fill(target, value, depth)
            return self.copied[key]
        if isinstance(value, ArrayObject):
            target = ArrayObject()
            self.copied[key] = self.writer._add_object(target)
            target.extend(self.copy(item, depth + 1) for item in value)
            return self.copied[key]
        self.copied[key] = value if value is not None else NullObject()
        return self.copied[key]

    def _fill(self, target, source, depth):
        is_stream = isinstance(source, StreamObject)
        for key, item in source.items():
            if key in DROPPED_KEYS or (is_stream and key in DROPPED_STREAM_KEYS):
                continue
            copied = self.copy(item, depth + 1)
            if not isinstance(copied, NullObject):
                target[NameObject(key)] = copied
        if is_stream:
            # The bytes as stored (still encoded), with the filters the dictionary
            # names: nothing is decoded and encoded again.
            target._data = source._data


def _is_dropped(dictionary):
    kind = dictionary.get("/Type")
    if kind in DROPPED_TYPES:
        return True
    if dictionary.get("/S") in ACTION_TYPES:
        return True
    return "/JS" in dictionary or "/EmbeddedFiles" in dictionary


class Clean:
    """A PDF written by this module, or joined from pages it wrote: stored as it is."""


class CleanPdf(Clean, ContentFile):
    pass


class CleanPdfFile(Clean, File):
    pass


def clean_upload(file, name="page.pdf"):
    """An uploaded PDF as a :class:`CleanPdf`, or ``ValidationError`` saying why not."""
    try:
        file.seek(0)
        return CleanPdf(rewrite(file), name=name)
    except PdfRefused as refusal:
        raise ValidationError(str(refusal), code="pdf_refused") from None
    finally:
        file.seek(0)


class SafePdfFieldFile(FieldFile):
    def save(self, name, content, save=True):
        if not isinstance(content, Clean):
            content = CleanPdf(rewrite(content), name=name)
        # Its size for the link readers see, and the name they save it as for object
        # storage to send (magazine.storage), both known now without asking storage.
        size_field = f"{self.field.name}_size"
        if hasattr(self.instance, size_field):
            setattr(self.instance, size_field, content.size)
        download_name = getattr(self.instance, "download_name", None)
        if download_name:
            content.content_disposition = downloads.disposition(download_name)
        super().save(name, content, save)


class SafePdfFormField(forms.FileField):
    """An uploaded PDF checked (size, a real PDF) and written anew at once, so that a
    PDF that cannot be rewritten is a message on the form, not an error on save."""

    def __init__(self, *args, size_check=None, **kwargs):
        self.size_check = size_check
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        file = super().to_python(data)
        if file is None or isinstance(file, FieldFile):
            return file
        if self.size_check is not None:
            self.size_check(file)
        return clean_upload(file, name=file.name)


class SafePdfField(models.FileField):
    """A file field whose files are PDFs written anew from their pages' content."""

    attr_class = SafePdfFieldFile
    description = gettext_lazy("PDF, printed content only")

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": SafePdfFormField, "size_check": self._size_check, **kwargs}
        )

    def _size_check(self, file):
        # The field's own validators (size, a PDF header) before the rewrite reads it.
        for validator in self.validators:
            validator(file)
