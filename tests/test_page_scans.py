"""Page scans in bulk from the issue's admin page: images or a .zip named by page
code, checked whole, then given to their pages by a job, one line a file."""

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jobs.models import Job, JobKind, JobState
from magazine.models import Issue
from sections import scans
from sections.models import Section
from tests.jobs_helpers import run_jobs
from tests.test_uploads import jpeg, png_header_only

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued_at_once(monkeypatch, settings, tmp_path):
    from jobs import registry

    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2018, number=6)
    Section.objects.merge(issue, [("0001", "封面"), ("01", "卷首语"), ("02", "本期策划")])
    return issue


def post(client, issue, files):
    return client.post(f"/admin/magazine/issue/{issue.pk}/scans/", {"files": files})


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return SimpleUploadedFile("scans.zip", buffer.getvalue(), "application/zip")


def page(issue, code):
    return Section.objects.get(issue=issue, code=code)


def test_images_named_by_page_code_become_their_pages_scans(client, editor, issue):
    response = post(client, issue, [jpeg(400, 560, "0001.jpg"), jpeg(400, 560, "02.JPG")])
    job = Job.objects.get(kind=JobKind.SCANS)
    assert response.status_code == 302 and job.created_by == editor
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.done, job.total) == (2, 2), job.error
    cover, first, second = page(issue, "0001"), page(issue, "01"), page(issue, "02")
    assert cover.scan and second.scan and not first.scan
    assert second.rendition_thumb is not None
    assert second.history.first().history_user == editor
    assert not storages["jobs"].exists(f"{scans.FOLDER}/{job.options['token']}")


def test_a_zip_gives_each_its_page_and_lists_what_it_could_not(client, editor, issue):
    good = jpeg(300, 420, "x.jpg").read()
    upload = zipped(
        [
            ("01.jpg", good),
            ("scans/02.png", png_bytes()),
            ("77.jpg", good),
            ("0001.jpg", b"not an image at all"),
            ("readme.txt", b"notes"),
        ]
    )
    post(client, issue, [upload])
    run_jobs()
    job = Job.objects.get(kind=JobKind.SCANS)
    assert job.state == JobState.DONE, job.error
    lines = sorted(job.lines.values_list("status", "text"))
    assert ("refused", "refused: 77.jpg: the issue has no page '77'") in lines
    assert any(s == "refused" and t.startswith("refused: 0001.jpg: ") for s, t in lines)
    assert ("skipped", "skipped: readme.txt: not a JPEG, PNG, WebP or GIF file name") in lines
    assert page(issue, "01").scan and page(issue, "02").scan.name.endswith(".png")
    assert not page(issue, "0001").scan  # the damaged one wrote nothing


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), (10, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_decompression_bomb_is_that_files_line(client, editor, issue):
    post(client, issue, [SimpleUploadedFile("01.png", png_header_only(60000, 60000))])
    run_jobs()
    line = Job.objects.get(kind=JobKind.SCANS).lines.get()
    assert line.status == "refused" and "01.png" in line.text
    assert not page(issue, "01").scan


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ([("../01.jpg", b"x")], "a path in the .zip leaves its folder"),
        ([(f"{n:03d}.jpg", b"x") for n in range(301)], "a batch has at most 300"),
        ([("01.jpg", b"\0" * 30_000_000)], "looks like a zip bomb"),
        ([("readme.txt", b"x")], "there is no image in the upload"),
    ],
    ids=["path", "too-many", "bomb", "no-image"],
)
def test_a_hostile_zip_is_refused_whole(client, editor, issue, members, reason):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    response = post(client, issue, [SimpleUploadedFile("s.zip", buffer.getvalue())])
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Job.objects.exists()
    assert not any(section.scan for section in Section.objects.all())


def test_a_scan_replaces_only_its_pages_scan(client, editor, issue, settings):
    post(client, issue, [jpeg(300, 420, "01.jpg"), jpeg(300, 420, "02.jpg")])
    run_jobs()
    before = {code: page(issue, code).scan.name for code in ("01", "02")}
    post(client, issue, [jpeg(320, 440, "01.jpg")])
    run_jobs()
    assert page(issue, "02").scan.name == before["02"]
    assert page(issue, "01").scan.name != before["01"]
    assert page(issue, "01").scan.width == 320


def test_nobody_without_the_right_to_change_pages_uploads_scans(client, issue):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("guest", password="pw", is_staff=True))
    assert post(client, issue, [jpeg(100, 140, "01.jpg")]).status_code == 403
    assert not Job.objects.exists()
