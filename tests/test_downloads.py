"""The PDFs readers download say what they are: saved as 基层月刊-2015年第3期-01版.pdf
(RFC 6266's filename* for the Chinese name), their size beside the link, a draft's
not given to readers."""

import urllib.parse

import pytest
from django.utils import timezone

from infra import downloads
from magazine.models import Issue
from sections.models import Section
from tests import pdf_files
from tests.test_print_pdf import import_pdf, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def printed(tmp_path):
    issue = Issue.objects.create(year=2015, number=3)
    Section.objects.merge(issue, [("0001", "封面"), ("01", "卷首语")])
    import_pdf(write(tmp_path, pdf_files.pdf_bytes(2)), "--no-areas")
    issue.refresh_from_db()
    return issue


def saved_as(response):
    if response.streaming:
        b"".join(response.streaming_content)  # read to its end, the file is closed
    said = response["Content-Disposition"]
    assert said.startswith("attachment; ")
    encoded = said.split("filename*=utf-8''", 1)[1]
    return urllib.parse.unquote(encoded)


def test_issue_and_page_pdfs_are_attachments_named_for_what_they_are(client, printed):
    printed.publish()
    issue_pdf = client.get("/issues/2015/3/pdf/")
    assert issue_pdf["Content-Type"] == "application/pdf"
    assert issue_pdf["Content-Disposition"].endswith(
        "''%E5%9F%BA%E5%B1%82%E6%9C%88%E5%88%8A-2015%E5%B9%B4%E7%AC%AC3%E6%9C%9F.pdf"
    )
    body = b"".join(issue_pdf.streaming_content)
    assert saved_as(issue_pdf) == "基层月刊-2015年第3期.pdf"
    assert body.startswith(b"%PDF-") and len(body) == printed.pdf_size
    cover = client.get("/issues/2015/3/pages/0001/pdf/")
    assert saved_as(cover) == "基层月刊-2015年第3期-封面.pdf"
    assert saved_as(client.get("/issues/2015/3/pages/01/pdf/")) == "基层月刊-2015年第3期-01版.pdf"
    # Under /zh-hant/ too, the file keeps the site's name.
    assert saved_as(client.get("/zh-hant/issues/2015/3/pdf/")) == "基层月刊-2015年第3期.pdf"


def test_the_links_go_to_the_named_downloads_with_their_size(client, printed):
    printed.publish()
    page = Section.objects.get(issue=printed, code="01")
    assert page.pdf_size == page.pdf.size > 0
    html = client.get("/issues/2015/3/pages/01/").content.decode()
    assert 'href="/issues/2015/3/pages/01/pdf/" download' in html
    assert 'href="/issues/2015/3/pdf/" download' in html
    assert f'<span class="download-size">{downloads.approximate_size(page.pdf_size)}' in html
    assert page.pdf.url not in html  # the stored file's random name is not the link


def test_a_draft_issues_pdfs_are_not_found_by_readers(client, printed):
    assert client.get("/issues/2015/3/pdf/").status_code == 404
    assert client.get("/issues/2015/3/pages/01/pdf/").status_code == 404
    printed.publish(timezone.now() + timezone.timedelta(days=1))  # scheduled: not yet
    assert client.get("/issues/2015/3/pdf/").status_code == 404


def test_a_page_without_a_pdf_has_no_download(client):
    issue = Issue.objects.create(year=2015, number=4, published_at=timezone.now())
    Section.objects.merge(issue, [("01", "卷首语")])
    assert client.get("/issues/2015/4/pages/01/pdf/").status_code == 404
    assert client.get("/issues/2015/4/pdf/").status_code == 404


@pytest.mark.parametrize(
    ("size", "said"),
    [(None, ""), (300, "约 1 KB"), (480_000, "约 469 KB"), (2_400_000, "约 2.3 MB")],
)
def test_sizes_are_said_roughly(size, said):
    assert downloads.approximate_size(size) == said


def test_a_name_keeps_no_character_a_file_system_refuses(settings):
    settings.MAGAZINE_NAME = "基层/月刊: 特刊"
    issue = Issue(year=2015, number=3)
    assert downloads.file_name(issue, "01版") == "基层-月刊- 特刊-2015年第3期-01版.pdf"
