"""The editorial admin over HTTP: roles, publication, pages, placing, preview, history."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles import placement
from articles.models import Article
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.admin_forms import signed_version
from tests.review_chain import signed_through

pytestmark = pytest.mark.django_db

ROLES = {"editor": EDITORS, "chief": CHIEF_EDITORS}


def login(client, role):
    user = User.objects.create_user(role, password="pw", is_staff=True)
    if role in ROLES:
        user.groups.add(Group.objects.get(name=ROLES[role]))
    client.force_login(user)
    return user


@pytest.fixture
def draft():
    issue = Issue.objects.create(year=2014, number=5)
    for position, (code, name) in enumerate([("01", "卷首语"), ("10", "本期策划")], start=1):
        Section.objects.create(issue=issue, code=code, name=name, position=position)
    for n in range(3):
        Article.objects.create(issue=issue, title=f"文章{n}", byline="文/王芳", body="正文。")
    # Passed by the levels before the last: its publication is the chief editor's.
    return signed_through(issue)


@pytest.fixture
def published(draft):
    draft.publish()
    return draft


def issue_form(issue=None, **fields):
    """The POST data of the issue change form, with its pages inline."""
    data = {
        "year": str(issue.year if issue else 2014),
        "number": str(issue.number if issue else 6),
        "cumulative_number": "",
        "cover_date": "",
        "cover_alt": "",
        "page_list": "",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    if issue is not None:
        data["version"] = signed_version(issue)
        sections = list(issue.sections.all())
        data["sections-TOTAL_FORMS"] = data["sections-INITIAL_FORMS"] = str(len(sections))
        for i, section in enumerate(sections):
            data.update(
                {
                    f"sections-{i}-id": str(section.pk),
                    f"sections-{i}-issue": str(issue.pk),
                    f"sections-{i}-position": str(section.position),
                    f"sections-{i}-code": section.code,
                    f"sections-{i}-name": section.name,
                    f"sections-{i}-version": signed_version(section),
                }
            )
    data.update(fields)
    return data


def action(client, url, name, ids, **extra):
    return client.post(url, {"action": name, "_selected_action": [str(i) for i in ids], **extra})


# The permission matrix: each role, each action, through the admin over HTTP.

ISSUES_URL = "/admin/magazine/issue/"
ARTICLES_URL = "/admin/articles/article/"


@pytest.mark.parametrize("role, allowed", [("editor", True), ("chief", True), ("nobody", False)])
def test_add_issue(client, role, allowed):
    login(client, role)
    response = client.post(ISSUES_URL + "add/", issue_form())
    assert (response.status_code == 302) is allowed
    assert Issue.objects.filter(year=2014, number=6).exists() is allowed
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize("role, allowed", [("editor", True), ("chief", True), ("nobody", False)])
def test_change_issue(client, draft, role, allowed):
    login(client, role)
    response = client.post(
        f"{ISSUES_URL}{draft.pk}/change/", issue_form(draft, cumulative_number="88")
    )
    draft.refresh_from_db()
    assert (draft.cumulative_number == 88) is allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role, allowed", [("editor", True), ("chief", True), ("nobody", False)])
def test_delete_a_draft_issue(client, draft, role, allowed):
    login(client, role)
    response = client.post(f"{ISSUES_URL}{draft.pk}/delete/", {"post": "yes"})
    assert Issue.objects.filter(pk=draft.pk).exists() is not allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role, allowed", [("editor", False), ("chief", True)])
def test_delete_a_published_issue_needs_the_chief(client, published, role, allowed):
    login(client, role)
    response = client.post(f"{ISSUES_URL}{published.pk}/delete/", {"post": "yes"})
    assert Issue.objects.filter(pk=published.pk).exists() is not allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role, allowed", [("editor", False), ("chief", True)])
def test_bulk_delete_of_a_published_issue_needs_the_chief(client, published, role, allowed):
    login(client, role)
    response = action(client, ISSUES_URL, "delete_selected", [published.pk], post="yes")
    assert Issue.objects.filter(pk=published.pk).exists() is not allowed
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize("role, allowed", [("editor", False), ("chief", True), ("nobody", False)])
def test_publish_button(client, draft, role, allowed):
    login(client, role)
    response = client.post(reverse("admin:magazine_issue_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published() is allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role, allowed", [("editor", False), ("chief", True)])
def test_publish_action(client, draft, role, allowed):
    login(client, role)
    action(client, ISSUES_URL, "publish_now", [draft.pk])
    draft.refresh_from_db()
    assert draft.is_published() is allowed


@pytest.mark.parametrize("role, allowed", [("editor", False), ("chief", True)])
def test_withdraw_button_and_action(client, published, role, allowed):
    login(client, role)
    response = client.post(reverse("admin:magazine_issue_withdraw", args=[published.pk]))
    published.refresh_from_db()
    assert (published.published_at is None) is allowed
    assert response.status_code == (302 if allowed else 403)
    published.publish()
    action(client, ISSUES_URL, "withdraw", [published.pk])
    published.refresh_from_db()
    assert (published.published_at is None) is allowed


@pytest.mark.parametrize("role, allowed", [("editor", False), ("chief", True)])
def test_schedule_button(client, draft, role, allowed):
    login(client, role)
    when = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        reverse("admin:magazine_issue_schedule", args=[draft.pk]),
        {"publish_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    draft.refresh_from_db()
    assert (draft.published_at is not None) is allowed
    assert response.status_code == (302 if allowed else 403)
    if allowed:
        assert draft.state().value == "scheduled"
        assert abs(draft.published_at - when) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("role, allowed", [("editor", False), ("chief", True)])
def test_schedule_action_with_its_form(client, draft, role, allowed):
    login(client, role)
    first = action(client, ISSUES_URL, "schedule", [draft.pk])
    if allowed:
        assert first.status_code == 200
        assert b'name="publish_at"' in first.content
    when = timezone.localtime() + datetime.timedelta(days=3)
    action(
        client,
        ISSUES_URL,
        "schedule",
        [draft.pk],
        apply="1",
        publish_at=when.strftime("%Y-%m-%dT%H:%M"),
    )
    draft.refresh_from_db()
    assert (draft.published_at is not None) is allowed


def test_schedule_in_the_past_is_refused(client, draft):
    login(client, "chief")
    client.post(
        reverse("admin:magazine_issue_schedule", args=[draft.pk]),
        {"publish_at": "2001-01-01T08:00"},
    )
    draft.refresh_from_db()
    assert draft.published_at is None


def test_editors_cannot_set_the_publication_time_through_the_form(client, draft):
    login(client, "editor")
    data = issue_form(draft, published_at="2001-01-01 08:00:00")
    data["published_at_0"], data["published_at_1"] = "2001-01-01", "08:00:00"
    client.post(f"{ISSUES_URL}{draft.pk}/change/", data)
    draft.refresh_from_db()
    assert draft.published_at is None


def test_publication_buttons_show_only_for_chief_editors(client, draft):
    login(client, "editor")
    page = client.get(f"{ISSUES_URL}{draft.pk}/change/").content.decode()
    assert reverse("admin:magazine_issue_publish", args=[draft.pk]) not in page
    actions = client.get(ISSUES_URL).content.decode()
    assert 'value="publish_now"' not in actions and 'value="schedule"' not in actions
    client.logout()
    login(client, "chief")
    page = client.get(f"{ISSUES_URL}{draft.pk}/change/").content.decode()
    assert reverse("admin:magazine_issue_publish", args=[draft.pk]) in page
    assert 'value="publish_now"' in client.get(ISSUES_URL).content.decode()


@pytest.mark.parametrize("role, allowed", [("editor", True), ("chief", True), ("nobody", False)])
def test_place_action(client, draft, role, allowed):
    login(client, role)
    page = draft.sections.get(code="10")
    ids = list(draft.articles.order_by("id").values_list("pk", flat=True)[:2])
    response = action(client, ARTICLES_URL, "place_on_page", ids)
    if allowed:
        assert response.status_code == 200 and b'name="section"' in response.content
    action(client, ARTICLES_URL, "place_on_page", ids, apply="1", section=str(page.pk))
    placed = list(
        Article.objects.filter(section=page).order_by("position").values_list("pk", flat=True)
    )
    assert (placed == ids) is allowed
    if not allowed:
        assert placed == []


def test_place_action_appends_after_articles_already_on_the_page(client, draft):
    login(client, "editor")
    page = draft.sections.get(code="10")
    first, second, third = draft.articles.order_by("id")
    first.section, first.position = page, 0
    first.save()
    action(
        client,
        ARTICLES_URL,
        "place_on_page",
        [third.pk, second.pk],
        apply="1",
        section=str(page.pk),
    )
    order = list(page.articles.order_by("position").values_list("title", flat=True))
    assert order == ["文章0", "文章1", "文章2"]


def test_place_action_refuses_articles_of_several_issues(client, draft):
    login(client, "editor")
    other = Issue.objects.create(year=2014, number=6)
    stranger = Article.objects.create(issue=other, title="别的期", body="正文。")
    mine = draft.articles.first()
    response = action(client, ARTICLES_URL, "place_on_page", [mine.pk, stranger.pk])
    assert response.status_code == 302
    listing = client.get(ARTICLES_URL).content.decode()
    assert "请选择同一期的文章再排版。" in listing
    assert not Article.objects.filter(section__isnull=False).exists()


def test_place_action_refuses_a_page_of_another_issue(client, draft):
    login(client, "editor")
    other = Issue.objects.create(year=2014, number=6)
    foreign = Section.objects.create(issue=other, code="10", name="别处", position=1)
    mine = draft.articles.first()
    action(client, ARTICLES_URL, "place_on_page", [mine.pk], apply="1", section=str(foreign.pk))
    mine.refresh_from_db()
    assert mine.section is None


def test_reordering_within_a_page_from_the_list(client, draft):
    login(client, "editor")
    page = draft.sections.get(code="10")
    articles = list(draft.articles.order_by("id"))
    placement.place_on(Article.objects.filter(issue=draft), page)
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3", "_save": "1"}
    new_positions = {articles[0].pk: 2, articles[1].pk: 0, articles[2].pk: 1}
    listed = client.get(f"{ARTICLES_URL}?section={page.pk}&issue__id__exact={draft.pk}")
    order = [a.pk for a in listed.context["cl"].result_list]
    for i, pk in enumerate(order):
        data[f"form-{i}-id"] = str(pk)
        data[f"form-{i}-position"] = str(new_positions[pk])
        data[f"form-{i}-version"] = signed_version(Article.objects.get(pk=pk))
    response = client.post(f"{ARTICLES_URL}?section={page.pk}&issue__id__exact={draft.pk}", data)
    assert response.status_code == 302
    titles = list(page.articles.order_by("position").values_list("title", flat=True))
    assert titles == ["文章1", "文章2", "文章0"]


# Pages: quick add of a page list


def test_pasting_a_page_list_adds_the_missing_pages_in_order(client, draft):
    login(client, "editor")
    response = client.post(
        f"{ISSUES_URL}{draft.pk}/change/",
        issue_form(draft, page_list="0001版: 封面 01版: 卷首语\n11版: 本期策划 9901版: 封底"),
    )
    assert response.status_code == 302
    assert list(draft.sections.values_list("code", "name")) == [
        ("01", "卷首语"),
        ("10", "本期策划"),
        ("0001", "封面"),
        ("11", "本期策划"),
        ("9901", "封底"),
    ]


@pytest.mark.parametrize(
    "page_list, message",
    [
        ("这不是版面列表", "not a page list"),
        ("01版: 封面", "Page 01 is “卷首语” in this issue"),
        ("02版: 目录 02版: 封面", "listed twice"),
    ],
)
def test_a_bad_page_list_is_refused_and_adds_nothing(client, draft, page_list, message):
    login(client, "editor")
    response = client.post(
        f"{ISSUES_URL}{draft.pk}/change/",
        issue_form(draft, page_list=page_list),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft.sections.count() == 2


# The page picker is limited to the article's issue


def test_page_autocomplete_offers_only_the_chosen_issues_pages(client, draft):
    login(client, "editor")
    other = Issue.objects.create(year=2014, number=6)
    Section.objects.create(issue=other, code="10", name="别的期的版", position=1)
    params = {"app_label": "articles", "model_name": "article", "field_name": "section"}
    response = client.get("/admin/autocomplete/", {**params, "issue": draft.pk, "term": ""})
    names = [r["text"] for r in response.json()["results"]]
    assert names == ["01版 卷首语", "10版 本期策划"]
    response = client.get("/admin/autocomplete/", {**params, "term": ""})
    assert response.json()["results"] == []


# Preview


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_staff_preview_an_unpublished_issue(client, draft, state):
    if state == "scheduled":
        draft.publish(at=timezone.now() + datetime.timedelta(days=1))
    article = draft.articles.first()
    article.section = draft.sections.get(code="10")
    article.save()
    login(client, "editor")
    for url in [
        draft.get_absolute_url(),
        article.section.get_absolute_url(),
        article.get_absolute_url(),
    ]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="preview-banner"' in html and "预览" in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_preview_is_404_for_anonymous_and_users_without_view_permission(client, draft):
    urls = [draft.get_absolute_url(), draft.articles.first().get_absolute_url()]
    for url in urls:
        assert client.get(url).status_code == 404
    login(client, "nobody")  # staff, but no permission to view issues
    for url in urls:
        assert client.get(url).status_code == 404
    client.logout()
    client.force_login(User.objects.create_user("reader", password="pw"))
    for url in urls:
        assert client.get(url).status_code == 404


def test_published_pages_have_no_preview_banner_even_for_staff(client, published):
    login(client, "editor")
    html = client.get(published.get_absolute_url()).content.decode()
    assert "preview-banner" not in html and "noindex" not in html


def test_lists_never_show_drafts_even_to_staff(client, draft):
    login(client, "chief")
    for url in ["/", "/issues/", "/feeds/latest/", "/sitemap.xml"]:
        assert "/issues/2014/5/" not in client.get(url).content.decode(), url


# Revision history


def article_form(article, **fields):
    data = {
        "issue": str(article.issue_id),
        "version": signed_version(article),
        "section": str(article.section_id or ""),
        "position": str(article.position),
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "body": article.body,
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_an_edit_is_recorded_with_its_author_and_both_texts(client, draft):
    editor = login(client, "editor")
    article = draft.articles.first()
    client.post(f"{ARTICLES_URL}{article.pk}/change/", article_form(article, body="改过的正文。"))
    latest = article.history.first()
    assert latest.history_user == editor
    assert latest.body == "改过的正文。"
    assert latest.prev_record.body == "正文。"
    page = client.get(f"{ARTICLES_URL}{article.pk}/history/").content.decode()
    assert "history-diff" in page
    assert page.index("正文。") < page.index("改过的正文。")  # before, then after
    assert "editor" in page


def test_an_old_version_can_be_restored(client, draft):
    login(client, "editor")
    article = draft.articles.first()
    original = article.history.first()
    client.post(f"{ARTICLES_URL}{article.pk}/change/", article_form(article, body="错误的修改。"))
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, original.history_id]
    )
    assert client.get(revert_url).status_code == 200
    response = client.post(revert_url, article_form(article, body=original.body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "正文。"
    assert article.history.count() == 3


def test_issue_publication_is_in_its_history(client, draft):
    chief = login(client, "chief")
    client.post(reverse("admin:magazine_issue_publish", args=[draft.pk]))
    record = draft.history.first()
    assert record.history_user == chief and record.published_at is not None


def test_imported_articles_have_a_history_entry(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from tests.textfiles import article_bytes

    (tmp_path / "a.txt").write_bytes(article_bytes())
    call_command("import_text", str(tmp_path), "--issue", "2014-7", stdout=StringIO())
    record = Article.objects.get().history.get()
    assert record.history_change_reason == "import_text" and record.history_user is None


# Dashboard


def test_dashboard_shows_the_issue_in_progress_unplaced_articles_and_recent_changes(
    client, draft, published_issue_factory
):
    published_issue_factory()
    login(client, "editor")
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    dashboard = html.split('id="editorial-dashboard"')[1]
    assert "2014年第5期" in dashboard
    assert "3 篇文章未排版" in dashboard
    assert "文章0" in dashboard
    assert "2013年第12期" in dashboard  # latest published


@pytest.fixture
def published_issue_factory():
    def make():
        issue = Issue.objects.create(year=2013, number=12, published_at=timezone.now())
        Article.objects.create(issue=issue, title="旧文", body="正文。")
        return issue

    return make
