"""Every PDF readers can download holds printed content only, whatever the upload
held, and a PDF no reader could read is refused before anything is drawn."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from pypdf import PdfReader

from infra import clean_pdf
from jobs.models import Job, JobState
from magazine.models import Issue
from sections import pdfs
from sections.models import Section
from tests import pdf_files
from tests.admin_forms import page_form
from tests.test_print_pdf import (
    import_pdf,
    nothing_kept,
    queued_at_once,  # noqa: F401  (a fixture)
    staff,
    upload,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2015, number=3)
    Section.objects.merge(issue, [("0001", "封面"), ("01", "卷首语"), ("02", "本期策划")])
    return issue


def test_a_page_pdf_uploaded_on_its_form_is_written_anew_without_scripts(client, issue):
    from magazine.roles import EDITORS

    staff(client, "bianji", EDITORS)
    page = issue.sections.get(code="01")
    hostile = pdf_files.with_every_script(pdf_files.pdf_bytes(1))
    response = client.post(
        f"/admin/sections/section/{page.pk}/change/",
        page_form(page, pdf=SimpleUploadedFile("page.pdf", hostile, "application/pdf")),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    with page.pdf.open("rb") as handle:
        served = handle.read()
    assert pdf_files.active_content(served) == set()
    assert len(PdfReader(io.BytesIO(served)).pages) == 1


def test_a_page_pdf_that_cannot_be_read_is_a_message_on_the_form(client, issue):
    from magazine.roles import EDITORS

    staff(client, "bianji", EDITORS)
    page = issue.sections.get(code="01")
    response = client.post(
        f"/admin/sections/section/{page.pk}/change/",
        page_form(page, pdf=SimpleUploadedFile("page.pdf", b"%PDF-1.7\n%only a header\n")),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The PDF is damaged and cannot be read" in response.content.decode()
    page.refresh_from_db()
    assert not page.pdf


def test_a_pdf_stored_by_code_is_written_anew_too(issue):
    page = issue.sections.get(code="01")
    page.pdf = SimpleUploadedFile("page.pdf", pdf_files.with_javascript(pdf_files.pdf_bytes(1)))
    page.save()
    with page.pdf.open("rb") as handle:
        assert pdf_files.active_content(handle.read()) == set()


def test_pdfs_stored_before_are_written_anew_by_the_migration(issue, settings):
    import importlib

    from django.apps import apps
    from django.core.files.storage import default_storage

    migration = importlib.import_module("sections.migrations.0007_rewrite_stored_pdfs")
    hostile = pdf_files.with_every_script(pdf_files.pdf_bytes(1))
    page = issue.sections.get(code="01")
    old = default_storage.save("pdf/2015/03/old.pdf", io.BytesIO(hostile))
    Section.objects.filter(pk=page.pk).update(pdf=old)
    Issue.objects.filter(pk=issue.pk).update(
        pdf=default_storage.save("pdf/issues/old.pdf", io.BytesIO(hostile))
    )
    migration.rewrite_stored_pdfs(apps, None)
    page.refresh_from_db()
    issue.refresh_from_db()
    assert not default_storage.exists(old)
    for download in (page.pdf, issue.pdf):
        with download.open("rb") as handle:
            assert pdf_files.active_content(handle.read()) == set()


@pytest.mark.usefixtures("queued_at_once")
def test_an_annotation_that_is_a_number_does_not_stop_the_upload(client, issue):
    from magazine.roles import EDITORS
    from tests.jobs_helpers import run_jobs

    staff(client, "bianji", EDITORS)
    odd = pdf_files.page_of_size(420, 595, annots=b"/Annots [5]")
    response = upload(client, issue, odd, first_page="02")
    assert response.status_code == 302
    run_jobs()
    assert Job.objects.get().state == JobState.DONE
    page = issue.sections.get(code="02")
    assert page.scan and page.pdf


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: pdf_files.many_pages(200_000), "declares more pages or objects"),
        (lambda: pdf_files.page_of_size(1500, 5), "Page 1 of the PDF is 1500×5 pt"),
        (lambda: pdf_files.page_of_size(5, 1500), "Page 1 of the PDF is 5×1500 pt"),
        (lambda: pdf_files.page_of_size(0, 595), "Page 1 of the PDF is 0×595 pt"),
    ],
    ids=["200000-pages", "wide-strip", "tall-strip", "no-width"],
)
def test_a_pdf_no_reader_could_read_is_refused_before_drawing(issue, tmp_path, data, message):
    with pytest.raises(CommandError) as refused:
        import_pdf(write(tmp_path, data()), "--first-page", "02")
    assert message in str(refused.value)
    assert "\n" not in str(refused.value).strip()
    assert nothing_kept(issue) and Job.objects.count() == 0


def test_the_upload_form_names_the_page_that_is_too_wide(client, issue):
    from magazine.roles import EDITORS

    staff(client, "bianji", EDITORS)
    response = upload(client, issue, pdf_files.page_of_size(1500, 5), first_page="02")
    assert response.status_code == 200
    assert "1500×5" in response.content.decode()
    assert Job.objects.count() == 0 and nothing_kept(issue)


def test_a_wide_page_that_reached_the_worker_is_refused_by_the_job(issue, tmp_path):
    """Object storage: the upload is checked by the job, which refuses it whole."""
    from django.core.files import File

    from sections import tasks

    with open(write(tmp_path, pdf_files.page_of_size(1500, 5)), "rb") as handle:
        job = tasks.registry.create(
            "print_pdf",
            "t",
            tasks.PDF_PERMISSION,
            None,
            {
                "issue": issue.key,
                "file": tasks.storages["jobs"].save("print-pdf/x.pdf", File(handle)),
                "first_page": "02",
            },
        )
    tasks.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "1500×5" in job.error
    assert nothing_kept(issue)


def test_drawing_never_makes_an_image_past_the_pixel_limit(monkeypatch):
    import pypdfium2

    monkeypatch.setattr(clean_pdf, "MAX_ASPECT", 1000)
    document = pypdfium2.PdfDocument(pdf_files.page_of_size(1500, 5))
    try:
        with pytest.raises(pdfs.PdfRefused, match="million pixels"):
            pdfs.render(document, 0)
    finally:
        document.close()
