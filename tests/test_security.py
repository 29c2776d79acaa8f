"""Security by default: headers, login lockout, CSRF, upload limits, hostile addresses."""

import datetime
import os
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from articles.models import Article
from magazine.models import Issue
from magazine.roles import EDITORS
from sections.models import Section
from tests.test_uploads import jpeg, stored_files

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2014, number=5, published_at=timezone.now())
    page = Section.objects.create(issue=issue, code="10", name="本期策划", position=1)
    Article(
        issue=issue, section=page, title="老街新生", byline="文/王芳", body="第一段。"
    ).save_and_index()
    return issue


@pytest.fixture
def editor_account():
    user = User.objects.create_user("bianji", password="right-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# Headers


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from-cache"])
def test_public_pages_carry_the_security_headers(client, issue, cached):
    for url in ["/", issue.get_absolute_url(), issue.articles.get().get_absolute_url()]:
        response = client.get(url)
        if cached:
            response = client.get(url)
            assert response["X-Page-Cache"] == "hit"
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in directives["default-src"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_admin_pages_carry_the_security_headers(client, editor_account):
    for response in [client.get(LOGIN), _logged_in(client, editor_account).get("/admin/")]:
        assert response.status_code == 200
        assert policy(response)["script-src"] == ["'self'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script():
    """The policy forbids inline scripts, so none may be written: only data blocks."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for template in root.glob("templates/**/*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag or "application/ld+json" in tag, (template, tag)


def _logged_in(client, user):
    client.force_login(user)
    return client


# Login lockout (django-axes)


def _attempt(client, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": "bianji", "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_from_that_address_until_unlocked(client, editor_account):
    for _ in range(4):
        assert _attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = _attempt(client, "wrong")
    assert locked.status_code == 429
    assert "账户已锁定" in locked.content.decode()
    # Even the right password is refused now, and no session is opened.
    refused = _attempt(client, "right-password-1")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out for this user.
    other = Client()
    assert _attempt(other, "right-password-1", address="10.0.0.2").status_code == 302

    call_command("axes_reset_username", "bianji", verbosity=0)
    assert _attempt(client, "right-password-1").status_code == 302
    assert client.session["_auth_user_id"] == str(editor_account.pk)


def test_a_success_clears_the_failures(client, editor_account):
    for _ in range(4):
        _attempt(client, "wrong")
    assert _attempt(client, "right-password-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert _attempt(client, "wrong").status_code == 200  # counted afresh, not locked


def test_lockout_page_says_why_in_chinese(client, editor_account):
    for _ in range(5):
        response = _attempt(client, "wrong")
    html = response.content.decode()
    assert response.status_code == 429
    assert "账户已锁定" in html and "axes_reset_username" in html


# CSRF


def test_admin_posts_without_the_csrf_token_are_refused_and_change_nothing(editor_account):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_account)
    response = client.post("/admin/magazine/issue/add/", {"year": 2015, "number": 1})
    assert response.status_code == 403
    assert not Issue.objects.exists()
    login = Client(enforce_csrf_checks=True).post(
        LOGIN, {"username": "bianji", "password": "right-password-1"}
    )
    assert login.status_code == 403


# Uploads


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(
    client, editor_account, media, settings
):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    client.force_login(editor_account)
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    buffer = BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    assert buffer.tell() > settings.MAX_REQUEST_BYTES
    cover = SimpleUploadedFile("cover.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(
        "/admin/magazine/issue/add/", {"year": 2015, "number": 1, "cover": cover}
    )
    assert response.status_code == 413
    assert response.content.decode().count("\n") == 0  # one line
    assert "1 MB" in response.content.decode()
    assert not Issue.objects.exists()
    assert stored_files(media) == [] if media.exists() else True


def test_an_unreadable_content_length_is_a_400(client):
    response = client.generic("POST", "/search/", b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["cover.html", "cover.svg", "cover.php", "cover"])
def test_an_image_is_stored_under_the_extension_of_what_it_is(client, editor_account, media, name):
    client.force_login(editor_account)
    response = client.post(
        "/admin/magazine/issue/add/",
        {
            "year": 2015,
            "number": 1,
            "cover": jpeg(400, 400, name=name),
            "cover_alt": "封面",
            "sections-TOTAL_FORMS": 0,
            "sections-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    stored = stored_files(media)
    assert stored and all(path.endswith(".jpg") for path in stored), stored


def test_uploaded_names_are_replaced_by_random_ones(client, editor_account, media):
    client.force_login(editor_account)
    evil = jpeg(400, 400, name="../../<script>x</script>.jpg")
    response = client.post(
        "/admin/magazine/issue/add/",
        {
            "year": 2015,
            "number": 1,
            "cover": evil,
            "cover_alt": "封面",
            "sections-TOTAL_FORMS": 0,
            "sections-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    name = Issue.objects.get().cover.name
    assert ".." not in name and "<" not in name and "script" not in name
    assert name.startswith("covers/") and name.endswith(".jpg")


# Hostile addresses: 404 or 400, never 500


@pytest.mark.parametrize(
    "url",
    [
        "/issues/2014/5/pages/../../etc/passwd/",
        "/issues/2014/5/pages/%2e%2e%2f%2e%2e%2fetc/",
        "/issues/2014/5/pages/%00/",
        "/issues/2014/5/pages/" + "9" * 300 + "/",
        "/issues/0/0/",
        "/issues/2014/0/",
        "/issues/" + "9" * 40 + "/1/",
        "/articles/0/",
        "/articles/1e9/",
        "/articles/%F0%9F%98%80/",
        "/articles/" + "9" * 400 + "/",
        "/authors/%00/",
        "/authors/" + "王" * 500 + "/",
        "/issues/?year=" + "9" * 50,
        "/issues/?year[]=1",
        "/search/?q=" + "干部" * 600,
        "/search/?q=%00",
        "/search/?q=a&page=" + "9" * 50,
        "/search/?q=a&page=-1",
        "/search/?issue=2014-" + "9" * 40,
        "/search/?year=abc&sort=evil",
        "/search/?author=" + "%FF" * 10,
        "/search/?author=%00",
        "/search/?section=%00&issue=%00",
        "/authors/%01x/",
        "/feeds/latest/?page=abc",
        "/sitemap.xml?p=" + "9" * 40,
        "/sitemap.xml?p=abc",
    ],
)
def test_hostile_addresses_get_404_or_400_never_500(client, issue, url):
    assert client.get(url).status_code in (200, 400, 404), url


# Drafts stay invisible everywhere


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_an_unpublished_issue_is_on_no_public_surface(client, issue, state):
    hidden = Issue.objects.create(year=2014, number=6)
    if state == "scheduled":
        hidden.publish(at=timezone.now() + datetime.timedelta(days=1))
    page = Section.objects.create(issue=hidden, code="01", name="秘密版面", position=1)
    secret = Article(
        issue=hidden, section=page, title="未发表的秘密", byline="文/隐身作者", body="秘密正文。"
    )
    secret.save_and_index()
    for url in [
        "/",
        "/issues/",
        "/issues/?year=2014",
        "/search/?q=%E7%A7%98%E5%AF%86",  # 秘密
        "/search/?author=%E9%9A%90%E8%BA%AB%E4%BD%9C%E8%80%85",
        "/search/?issue=2014-6",
        "/feeds/latest/",
        "/sitemap.xml",
        "/robots.txt",
    ]:
        body = client.get(url).content.decode()
        for text in ["未发表的秘密", "秘密正文", "秘密版面", "/issues/2014/6/"]:
            assert text not in body, url
        assert f"/articles/{secret.pk}/" not in body, url
    for url in [
        hidden.get_absolute_url(),
        page.get_absolute_url(),
        secret.get_absolute_url(),
        "/authors/%E9%9A%90%E8%BA%AB%E4%BD%9C%E8%80%85/",
    ]:
        assert client.get(url).status_code == 404, url


# The database going away


def test_a_view_that_loses_the_database_answers_503_with_retry_after(client, issue, monkeypatch):
    from django.db import OperationalError

    from reader.views import HomeView

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(HomeView, "get_context_data", lost)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "暂时无法访问" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    monkeypatch.undo()
    assert client.get("/").status_code == 200  # not kept in the page cache


# "View on site" and the login's fallback


def test_view_on_site_tells_a_staff_user_without_a_role_nothing(client):
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article

    draft = Issue.objects.create(year=2014, number=9)
    article = Article.objects.create(issue=draft, title="草稿文章", body="正文。")
    article_type = ContentType.objects.get_for_model(Article)
    client.force_login(User.objects.create_user("staff-only", password="pw", is_staff=True))
    existing = client.get(f"/admin/r/{article_type.pk}/{article.pk}/")
    missing = client.get(f"/admin/r/{article_type.pk}/999999/")
    assert existing.status_code == missing.status_code == 404
    issue_type = ContentType.objects.get_for_model(Issue)
    assert client.get(f"/admin/r/{issue_type.pk}/{draft.pk}/").status_code == 404
    assert client.get("/admin/r/999999/1/").status_code == 404


def test_view_on_site_takes_an_editor_to_the_preview(client, editor_account):
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article

    draft = Issue.objects.create(year=2014, number=9)
    article = Article.objects.create(issue=draft, title="草稿文章", body="正文。")
    client.force_login(editor_account)
    response = client.get(f"/admin/r/{ContentType.objects.get_for_model(Article).pk}/{article.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(f"/articles/{article.pk}/")
    assert client.get(response["Location"]).status_code == 200  # the marked preview


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_after_login_an_unsafe_next_falls_back_to_the_dashboard(client, editor_account, unsafe):
    response = client.post(
        f"/admin/login/?next={unsafe}", {"username": "bianji", "password": "right-password-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200
