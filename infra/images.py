"""Uploaded images: checked before they are stored, resized once after.

Every image field of the project (issue cover, page scan, article image) is a
:class:`SafeImageField`: the upload must be a real JPEG, PNG, WebP or GIF
under the size and pixel limits (a decompression bomb is refused with its
own message) that decodes to its last byte, it is stored under a dated folder
with a generated name, and web-sized renditions and a thumbnail are made
once, when it is saved. A save that fails leaves no stored file behind.
"""

import uuid
import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # a 300 dpi A3 scan is ~17 MP
MAX_PDF_BYTES = 50 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
RENDITION_WIDTHS = {"web": 1200, "thumb": 320}


def inspect_image(file):
    """``(format, width, height)`` of an uploaded image, or a ValidationError saying why not."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB."),
            code="image_too_large",
            params={"size": round(size / 1024 / 1024, 1), "limit": MAX_IMAGE_BYTES // 1024 // 1024},
        )
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(width, height)
                image_format = image.format
                image.verify()
            # verify() checks the structure, not the data: a JPEG cut in half
            # passes it. Decoding every byte finds it (a JPEG at an eighth of
            # its size, which still reads all its data, so that a 50-megapixel
            # scan does not cost 150 MB here).
            file.seek(0)
            with Image.open(file) as image:
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _(
                "The image declares more pixels than any real picture needs; it looks like "
                "a decompression bomb and was refused."
            ),
            code="decompression_bomb",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image (JPEG, PNG, WebP or GIF), or it is damaged."),
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted; use JPEG, PNG, WebP or GIF."),
            code="image_format",
            params={"format": image_format},
        )
    return image_format, width, height


def _too_many_pixels(width, height):
    return ValidationError(
        _("The image is %(width)s×%(height)s pixels; the limit is %(limit)s million pixels."),
        code="too_many_pixels",
        params={"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
    )


def _stored_already(file):
    """A file a row names already (checked when it was uploaded): not read again,
    and perhaps gone (an old version History's restore offers)."""
    return isinstance(file, FieldFile) and file._committed


def validate_image(file):
    if not _stored_already(file):
        inspect_image(file)


def validate_pdf(file):
    if _stored_already(file):
        return
    if file.size > MAX_PDF_BYTES:
        raise ValidationError(
            _("The PDF is too large; the limit is %(limit)s MB."),
            code="pdf_too_large",
            params={"limit": MAX_PDF_BYTES // 1024 // 1024},
        )
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if not head.lstrip().startswith(b"%PDF-"):
        raise ValidationError(_("This file is not a PDF."), code="not_a_pdf")


@deconstructible
class DatedUploadPath:
    """``<folder>/<year>/<month>/<random>.<ext>``: nothing of the uploaded name is kept."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = PurePosixPath(filename).suffix.lower().lstrip(".")
        if not extension.isalnum() or len(extension) > 5:
            extension = "bin"
        now = timezone.now()
        return f"{self.folder}/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, DatedUploadPath) and other.folder == self.folder


class SafeImageFormField(forms.ImageField):
    default_error_messages = {
        "invalid_image": _("This file is not an image (JPEG, PNG, WebP or GIF), or it is damaged."),
    }

    def to_python(self, data):
        if data in self.empty_values:
            return None
        image_format, _, _ = inspect_image(data)  # clear messages for size, bombs, formats
        # Stored under the extension of what the file is, whatever it was called:
        # a JPEG sent as "cover.html" is kept as .jpg and served as an image.
        data.name = f"{PurePosixPath(data.name).stem or 'image'}.{FORMATS[image_format]}"
        return super().to_python(data)


class SafeImageField(models.ImageField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})


def make_renditions(field_file, widths=RENDITION_WIDTHS):
    """Write resized JPEG copies beside the original; return their names and sizes.

    If one cannot be made, those already written are deleted before the error goes on.
    """
    renditions = {}
    try:
        _write_renditions(field_file, widths, renditions)
    except BaseException:
        delete_renditions(field_file.storage, renditions)
        raise
    return renditions


def _write_renditions(field_file, widths, renditions):
    storage = field_file.storage
    original = PurePosixPath(field_file.name)
    with field_file.open("rb") as handle, Image.open(handle) as image:
        image = ImageOps.exif_transpose(image)
        width, height = image.size
        renditions["original"] = {"name": field_file.name, "width": width, "height": height}
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
            image = background
        for label, max_width in widths.items():
            copy = image.copy()
            if copy.width > max_width:
                copy.thumbnail((max_width, max_width * 10), Image.Resampling.LANCZOS)
            buffer = BytesIO()
            copy.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
            name = storage.save(
                str(original.with_name(f"{original.stem}-{label}.jpg")),
                ContentFile(buffer.getvalue()),
            )
            renditions[label] = {"name": name, "width": copy.width, "height": copy.height}


def delete_renditions(storage, renditions):
    for label, rendition in (renditions or {}).items():
        if label != "original":
            storage.delete(rendition["name"])


class Rendition:
    """A rendition as templates use it: ``url``, ``width``, ``height``."""

    def __init__(self, storage, data):
        self.url = storage.url(data["name"])
        self.width = data["width"]
        self.height = data["height"]


class RenditionsMixin:
    """For a model with an image field and a JSON field of its renditions.

    ``save()`` makes the renditions when a new image was uploaded: data of the
    same row, derived from the file that row names. If the save fails (the
    database refuses the row, an image cannot be resized), the files it
    stored are deleted again: nothing stays in the storage that no row names.
    """

    image_field_name = "image"
    renditions_field_name = "renditions"
    rendition_widths = RENDITION_WIDTHS

    def save(self, *args, **kwargs):
        new_files = [
            getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if isinstance(field, models.FileField)
        ]
        new_files = [file for file in new_files if file and not file._committed]
        new_image = self._image_is_new()
        old_renditions = getattr(self, self.renditions_field_name)
        try:
            with transaction.atomic(using=kwargs.get("using")):
                super().save(*args, **kwargs)
                self._refresh_renditions(new_image, old_renditions)
        except BaseException:
            for file in new_files:
                if file._committed:  # stored by this save under its new name
                    file.storage.delete(file.name)
            raise

    def _image_is_new(self):
        file = getattr(self, self.image_field_name)
        return bool(file) and not file._committed

    def _refresh_renditions(self, was_new, old_renditions):
        file = getattr(self, self.image_field_name)
        if was_new:
            renditions = make_renditions(file, self.rendition_widths)
        elif not file and old_renditions:
            renditions = {}
        else:
            return
        # The old renditions are deleted once this commits (OwnedFilesMixin).
        setattr(self, self.renditions_field_name, renditions)
        type(self).objects.filter(pk=self.pk).update(**{self.renditions_field_name: renditions})

    @property
    def rendition_web(self):
        return self.rendition("web")

    @property
    def rendition_thumb(self):
        return self.rendition("thumb")

    def rendition(self, label):
        data = (getattr(self, self.renditions_field_name) or {}).get(label)
        if not data:
            return None
        return Rendition(getattr(self, self.image_field_name).storage, data)
