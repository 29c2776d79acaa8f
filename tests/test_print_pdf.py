"""An issue's print PDF cut into pages and drawn: by ``import_pdf`` and by the job
the admin's upload queues. The PDFs are made here (tests/pdf_files.py), one
flat colour a page, so each scan shows which PDF page it came from."""

import io

import pytest
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from PIL import Image
from pypdf import PdfReader

from jobs.models import Job, JobState
from magazine.models import Issue
from sections import pdfs, tasks
from sections.models import Section
from tests import pdf_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def media_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2015, number=3)
    Section.objects.merge(issue, [("0001", "封面"), ("01", "卷首语"), ("02", "本期策划")])
    return issue


def write(tmp_path, data, name="issue.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_pdf(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_pdf",
        "--issue",
        "2015-3",
        str(path),
        *args,
        "--language",
        "en",
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def pages(issue):
    return list(Section.objects.filter(issue=issue).order_by("position", "id"))


def scan_colour(page):
    with page.scan.open("rb") as handle, Image.open(handle) as image:
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def nothing_kept(issue):
    return all(not page.scan and not page.pdf for page in pages(issue)) and not (
        Issue.objects.get(pk=issue.pk).pdf
    )


def test_each_pdf_page_becomes_its_page_in_order(
    issue, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, err = import_pdf(write(tmp_path, pdf_files.pdf_bytes(3)))
    assert err == ""
    assert "3 of 3 pages" in out
    for index, page in enumerate(pages(issue)):
        assert pdf_files.close_to(scan_colour(page), pdf_files.colour(index)), page.code
        assert page.scan.height == pdfs.RENDER_HEIGHT
        assert abs(page.scan.width - pdfs.RENDER_HEIGHT * 420 / 595) <= 1  # its proportions
        assert page.rendition_thumb is not None and page.rendition_web is not None
        assert page.rendition("zoom").width == page.scan.width  # under 2,000 px: as drawn
        with page.pdf.open("rb") as handle:
            assert len(PdfReader(handle).pages) == 1
    issue.refresh_from_db()
    with issue.pdf.open("rb") as handle:
        assert len(PdfReader(handle).pages) == 3
    job = Job.objects.get()
    assert job.state == JobState.DONE and (job.done, job.total) == (3, 3)
    lines = list(job.lines.order_by("number"))
    assert [line.status for line in lines] == ["imported"] * 3 + ["found"]
    assert "has no article yet: no area was looked for" in lines[-1].text
    assert not storages["jobs"].exists(job.options["file"])  # the upload is not kept


def test_a_pdf_of_another_length_is_refused_with_both_counts(issue, tmp_path):
    with pytest.raises(CommandError) as refused:
        import_pdf(write(tmp_path, pdf_files.pdf_bytes(2)))
    assert "The PDF has 2 pages and the issue 3" in str(refused.value)
    assert nothing_kept(issue)
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "2 pages" in job.error
    assert not storages["jobs"].exists(job.options["file"])


def test_a_partial_pdf_starts_at_the_page_given(issue, tmp_path):
    import_pdf(write(tmp_path, pdf_files.pdf_bytes(2)), "--first-page", "01")
    cover, first, second = pages(issue)
    assert not cover.scan and not cover.pdf
    assert pdf_files.close_to(scan_colour(first), pdf_files.colour(0))
    assert pdf_files.close_to(scan_colour(second), pdf_files.colour(1))


def test_a_partial_pdf_that_runs_past_the_last_page_is_refused(issue, tmp_path):
    with pytest.raises(CommandError, match="from page 02 on the issue has only 1"):
        import_pdf(write(tmp_path, pdf_files.pdf_bytes(2)), "--first-page", "02")
    assert nothing_kept(issue)


def test_a_first_page_the_issue_lacks_is_refused(issue, tmp_path):
    with pytest.raises(CommandError, match="no page 77"):
        import_pdf(write(tmp_path, pdf_files.pdf_bytes(1)), "--first-page", "77")
    assert nothing_kept(issue)


def test_a_reupload_replaces_only_the_pages_it_covers(
    issue, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_pdf(write(tmp_path, pdf_files.pdf_bytes(3)))
    before = {page.code: (page.scan.name, page.pdf.name) for page in pages(issue)}
    with django_capture_on_commit_callbacks(execute=True):
        import_pdf(write(tmp_path, pdf_files.pdf_bytes(1), "page-02.pdf"), "--first-page", "02")
    after = {page.code: (page.scan.name, page.pdf.name) for page in pages(issue)}
    assert after["0001"] == before["0001"] and after["01"] == before["01"]
    assert after["02"] != before["02"]
    assert pdf_files.close_to(scan_colour(pages(issue)[2]), pdf_files.colour(0))
    storage = Section._meta.get_field("scan").storage
    assert not storage.exists(before["02"][0]) and not storage.exists(before["02"][1])
    assert storage.exists(after["02"][0])
    issue.refresh_from_db()
    with issue.pdf.open("rb") as handle:
        assert len(PdfReader(handle).pages) == 3  # the whole issue again, page 02 new


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"Just some words, not a PDF at all.\n" * 20, "not a PDF"),
        (lambda: pdf_files.pdf_bytes(3)[:1500], "damaged"),
        (lambda: pdf_files.encrypted(pdf_files.pdf_bytes(3)), "encrypted with a password"),
    ],
    ids=["not-a-pdf", "damaged", "encrypted"],
)
def test_unusable_files_are_refused_with_the_reason(issue, tmp_path, make, message):
    with pytest.raises(CommandError) as refused:
        import_pdf(write(tmp_path, make()))
    assert message in str(refused.value)
    assert "\n" not in str(refused.value).strip()
    assert nothing_kept(issue)
    assert Job.objects.count() == 0  # refused before a job was made
    assert list(storages["jobs"].listdir(tasks.UPLOADS)[1]) == []


@pytest.mark.parametrize(
    "hostile",
    [pdf_files.with_javascript, pdf_files.with_attachment, pdf_files.with_every_script],
    ids=["open-action", "attachment", "every-place"],
)
@pytest.mark.parametrize("whole", [True, False], ids=["whole", "partial"])
def test_scripts_links_and_files_never_reach_readers(
    issue, tmp_path, hostile, whole, django_capture_on_commit_callbacks
):
    data = hostile(pdf_files.pdf_bytes(3 if whole else 2))
    assert pdf_files.active_content(data)  # the upload holds them
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = import_pdf(write(tmp_path, data), *([] if whole else ["--first-page", "01"]))
    assert "left out" in out
    issue.refresh_from_db()
    downloads = [issue.pdf, *(page.pdf for page in pages(issue) if page.pdf)]
    assert len(downloads) == (4 if whole else 3)
    for download in downloads:
        with download.open("rb") as handle:
            served = handle.read()
        assert pdf_files.active_content(served) == set(), download.name
        assert len(PdfReader(io.BytesIO(served)).pages) >= 1


def test_a_page_that_cannot_be_drawn_is_its_line_and_the_rest_goes_on(issue, tmp_path, monkeypatch):
    drawing = pdfs.render

    def render(document, index, height=pdfs.RENDER_HEIGHT):
        if index == 1:
            raise ValueError("broken content stream")
        return drawing(document, index, height)

    monkeypatch.setattr(pdfs, "render", render)
    with pytest.raises(CommandError, match="Some pages could not be drawn"):
        import_pdf(write(tmp_path, pdf_files.pdf_bytes(3)))
    cover, first, second = pages(issue)
    assert cover.scan and second.scan and not first.scan and not first.pdf
    line = Job.objects.get().lines.get(status="refused")
    assert line.text == "refused: page 01: cannot be drawn (ValueError: broken content stream)"


def test_a_job_that_dies_mid_way_leaves_whole_pages_and_resumes(
    issue, tmp_path, monkeypatch, settings
):
    replace = tasks.replace_files
    calls = []

    def dying(page, pdf, image, stored=None):
        calls.append(page.code)
        replace(page, pdf, image, stored)
        if page.code == "01" and calls.count("01") == 1:
            raise KeyboardInterrupt  # the worker stops inside the page's transaction

    monkeypatch.setattr(tasks, "replace_files", dying)
    with open(write(tmp_path, pdf_files.pdf_bytes(3)), "rb") as upload:
        job, _ = tasks.submit(issue, File(upload, name="issue.pdf"), queue=False)
    with pytest.raises(KeyboardInterrupt):
        tasks.run(job.pk)
    cover, first, second = pages(issue)
    assert cover.scan and cover.pdf
    # The cover's PDF, scan and three renditions; none of page 01's files.
    assert len(media_files(settings)) == 5
    assert not first.scan and not first.pdf and not second.scan  # page 01 rolled back whole
    assert list(Job.objects.get(pk=job.pk).lines.values_list("number", flat=True)) == [1]

    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED)  # as the reaper does
    tasks.run(job.pk)
    assert calls == ["0001", "01", "01", "02"]  # the cover was not drawn again
    assert all(page.scan and page.pdf for page in pages(issue))
    assert Job.objects.get(pk=job.pk).state == JobState.DONE


def staff(client, username, group):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def upload(client, issue, data, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/admin/magazine/issue/{issue.pk}/print-pdf/",
        {"pdf": SimpleUploadedFile("issue.pdf", data, "application/pdf"), **fields},
    )


@pytest.fixture
def queued_at_once(monkeypatch):
    from jobs import registry

    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())


def test_an_editor_uploads_the_pdf_and_a_job_cuts_it(client, issue, queued_at_once):
    from magazine.roles import EDITORS
    from tests.jobs_helpers import run_jobs

    editor = staff(client, "bianji", EDITORS)
    page = client.get(f"/admin/magazine/issue/{issue.pk}/change/")
    assert f"/admin/magazine/issue/{issue.pk}/print-pdf/" in page.content.decode()
    response = upload(client, issue, pdf_files.pdf_bytes(2), first_page="01")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    assert job.created_by == editor and job.state == JobState.QUEUED
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    cover, first, second = pages(issue)
    assert not cover.scan and first.scan and second.scan
    assert first.history.first().history_user == editor
    shown = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "01版：已生成版面图和 PDF" in shown  # in the editor's language


def test_the_upload_form_refuses_what_is_not_a_pdf_at_once(client, issue):
    from magazine.roles import EDITORS

    staff(client, "bianji", EDITORS)
    response = upload(client, issue, b"<html>not a pdf</html>")
    assert response.status_code == 200
    assert "这个文件不是 PDF。" in response.content.decode()
    assert Job.objects.count() == 0 and nothing_kept(issue)


def test_the_pdf_has_a_size_limit_of_its_own(client, issue, settings):
    from magazine.roles import EDITORS

    staff(client, "bianji", EDITORS)
    settings.ISSUE_PDF_MAX_BYTES = 1024 * 1024
    response = upload(client, issue, pdf_files.pdf_bytes(3) + b"%" * 1024 * 1024)
    assert response.status_code == 200
    assert "PDF 文件为 1.0 MB，上限为 1 MB。" in response.content.decode()
    assert Job.objects.count() == 0 and nothing_kept(issue)


def test_a_user_who_may_not_change_pages_cannot_upload(client, issue):
    from django.contrib.auth.models import User

    user = User.objects.create_user("guest", password="pw", is_staff=True)
    client.force_login(user)
    response = upload(client, issue, pdf_files.pdf_bytes(3))
    assert response.status_code == 403
    assert Job.objects.count() == 0
