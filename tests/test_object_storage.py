"""Media on S3-compatible object storage: a real S3 server (moto in server mode,
started here on loopback and stopped after), never a mocked client."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.test import override_settings

from jobs.models import Job, JobState
from magazine.models import Issue
from sections.models import Section
from tests import pdf_files

PROJECT = Path(__file__).resolve().parent.parent
BUCKET = "magazine-media"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}
PUBLIC_MEDIA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
        }
    ],
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_s3_server():
    """moto's S3 server on a free loopback port: (process, endpoint)."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1).read()
            return server, endpoint
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the S3 server (moto) did not start") from None
            time.sleep(0.2)


def stop_s3_server(server):
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def s3_server():
    server, endpoint = start_s3_server()
    try:
        yield endpoint
    finally:
        stop_s3_server(server)


def make_bucket(endpoint):
    client = boto3.client("s3", endpoint_url=endpoint, **{
        "aws_access_key_id": "testing", "aws_secret_access_key": "testing",
        "region_name": "us-east-1"})  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    # As the README sets a bucket up: media/ readable by anyone, jobs/ by no one.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_MEDIA))
    return client


@pytest.fixture
def bucket(s3_server):
    client = make_bucket(s3_server)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix=""):
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return sorted(item["Key"] for item in listed)


def object_storage_settings(settings, endpoint):
    """The settings DJANGO_S3_* make (config/settings.py), against ``endpoint``."""
    from botocore.config import Config

    options = {"bucket_name": BUCKET, "endpoint_url": endpoint, **KEYS}
    options["client_config"] = Config(connect_timeout=3, retries={"max_attempts": 2})
    return override_settings(
        STORAGES={
            **settings.STORAGES,
            "default": {
                "BACKEND": "infra.object_storage.MediaStorage",
                "OPTIONS": {
                    **options,
                    "location": "media",
                    "querystring_auth": False,
                    "file_overwrite": False,
                },
            },
            "jobs": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {**options, "location": "jobs", "default_acl": "private"},
            },
        }
    )


@pytest.fixture
def on_object_storage(settings, s3_server, bucket, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "no-media-here"
    with object_storage_settings(settings, s3_server):
        yield bucket
    assert not settings.MEDIA_ROOT.exists()  # nothing went to the local disk


@pytest.mark.django_db
def test_a_cover_and_its_renditions_go_to_the_bucket_and_readers_get_them(
    client, on_object_storage, s3_server
):
    from tests.test_uploads import jpeg

    issue = Issue.objects.create(year=2015, number=3)
    issue.cover = jpeg(1600, 2200, "封面.jpg")
    issue.save()
    issue.publish()
    stored = keys(on_object_storage, "media/covers/")
    # The original and its renditions, each under its own random name.
    assert stored == sorted(f"media/{r['name']}" for r in issue.cover_renditions.values())
    assert all("封面" not in key for key in stored)  # random names, nothing of the upload
    web = issue.rendition("web")
    assert web.url.startswith(f"{s3_server}/{BUCKET}/media/covers/")
    html = client.get("/").content.decode()
    assert web.url in html
    with urllib.request.urlopen(web.url) as answer:  # what a reader's browser fetches
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert answer.read(3) == b"\xff\xd8\xff"


@pytest.mark.django_db
def test_a_print_pdf_reaches_the_worker_through_the_bucket(
    client, on_object_storage, s3_server, monkeypatch
):
    from jobs import registry
    from magazine.roles import EDITORS
    from tests.jobs_helpers import run_jobs
    from tests.test_print_pdf import staff, upload

    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())
    issue = Issue.objects.create(year=2015, number=3)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "本期策划")])
    staff(client, "bianji", EDITORS)
    hostile = pdf_files.with_every_script(pdf_files.pdf_bytes(2))
    assert upload(client, issue, hostile).status_code == 302
    waiting = keys(on_object_storage, "jobs/")
    assert waiting  # the upload waits in the bucket, not on a web server's disk
    with pytest.raises(urllib.error.HTTPError) as refused:  # and nobody reads it from outside
        urllib.request.urlopen(f"{s3_server}/{BUCKET}/{waiting[0]}")
    assert refused.value.code == 403
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.error
    first, second = Section.objects.filter(issue=issue).order_by("position")
    for page in (first, second):
        assert page.scan and page.pdf
        assert f"media/{page.scan.name}" in keys(on_object_storage, "media/")
        assert f"media/{page.pdf.name}" in keys(on_object_storage, "media/")
    issue.refresh_from_db()
    names = [
        "基层月刊-2015年第3期.pdf",
        "基层月刊-2015年第3期-01版.pdf",
        "基层月刊-2015年第3期-02版.pdf",
    ]
    for download, name in zip((issue.pdf, first.pdf, second.pdf), names, strict=True):
        with urllib.request.urlopen(download.url) as answer:  # as a reader's browser gets it
            assert pdf_files.active_content(answer.read()) == set()
            # Saved under its name, from the object's own metadata.
            said = answer.headers["Content-Disposition"]
            assert said.startswith("attachment;") and urllib.parse.quote(name) in said
    assert issue.pdf_size == issue.pdf.size and first.pdf_size == first.pdf.size
    assert keys(on_object_storage, "jobs/") == []  # the waiting file is gone after the job


def test_the_settings_choose_object_storage_by_environment():
    from tests.test_production_ready import run

    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.STORAGES['default'], settings.STORAGES['jobs']['BACKEND'],"
        " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']], default=repr))"
    )
    store = {
        "DJANGO_S3_BUCKET": "mag",
        "DJANGO_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "DJANGO_S3_CUSTOM_DOMAIN": "media.example.cn",
        "DJANGO_S3_REGION": "cn-north-1",
    }
    result = run(["-c", code], DJANGO_DEBUG="1", **store)
    assert result.returncode == 0, result.stderr
    default, jobs_backend, images = json.loads(result.stdout)
    assert default["BACKEND"] == "infra.object_storage.MediaStorage"  # S3, named downloads
    assert jobs_backend == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "mag"
    assert default["OPTIONS"]["custom_domain"] == "media.example.cn"
    assert default["OPTIONS"]["querystring_auth"] is False  # plain addresses the cache keeps
    assert "https://media.example.cn" in images
    plain = run(["-c", code], DJANGO_DEBUG="1")
    assert json.loads(plain.stdout)[0]["BACKEND"].endswith("FileSystemStorage")


@pytest.mark.django_db
def test_an_admin_text_import_reaches_the_worker_through_the_bucket(
    client, on_object_storage, monkeypatch
):
    from articles.models import Article
    from jobs import registry
    from jobs.models import JobKind
    from magazine.roles import EDITORS
    from tests.jobs_helpers import run_jobs
    from tests.test_admin_import import txt, upload
    from tests.test_print_pdf import staff

    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())
    issue = Issue.objects.create(year=2014, number=5)
    Section.objects.merge(issue, [("01", "卷首语")])
    staff(client, "bianji", EDITORS)
    response = upload(client, issue, [txt("a.txt", title="护林员的四季")])
    assert response.status_code == 302
    assert keys(on_object_storage, "jobs/")  # the batch waits in the bucket
    run_jobs()
    check = Job.objects.get(kind=JobKind.IMPORT_CHECK)
    client.post(f"/admin/jobs/job/{check.pk}/confirm/")
    run_jobs()
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert job.state == JobState.DONE, job.error
    lines = list(job.lines.values_list("status", "text"))
    assert list(Article.objects.values_list("title", flat=True)) == ["护林员的四季"], lines
    assert keys(on_object_storage, "jobs/") == []  # gone with its import


@pytest.mark.django_db
def test_scans_in_bulk_reach_the_worker_through_the_bucket(client, on_object_storage, monkeypatch):
    from jobs import registry
    from jobs.models import JobKind
    from magazine.roles import EDITORS
    from tests.jobs_helpers import run_jobs
    from tests.test_page_scans import post
    from tests.test_print_pdf import staff
    from tests.test_uploads import jpeg

    monkeypatch.setattr(registry.transaction, "on_commit", lambda send, **kwargs: send())
    issue = Issue.objects.create(year=2018, number=6)
    Section.objects.merge(issue, [("01", "卷首语"), ("02", "本期策划")])
    staff(client, "bianji", EDITORS)
    assert post(client, issue, [jpeg(400, 560, "02.jpg")]).status_code == 302
    assert keys(on_object_storage, "jobs/")
    run_jobs()
    job = Job.objects.get(kind=JobKind.SCANS)
    assert job.state == JobState.DONE and job.done == 1, job.error
    scanned = Section.objects.get(issue=issue, code="02")
    assert f"media/{scanned.scan.name}" in keys(on_object_storage, "media/")
    assert keys(on_object_storage, "jobs/") == []


@pytest.mark.django_db
def test_with_the_store_down_readers_get_pages_and_uploads_fail_clearly_writing_nothing(
    client, settings, tmp_path
):
    from articles.models import Article
    from magazine.roles import EDITORS
    from tests.test_admin_import import txt
    from tests.test_admin_import import upload as upload_texts
    from tests.test_print_pdf import staff
    from tests.test_print_pdf import upload as upload_pdf
    from tests.test_uploads import jpeg

    server, endpoint = start_s3_server()
    try:
        make_bucket(endpoint)
        settings.MEDIA_ROOT = tmp_path / "no-media-here"
        with object_storage_settings(settings, endpoint):
            issue = Issue.objects.create(year=2015, number=3)
            issue.cover = jpeg(800, 1100, "cover.jpg")
            issue.save()
            issue.publish()
            Section.objects.merge(issue, [("01", "卷首语")])
            stop_s3_server(server)
            page = client.get("/")  # the cover's address is known: no store needed
            assert page.status_code == 200 and issue.rendition("web").url in page.text
            staff(client, "bianji", EDITORS)
            for response in (
                upload_texts(client, issue, [txt("a.txt", title="护林员的四季")]),
                upload_pdf(client, issue, pdf_files.pdf_bytes(1)),
            ):
                assert response.status_code == 503
                assert "无法连接文件存储（对象存储），因此什么也没有保存" in response.text
            assert not Job.objects.exists() and not Article.objects.exists()
            assert not Section.objects.filter(issue=issue).exclude(pdf="").exists()
    finally:
        if server.poll() is None:
            stop_s3_server(server)
    assert not settings.MEDIA_ROOT.exists()


@pytest.mark.django_db
def test_media_backs_up_from_the_bucket_and_restores_into_it_under_the_same_names(
    on_object_storage, tmp_path
):
    import io
    import tarfile

    from django.core.management import CommandError, call_command

    from tests.test_uploads import jpeg

    issue = Issue.objects.create(year=2015, number=3)
    issue.cover = jpeg(800, 1100, "cover.jpg")
    issue.save()
    before = {key: on_object_storage.get_object(Bucket=BUCKET, Key=key)["Body"].read()
              for key in keys(on_object_storage, "media/")}  # fmt: skip
    assert len(before) == len(issue.cover_renditions)
    archive = tmp_path / "media.tar.gz"
    call_command("export_media", str(archive), verbosity=0)
    for key in before:
        on_object_storage.delete_object(Bucket=BUCKET, Key=key)
    call_command("import_media", str(archive), verbosity=0)
    after = {key: on_object_storage.get_object(Bucket=BUCKET, Key=key)["Body"].read()
             for key in keys(on_object_storage, "media/")}  # fmt: skip
    assert after == before  # the names the database holds, the same bytes

    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as made:
        for name in ("covers/fine.jpg", "../outside.jpg"):
            info = tarfile.TarInfo(name)
            info.size = 3
            made.addfile(info, io.BytesIO(b"abc"))
    with pytest.raises(CommandError, match=r"'\.\./outside\.jpg' is not a media file's name"):
        call_command("import_media", str(bad), verbosity=0)
    assert keys(on_object_storage, "media/") == sorted(before)  # refused whole: nothing written
