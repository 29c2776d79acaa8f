"""Importing an issue's text files from the admin: upload, dry run, confirm, a job.

The same domain code as ``import_text`` runs in the jobs (one transaction a
file, the history attributed to the editor who confirmed); the upload is
checked whole before anything is kept, and hostile uploads are refused with
one line and leave nothing behind.
"""

import io
import stat
import zipfile

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import batches
from articles.models import Article
from jobs.models import Job, JobKind, JobState
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.jobs_helpers import run_jobs
from tests.textfiles import article_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def jobs_queued_at_once(monkeypatch):
    """A job's task is queued when the transaction that made the job commits; a test's
    transaction never commits, so here it is queued at once."""
    from jobs import registry

    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())


def login(client, username, group=None):
    user = User.objects.create_user(username, password="pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    return login(client, "bianji", EDITORS)


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划")])
    return issue


def txt(name, **fields):
    return SimpleUploadedFile(name, article_bytes(**fields), content_type="text/plain")


def zip_upload(members, name="batch.zip", symlinks=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        for member, target in symlinks:
            info = zipfile.ZipInfo(member)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def upload(client, issue, files, **options):
    return client.post(f"/admin/magazine/issue/{issue.pk}/import/", {"files": files, **options})


def kept_files():
    store = batches.storage()
    if not store.exists(batches.FOLDER):
        return []
    folders, _ = store.listdir(batches.FOLDER)
    return [name for folder in folders for name in batches.names(folder)]


def state():
    return (
        list(Article.objects.values_list("title", flat=True)),
        list(Section.objects.values_list("code", flat=True)),
    )


BAD = SimpleUploadedFile("bad.txt", b"\x00\x01 not an article", content_type="text/plain")


def test_dry_run_lists_each_file_and_writes_nothing_then_the_import_imports(client, editor, issue):
    before = state()
    response = upload(
        client, issue, [txt("a.txt", title="护林员的四季"), txt("b.txt", title="一条溪流"), BAD]
    )
    check = Job.objects.get(kind=JobKind.IMPORT_CHECK)
    assert response.status_code == 302 and response["Location"].endswith(f"/{check.pk}/change/")
    assert check.state == JobState.QUEUED and check.created_by == editor
    run_jobs()
    check.refresh_from_db()
    assert check.state == JobState.DONE
    lines = list(check.lines.values_list("status", "text"))
    assert [status for status, _ in lines] == ["imported", "imported", "refused"]
    assert "bad.txt: " in lines[2][1] and "control character" in lines[2][1]
    assert check.summary.startswith("Dry run") or "试运行" in check.summary
    assert state() == before  # nothing written
    page = client.get(f"/admin/jobs/job/{check.pk}/change/").content.decode()
    assert "护林员的四季" in page and "bad.txt" in page
    assert f'action="/admin/jobs/job/{check.pk}/confirm/"' in page

    confirmed = client.post(f"/admin/jobs/job/{check.pk}/confirm/")
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert confirmed["Location"].endswith(f"/{job.pk}/change/")
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total == 3
    statuses = sorted(job.lines.values_list("status", flat=True))
    assert statuses == ["imported", "imported", "refused"] and job.summary
    assert sorted(Article.objects.values_list("title", flat=True)) == ["一条溪流", "护林员的四季"]
    article = Article.objects.get(title="护林员的四季")
    assert article.history.get().history_user == editor  # attributed to who confirmed
    assert kept_files() == []  # the batch is gone with its import
    # A confirmed check cannot be confirmed twice (a second click, another editor in a
    # race): the second is told so and taken to the import, nothing queued again.
    again = client.post(f"/admin/jobs/job/{check.pk}/confirm/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 302 and again["Location"].endswith(f"/{job.pk}/change/")
    shown = client.get(again["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "confirmed already" in shown
    assert Job.objects.filter(kind=JobKind.IMPORT).count() == 1


def test_a_zip_with_page_folders_places_its_articles(client, editor, issue):
    members = {
        "2014-5/10/001.txt": article_bytes(title="策划一"),
        "2014-5/10/002.txt": article_bytes(title="策划二"),
        "2014-5/unplaced/003.txt": article_bytes(title="待排"),
        "2014-5/cover.jpg": b"\xff\xd8 not imported",
    }
    upload(client, issue, [zip_upload(members)])
    run_jobs()
    check = Job.objects.get(kind=JobKind.IMPORT_CHECK)
    texts = list(check.lines.values_list("text", flat=True))
    assert texts[0] == "skipped: 2014-5/cover.jpg: not a .txt file"
    batches.confirm(check, editor)
    run_jobs()
    placement = dict(Article.objects.values_list("title", "section__code"))
    assert placement == {"策划一": "10", "策划二": "10", "待排": None}
    page = issue.sections.get(code="10")
    assert list(page.articles.order_by("position").values_list("title", flat=True)) == [
        "策划一",
        "策划二",
    ]


def test_the_page_and_update_options_are_those_of_import_text(client, editor, issue):
    Article.objects.create(issue=issue, title="老文章", body="旧正文。")
    files = [txt("a.txt", title="老文章", paragraphs=["新正文。"]), txt("b.txt", title="新文章")]
    upload(client, issue, files, page="01", update="on")
    run_jobs()
    batches.confirm(Job.objects.get(kind=JobKind.IMPORT_CHECK), editor)
    run_jobs()
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert sorted(job.lines.values_list("status", flat=True)) == ["imported", "updated"]
    assert Article.objects.get(title="老文章").body == "新正文。"
    assert set(Article.objects.values_list("section__code", flat=True)) == {"01"}


def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * (50 * 1024 * 1024))  # 50 MB of one byte
    return SimpleUploadedFile("bomb.zip", buffer.getvalue())


def many_files():
    return zip_upload({f"{n:05d}.txt": b"x" for n in range(batches.MAX_FILES + 1)})


HOSTILE = {
    "zip-bomb": (lambda: [zip_bomb()], "zip bomb"),
    "path-leaving-the-zip": (
        lambda: [zip_upload({"../../etc/evil.txt": article_bytes()})],
        "leaves its folder",
    ),
    "absolute-path": (
        lambda: [zip_upload({"/etc/evil.txt": article_bytes()})],
        "leaves its folder",
    ),
    "symlink": (
        lambda: [zip_upload({"a.txt": article_bytes()}, symlinks=[("link.txt", "/etc/passwd")])],
        "symlink",
    ),
    "too-many-files": (lambda: [many_files()], "at most 5,000"),
    "damaged-zip": (lambda: [SimpleUploadedFile("x.zip", b"PK\x03\x04 broken")], "cannot be read"),
    "zip-and-text": (lambda: [zip_upload({"a.txt": article_bytes()}), txt("b.txt")], "not both"),
    "no-text-at-all": (lambda: [zip_upload({"a.jpg": b"\xff\xd8"})], "no .txt file"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_upload_is_refused_in_one_line_and_nothing_is_kept(client, editor, issue, case):
    make, message = HOSTILE[case]
    response = upload(client, issue, make())
    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert len(errors) == 1 and message in errors[0]
    assert not Job.objects.exists()
    assert kept_files() == []


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(
    client, editor, issue, settings
):
    settings.MAX_REQUEST_BYTES = 1000
    response = upload(client, issue, [txt("a.txt", paragraphs=["长" * 2000])])
    assert response.status_code == 413
    assert not Job.objects.exists() and kept_files() == []


def test_only_editors_and_chief_editors_may_import(client, issue):
    login(client, "nobody")
    assert client.get(f"/admin/magazine/issue/{issue.pk}/import/").status_code == 403
    assert upload(client, issue, [txt("a.txt")]).status_code == 403
    assert not Job.objects.exists()
    chief = client.__class__()
    login(chief, "zhubian", CHIEF_EDITORS)
    assert chief.get(f"/admin/magazine/issue/{issue.pk}/import/").status_code == 200


def test_nobody_reaches_an_uploaded_file_by_url(client, editor, issue, settings):
    upload(client, issue, [txt("a.txt", title="秘密")])
    (token,) = batches.storage().listdir(batches.FOLDER)[0]
    for url in (
        f"/media/{batches.FOLDER}/{token}/a.txt",
        f"/{batches.FOLDER}/{token}/a.txt",
        f"/jobs/{batches.FOLDER}/{token}/a.txt",
    ):
        settings.DEBUG = True  # even with uploads served in development
        assert client.get(url).status_code == 404
    settings.DEBUG = False


def test_a_staff_user_without_a_role_sees_no_job_and_no_confirm(client, editor, issue):
    upload(client, issue, [txt("a.txt")])
    run_jobs()
    check = Job.objects.get()
    nobody = client.__class__()
    login(nobody, "nobody")
    assert nobody.get(f"/admin/jobs/job/{check.pk}/change/").status_code in (302, 403, 404)
    assert nobody.post(f"/admin/jobs/job/{check.pk}/confirm/").status_code in (403, 404)
    listing = nobody.get("/admin/jobs/job/")
    assert listing.status_code == 200 and "a.txt" not in listing.content.decode()
    assert not Job.objects.filter(kind=JobKind.IMPORT).exists()
