"""Uploads: real images get renditions; anything else is refused and nothing is stored."""

import struct
import zlib
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, ArticleImage
from infra.images import MAX_IMAGE_BYTES
from magazine.models import Issue
from magazine.roles import EDITORS
from tests.admin_forms import page_form
from tests.pdf_files import pdf_bytes
from tests.test_editorial_admin import article_form, issue_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_user("bianji", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def stored_files(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def jpeg(width=1600, height=2200, name="cover.jpg"):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (180, 30, 20)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png_header_only(width, height):
    """A tiny PNG that declares an enormous image: a decompression bomb."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload_cover(client, issue, file):
    return client.post(
        f"/admin/magazine/issue/{issue.pk}/change/",
        {**issue_form(issue), "cover": file},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_valid_cover_is_stored_in_a_dated_folder_with_renditions(editor, media):
    issue = Issue.objects.create(year=2014, number=5)
    response = upload_cover(editor, issue, jpeg(name="../../etc/passwd 封面.jpg"))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.cover.name.startswith("covers/")
    assert "passwd" not in issue.cover.name and ".." not in issue.cover.name
    web, thumb = issue.rendition("web"), issue.rendition("thumb")
    assert (web.width, web.height) == (1200, 1650)
    assert (thumb.width, thumb.height) == (320, 440)
    files = stored_files(media)
    assert len(files) == 3 and all(f.startswith("covers/20") for f in files)
    with Image.open(media / issue.cover_renditions["thumb"]["name"]) as image:
        assert image.size == (320, 440)


def test_renditions_are_shown_with_their_size_on_public_pages(editor, media, client):
    issue = Issue.objects.create(year=2014, number=5)
    upload_cover(editor, issue, jpeg())
    issue.refresh_from_db()
    issue.publish()
    html = client.get("/issues/").content.decode()
    thumb = issue.rendition("thumb")
    assert f'src="{thumb.url}" width="320" height="440"' in html


def test_an_article_image_gets_renditions_and_alt_text_on_the_article_page(editor, media, client):
    issue = Issue.objects.create(year=2014, number=5)
    article = Article.objects.create(issue=issue, title="有图的文章", body="正文。")
    response = editor.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            **article_form(article),
            "images-TOTAL_FORMS": "1",
            "images-0-image": jpeg(2400, 1600, "photo.jpg"),
            "images-0-alt": "护林员在山路上巡查",
            "images-0-caption": "方国平在巡山",
            "images-0-position": "0",
        },
    )
    assert response.status_code == 302
    image = ArticleImage.objects.get()
    web = image.rendition("web")
    assert (web.width, web.height) == (1200, 800)
    issue.publish()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{web.url}" width="1200" height="800" alt="护林员在山路上巡查"' in html
    assert "<figcaption>方国平在巡山</figcaption>" in html


@pytest.mark.parametrize(
    "make_file, message",
    [
        (
            lambda: SimpleUploadedFile("cover.jpg", b"this is text, not a picture" * 10),
            "This file is not an image",
        ),
        (
            lambda: SimpleUploadedFile("bomb.png", png_header_only(60000, 60000)),
            "decompression bomb",
        ),
        (
            lambda: SimpleUploadedFile("huge.png", png_header_only(9000, 9000)),
            "the limit is 50 million pixels",
        ),
        (
            lambda: SimpleUploadedFile(
                "big.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (MAX_IMAGE_BYTES + 1)
            ),
            "the limit is 20 MB",
        ),
        (
            lambda: SimpleUploadedFile("image.bmp", _bmp()),
            "BMP images are not accepted",
        ),
    ],
    ids=["text-named-jpg", "decompression-bomb", "too-many-pixels", "oversized", "bmp"],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_is_stored(
    editor, media, make_file, message
):
    issue = Issue.objects.create(year=2014, number=5)
    response = upload_cover(editor, issue, make_file())
    assert response.status_code == 200
    assert message in response.content.decode()
    issue.refresh_from_db()
    assert not issue.cover
    assert stored_files(media) == []


def _bmp():
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    return buffer.getvalue()


def test_a_page_pdf_must_be_a_pdf(editor, media):
    issue = Issue.objects.create(year=2014, number=5)
    section = issue.sections.create(code="01", name="卷首语", position=1)
    data = page_form(section)
    response = editor.post(
        f"/admin/sections/section/{section.pk}/change/",
        {**data, "pdf": SimpleUploadedFile("page.pdf", b"<html>not a pdf</html>")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This file is not a PDF." in response.content.decode()
    response = editor.post(
        f"/admin/sections/section/{section.pk}/change/",
        {**data, "pdf": SimpleUploadedFile("page.pdf", pdf_bytes(1))},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.pdf.name.startswith("pdf/") and section.pdf.name.endswith(".pdf")


def test_replacing_a_cover_removes_the_old_one_and_its_renditions_once_saved(
    editor, media, django_capture_on_commit_callbacks
):
    issue = Issue.objects.create(year=2014, number=5)
    upload_cover(editor, issue, jpeg())
    issue.refresh_from_db()
    old = [rendition["name"] for rendition in issue.cover_renditions.values()]
    with django_capture_on_commit_callbacks(execute=True):
        upload_cover(editor, issue, jpeg(800, 1000))
    issue.refresh_from_db()
    assert not any((media / name).exists() for name in old)
    assert issue.rendition("web").width == 800


# A truncated image, and files left behind by a failed save


def half_a_jpeg(name="scan.jpg"):
    buffer = BytesIO()
    Image.effect_noise((1200, 1600), 64).convert("RGB").save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return SimpleUploadedFile(name, data[: len(data) // 2], content_type="image/jpeg")


def test_half_a_jpeg_as_a_page_scan_is_refused_and_nothing_is_stored(editor, media):
    issue = Issue.objects.create(year=2014, number=5)
    section = issue.sections.create(code="01", name="卷首语", position=1)
    response = editor.post(
        f"/admin/sections/section/{section.pk}/change/",
        page_form(section, scan=half_a_jpeg()),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "it is damaged" in response.content.decode()  # as the editor reads it
    section.refresh_from_db()
    assert not section.scan
    assert stored_files(media) == []


def test_half_a_jpeg_as_a_cover_is_refused_too(editor, media):
    issue = Issue.objects.create(year=2014, number=5)
    response = upload_cover(editor, issue, half_a_jpeg("cover.jpg"))
    assert response.status_code == 200 and "it is damaged" in response.content.decode()
    from django.core.exceptions import ValidationError

    from infra.images import inspect_image

    with pytest.raises(ValidationError):
        inspect_image(half_a_jpeg())
    assert stored_files(media) == []


def test_a_save_that_fails_after_storing_the_file_deletes_it(media):
    # The shell's route, which no form validates: the file is stored, its
    # renditions cannot be made, and the save fails with nothing left behind.
    issue = Issue.objects.create(year=2014, number=5)
    section = issue.sections.create(code="01", name="卷首语", position=1)
    section.scan = half_a_jpeg()
    with pytest.raises(OSError, match="truncated"):
        section.save()
    assert stored_files(media) == []
    section.refresh_from_db()
    assert not section.scan


def test_a_save_the_database_refuses_deletes_the_stored_file(media):
    from django.db import IntegrityError

    issue = Issue.objects.create(year=2014, number=5)
    issue.sections.create(code="01", name="卷首语", position=1)
    duplicate = issue.sections.model(issue=issue, code="01", name="卷首语", position=2)
    duplicate.scan = jpeg(name="scan.jpg")
    with pytest.raises(IntegrityError):
        duplicate.save()
    assert stored_files(media) == []


def test_the_change_forms_show_what_was_uploaded(editor, media):
    issue = Issue.objects.create(year=2014, number=5)
    upload_cover(editor, issue, jpeg())
    issue.refresh_from_db()
    html = editor.get(f"/admin/magazine/issue/{issue.pk}/change/").content.decode()
    assert f'src="{issue.rendition("thumb").url}"' in html
    section = issue.sections.create(code="01", name="卷首语", position=1)
    section.scan = jpeg(name="scan.jpg")
    section.save()
    html = editor.get(f"/admin/sections/section/{section.pk}/change/").content.decode()
    # The page's form shows the scan at web size, to draw its article areas on.
    assert f'<img class="area-editor__scan" src="{section.rendition("web").url}"' in html
    # ...and the issue's pages table shows each page's scan too.
    html = editor.get(f"/admin/magazine/issue/{issue.pk}/change/").content.decode()
    assert html.count(f'src="{section.rendition("thumb").url}"') == 1


def test_uploads_are_served_in_development_and_not_in_production(client, media, settings):
    (media / "covers").mkdir(parents=True)
    (media / "covers" / "a.jpg").write_bytes(jpeg().read())
    settings.DEBUG = True
    response = client.get("/media/covers/a.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get("/media/../settings.py").status_code in (400, 404)  # never the file
    settings.DEBUG = False
    assert client.get("/media/covers/a.jpg").status_code == 404
