"""The Chinese UI is complete: every reader page and admin page, walked in zh-hans,
shows none of the project's English source strings and no run of English words."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleArea, Author
from jobs.models import Job, JobKind
from magazine.models import Correction, Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.admin_forms import unchanged_post_data
from tests.review_chain import signed_through
from tests.test_translations import PO_FILE, po_entries

pytestmark = pytest.mark.django_db

# Words that are Chinese readers' and editors' words too.
ALLOWED = {
    "PDF",
    "RSS",
    "Atom",
    "ID",
    "URL",
    "HTML",
    "JSON",
    "OK",
    "zip",
    "txt",
    "JPEG",
    "PNG",
    "WebP",
    "GIF",
}
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'’-]+[A-Za-z][a-z]+){2,}\b")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S)
ATTRIBUTES = re.compile(r'\b(?:title|alt|aria-label|placeholder|value)="([^"]*)"')


def visible_text(page):
    """What a reader sees and hears: text between tags and the attributes spoken aloud."""
    page = TAGS.sub(" ", page)
    spoken = [html.unescape(value) for value in ATTRIBUTES.findall(page)]
    # Values of inputs are the user's data except on buttons.
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    buttons = re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page)
    return " ".join([text, *[s for s in spoken if s in buttons or not s.isdigit()]])


def catalogue_phrases():
    """The English of the project's catalogue, cut at its placeholders: the pieces of
    two words or more (a lone word may be a name, a code or Chinese UI's own)."""
    phrases = set()
    for msgid, msgstr, _context in po_entries(PO_FILE):
        if not msgstr or msgstr == msgid:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>|[“”\"():;.…,?!]", msgid):
            piece = piece.strip()
            if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
                phrases.add(piece)
    return phrases


def english_in(page, phrases):
    text = " ".join(visible_text(page).split())
    found = {phrase for phrase in phrases if phrase in text}
    found |= {
        run
        for run in ENGLISH_RUN.findall(text)
        if not all(word in ALLOWED for word in re.findall(r"[A-Za-z]+", run))
    }
    return sorted(found)


@pytest.fixture
def magazine(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    issue = Issue.objects.create(year=2015, number=3, cumulative_number=88)
    Section.objects.merge(
        issue, [("0001", "封面"), ("01", "卷首语"), ("02", "本期策划"), ("03", "本期策划")]
    )
    page = issue.sections.get(code="02")
    placed = Article(
        issue=issue,
        section=page,
        kicker="引题",
        title="城市的河",
        subtitle="副题",
        byline="文/沈嘉禾",
        body="城市的河流过老街。\n第二段。",
    )
    placed.save_and_index()
    unplaced = Article(issue=issue, title="未排版的稿子", byline="本刊记者 陈晓", body="正文。")
    unplaced.save_and_index()
    ArticleArea.objects.create(article=placed, section=page, x=0.1, y=0.1, w=0.5, h=0.3)
    issue.publish(at=timezone.now() - datetime.timedelta(days=1))
    draft = Issue.objects.create(year=2015, number=4)
    Section.objects.merge(draft, [("01", "卷首语")])
    return {"issue": issue, "draft": draft, "page": page, "article": placed}


@pytest.mark.parametrize(
    "prefix, language", [("", "zh-hans"), ("/zh-hant", "zh-hant")], ids=["简体", "繁體"]
)
def test_reader_pages_speak_chinese(client, magazine, prefix, language):
    issue, page, article = magazine["issue"], magazine["page"], magazine["article"]
    phrases = catalogue_phrases()
    urls = [
        "/",
        "/issues/",
        "/issues/?year=2015",
        issue.get_absolute_url(),
        page.get_absolute_url(),
        article.get_absolute_url(),
        "/search/?q=河",
        "/search/?q=没有这个词",
        "/search/?author=沈嘉禾",
        reverse("authors:detail", kwargs={"name": "沈嘉禾"}),
        "/authors/",
        "/issues/2015/",
        "/issues/2099/1/",  # 404
        "/articles/999999/",  # 404
    ]
    found = {}
    for url in urls:
        response = client.get(prefix + url)
        assert response.status_code in (200, 404), url
        assert response["Content-Language"] == language, url
        if english := english_in(response.content.decode(), phrases):
            found[url] = english
    assert found == {}
    # The unplaced articles' heading
    assert ("本期還有" if prefix else "本期还有") in client.get(prefix + "/").content.decode()


def logged_in(role):
    user = User.objects.create_user(role, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name={"editor": EDITORS, "chief": CHIEF_EDITORS}[role]))
    client = Client()
    client.force_login(user)
    return client, user


def admin_urls(magazine):
    issue, draft, page, article = (magazine[k] for k in ("issue", "draft", "page", "article"))
    objects = {
        "magazine_issue": issue,
        "sections_section": page,
        "articles_article": article,
        "articles_author": Author.objects.first(),
    }
    urls = ["/admin/", "/admin/password_change/"]
    for name, obj in objects.items():
        urls += [
            reverse(f"admin:{name}_changelist"),
            reverse(f"admin:{name}_add"),
            reverse(f"admin:{name}_change", args=[obj.pk]),
            reverse(f"admin:{name}_delete", args=[obj.pk]),
        ]
        if name != "articles_author":
            urls.append(reverse(f"admin:{name}_history", args=[obj.pk]))
    urls += [
        reverse(f"admin:{n}_changelist")
        for n in ("magazine_correction", "jobs_job", "magazine_reviewlevel", "articles_wrongword")
    ]
    for view in ("import", "print_pdf", "scans", "contents", "proofing", "publish", "withdraw"):
        urls.append(reverse(f"admin:magazine_issue_{view}", args=[issue.pk]))
    urls += [
        reverse("admin:magazine_issue_change", args=[draft.pk]),
        reverse("admin:magazine_issue_publish", args=[draft.pk]),
        "/admin/articles/article/?placed=no",
        f"/admin/articles/article/?issue__id__exact={issue.pk}",
        "/admin/magazine/issue/?review=submitted",
    ]
    job = Job.objects.filter(kind=JobKind.IMPORT).first()
    if job is not None:
        urls.append(reverse("admin:jobs_job_change", args=[job.pk]))
    return urls


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_admin_pages_speak_chinese(magazine, role):
    client, user = logged_in(role)
    issue, article = magazine["issue"], magazine["article"]
    # Something on every list: a review step, a correction, a job, a deleted page.
    editor = User.objects.create_user("bianji2", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    magazine["draft"].submit_for_review(editor, "请审")
    signed_through(magazine["draft"])  # on to 终审: the chief editor's publish page opens
    Correction.objects.create(
        issue=issue,
        content_type=ContentType.objects.get_for_model(article),
        object_id=article.pk,
        what="文章 城市的河",
        change="changed",
        user=editor,
    )
    Job.objects.create(
        kind=JobKind.IMPORT, title="导入文稿", permission="articles.add_article", created_by=user
    )
    gone = Section.objects.create(issue=issue, code="99", name="删掉的版")
    gone._history_user = user
    gone.delete()
    phrases = catalogue_phrases()
    found = {}
    for url in admin_urls(magazine):
        response = client.get(url)
        if response.status_code == 403:
            continue  # not this role's page (the editor's corrections list)
        assert response.status_code == 200, url
        if english := english_in(response.content.decode(), phrases):
            found[url] = english
    assert found == {}


def test_the_walk_finds_english_when_there_is_some():
    phrases = catalogue_phrases()
    assert "Also in this issue" in phrases
    assert "Also in this issue" in english_in("<h3>Also in this issue</h3>", phrases)
    assert english_in('<input type="submit" value="Save and continue editing">', phrases)
    assert english_in("<p>本期还有 PDF</p>", phrases) == []


def post_form(client, url, changes):
    data = unchanged_post_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_form_errors_name_what_is_wrong_in_chinese(magazine):
    client, _user = logged_in("editor")
    issue = magazine["issue"]
    phrases = catalogue_phrases()
    add = reverse("admin:magazine_issue_add")
    duplicate = client.post(
        add,
        {"year": "2015", "number": "3", "sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0"},
    )
    page = duplicate.content.decode()
    link = reverse("admin:magazine_issue_change", args=[issue.pk])
    assert f'2015年第3期已经存在。 <a href="{link}">打开这一期</a>' in page
    assert Issue.objects.filter(year=2015, number=3).count() == 1

    change = reverse("admin:magazine_issue_change", args=[issue.pk])
    not_a_list = post_form(client, change, {"page_list": "hello world"}).content.decode()
    assert "这不是版面列表" in not_a_list
    twice = post_form(client, change, {"page_list": "05版: 甲 05版: 乙"}).content.decode()
    assert "05版出现了两次，一次叫“甲”，一次叫“乙”。" in twice

    data = unchanged_post_data(client.get(change))
    data["sections-3-code"] = data["sections-2-code"]  # 03 becomes a second 02
    same_code = client.post(change, data).content.decode()
    assert "版面代码 02 用了两次（第 3 行和第 4 行）" in same_code
    assert "第 3 行已经用了这个代码。" in same_code
    assert list(issue.sections.values_list("code", flat=True)) == ["0001", "01", "02", "03"]
    for shown in (page, not_a_list, twice, same_code):
        assert english_in(shown, phrases) == []


def test_the_history_says_empty_and_deleted_pages_in_chinese(magazine):
    client, user = logged_in("editor")
    article, page = magazine["article"], magazine["page"]
    other = Section.objects.create(issue=magazine["issue"], code="04", name="文化")
    url = reverse("admin:articles_article_change", args=[article.pk])
    post_form(client, url, {"section": str(other.pk)})
    post_form(client, url, {"section": ""})
    other._history_user = user
    other.delete()
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    text = " ".join(visible_text(history.content.decode()).split())
    assert "（空）" in text and "已删除的版面（编号" in text
    assert "None" not in text and "pk=" not in text and str(page) in text
