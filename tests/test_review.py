"""Review before publication with the two-level chain an office upgraded from the
single review step has (初审 编辑 提交审核, 终审 主编 publishes or 退回修改), and
corrections (更正记录), over HTTP. The three-level chain: test_review_chain.py."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from magazine.models import Correction, Issue, ReviewState, ReviewStep
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.admin_forms import unchanged_post_data
from tests.review_chain import two_levels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chain():
    return two_levels()


def account(name, group):
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor():
    return account("bianji", EDITORS)


@pytest.fixture
def chief():
    return account("zhubian", CHIEF_EDITORS)


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2015, number=3)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划")])
    Article.objects.create(
        issue=issue, section=issue.sections.get(code="10"), title="城市的河", body="正文。"
    )
    return issue


def url(name, issue):
    return reverse(f"admin:magazine_issue_{name}", args=[issue.pk])


def change_page(client, issue):
    return client.get(url("change", issue)).content.decode()


def test_an_editor_submits_with_a_note_and_the_chief_editor_sees_it(editor, chief, issue):
    response = editor.post(url("submit", issue), {"note": "全部校对完毕"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.review == ReviewState.SUBMITTED
    step = issue.review_steps.get()
    assert (step.kind, step.user, step.note) == ("signed", editor.user, "全部校对完毕")
    assert step.level.name == "初审" and issue.review_level.name == "终审"
    record = issue.history.first()
    assert record.history_user == editor.user
    assert record.history_change_reason == "通过 · 初审: 全部校对完毕"
    dashboard = chief.get("/admin/").content.decode()
    assert 'id="review-dashboard"' in dashboard and "全部校对完毕" in dashboard
    assert url("change", issue) in dashboard
    listed = chief.get("/admin/magazine/issue/?review=submitted").context["cl"].result_list
    assert list(listed) == [issue]
    # The editor is told it waits; the form to submit again is gone.
    page = change_page(editor, issue)
    assert "待审核" in page and url("sign", issue) not in page


def test_the_chief_editor_sends_it_back_and_the_editors_see_why(editor, chief, issue):
    issue.submit_for_review(editor.user)
    page = change_page(chief, issue)
    assert url("send_back", issue) in page
    chief.post(url("send_back", issue), {"note": "第10版标题有误"})
    issue.refresh_from_db()
    assert issue.review == ReviewState.RETURNED and not issue.is_published()
    assert [s.kind for s in issue.review_steps.all()] == ["returned", "signed"]
    assert issue.review_steps.get(kind="signed").lapsed_at is not None  # 初审 again
    dashboard = editor.get("/admin/").content.decode()
    assert "退回修改" in dashboard and "第10版标题有误" in dashboard
    assert "第10版标题有误" in change_page(editor, issue)
    # Changed and submitted again.
    editor.post(url("submit", issue), {"note": ""})
    issue.refresh_from_db()
    assert issue.review == ReviewState.SUBMITTED


def test_publishing_asks_first_then_records_who_and_ends_the_review(editor, chief, issue):
    issue.submit_for_review(editor.user)
    question = chief.get(url("publish", issue))
    assert question.status_code == 200
    assert "立即发布" in question.content.decode() and "确认" in question.content.decode()
    issue.refresh_from_db()
    assert not issue.is_published()  # asking changed nothing
    chief.post(url("publish", issue), {"note": "好"})
    issue.refresh_from_db()
    assert issue.is_published() and issue.review == ReviewState.EDITING
    step = issue.review_steps.first()
    assert (step.kind, step.user, step.note) == ("published", chief.user, "好")
    assert not Issue.objects.awaiting_review().exists()


def test_scheduling_asks_first_with_the_moment(editor, chief, issue):
    issue.submit_for_review(editor.user)
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    question = chief.get(url("schedule", issue), {"publish_at": when})
    assert when.replace("T", " ") in question.content.decode()
    assert f'value="{when}"' in question.content.decode()
    issue.refresh_from_db()
    assert issue.published_at is None
    chief.post(url("schedule", issue), {"publish_at": when})
    issue.refresh_from_db()
    assert issue.state() == "scheduled"
    assert issue.review_steps.first().kind == "scheduled"


def test_a_published_issue_offers_only_what_applies(editor, chief, issue):
    page = change_page(chief, issue)
    assert url("publish", issue) not in page  # 初审 has not passed it
    issue.submit_for_review(editor.user)
    page = change_page(chief, issue)
    assert url("publish", issue) in page and url("withdraw", issue) not in page
    issue.publish()
    page = change_page(chief, issue)
    assert url("publish", issue) not in page and url("schedule", issue) not in page
    assert url("withdraw", issue) in page
    assert url("sign", issue) not in page and url("send_back", issue) not in page
    # The panel comes before the form's fields.
    assert page.index('id="publication-title"') < page.index('name="year"')


@pytest.mark.parametrize(
    "method, name, data",
    [
        ("post", "publish", {}),
        ("get", "publish", {}),
        ("post", "schedule", {"publish_at": "2099-01-01T08:00"}),
        ("post", "withdraw", {}),
        ("post", "send_back", {"note": "x"}),
        ("post", "sign", {"note": "x"}),
    ],
)
def test_an_editor_can_neither_publish_nor_decide_a_review(editor, issue, method, name, data):
    issue.submit_for_review(editor.user)
    before = list(issue.review_steps.values_list("id", flat=True))
    response = getattr(editor, method)(url(name, issue), data, follow=True)
    if name in ("send_back", "sign"):  # the level it waits at is not theirs: said why
        assert "终审" in response.content.decode() and "主编" in response.content.decode()
    else:
        assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.published_at is None and issue.review == ReviewState.SUBMITTED
    assert list(issue.review_steps.values_list("id", flat=True)) == before


def test_submitting_what_cannot_be_submitted_is_refused_and_writes_nothing(editor, issue):
    issue.publish()
    response = editor.post(url("submit", issue), {"note": "再看看"}, follow=True)
    assert "已经发布" in response.content.decode()
    assert not issue.review_steps.filter(kind="signed").exists()
    issue.withdraw()
    issue.submit_for_review(editor.user)
    response = editor.post(url("submit", issue), {"note": "again"}, follow=True)
    assert "正在终审，由主编审核" in response.content.decode()
    assert issue.review_steps.filter(kind="signed").count() == 1


def test_the_review_state_survives_an_ordinary_save(editor, issue):
    issue.submit_for_review(editor.user)
    stale = Issue.objects.get(pk=issue.pk)
    stale.review = ReviewState.EDITING
    stale.cumulative_number = 40
    stale.save()
    issue.refresh_from_db()
    assert issue.review == ReviewState.SUBMITTED and issue.cumulative_number == 40


def article_form_post(client, article, **changes):
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    data = unchanged_post_data(page)
    data.update(changes)
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def test_an_editors_change_to_a_published_issue_is_a_correction_for_the_chief(editor, chief, issue):
    article = issue.articles.get()
    article_form_post(editor, article, title="城市的河（草稿改）")
    assert not Correction.objects.exists()  # a draft: not on the public site
    issue.publish()
    response = article_form_post(editor, article, title="城市里的河")
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.issue, correction.user, correction.change) == (issue, editor.user, "changed")
    assert correction.changed == article and "城市里的河" in correction.what
    dashboard = chief.get("/admin/").content.decode()
    assert "城市里的河" in dashboard and "更正记录" in dashboard
    history = reverse("admin:articles_article_history", args=[article.pk])
    assert history in dashboard
    # The chief editor's own changes are listed too, as seen by them.
    article_form_post(chief, article, title="城市里的一条河")
    assert Correction.objects.count() == 2 and Correction.objects.unseen().count() == 1
    # Seen: off the dashboard, kept in the list.
    chief.post(
        "/admin/magazine/correction/",
        {"action": "mark_seen", "_selected_action": [correction.pk]},
    )
    correction.refresh_from_db()
    assert correction.seen_by == chief.user and correction.seen_at is not None
    assert 'class="corrections"' not in chief.get("/admin/").content.decode()


def test_a_page_of_a_published_issue_changed_by_an_editor_is_a_correction(editor, issue):
    issue.publish()
    page = issue.sections.get(code="01")
    data = unchanged_post_data(editor.get(reverse("admin:sections_section_change", args=[page.pk])))
    data["name"] = "卷首"
    editor.post(reverse("admin:sections_section_change", args=[page.pk]), data)
    assert Correction.objects.get().changed == page


def test_editors_do_not_see_the_corrections_list_nor_mark_them(editor, issue):
    issue.publish()
    article_form_post(editor, issue.articles.get(), title="改")
    assert editor.get("/admin/magazine/correction/").status_code == 403
    assert 'id="review-dashboard"' not in editor.get("/admin/").content.decode()
    assert Correction.objects.unseen().count() == 1


def test_publication_from_the_shell_is_a_step_without_a_user(issue):
    issue.publish()
    issue.withdraw()
    assert [(s.kind, s.user) for s in ReviewStep.objects.all()] == [
        ("withdrawn", None),
        ("published", None),
    ]


def test_the_next_issue_is_proposed_with_the_newest_ones_pages(editor, issue):
    Issue.objects.create(year=2014, number=12)
    form = editor.get(reverse("admin:magazine_issue_add"))
    assert form.context["adminform"].form.initial["year"] == 2015
    assert form.context["adminform"].form.initial["number"] == 4
    page = form.content.decode()
    assert "复制2015年第3期的版面列表（2 版）" in page
    data = {
        "year": "2015",
        "number": "4",
        "copy_pages": "on",
        "page_list": "20版: 新栏目",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    response = editor.post(reverse("admin:magazine_issue_add"), data)
    assert response.status_code == 302
    new = Issue.objects.get(year=2015, number=4)
    assert list(new.sections.values_list("code", "name")) == [
        ("01", "卷首语"),
        ("10", "本期策划"),
        ("20", "新栏目"),
    ]
    assert not new.articles.exists()  # pages only


def test_a_new_issue_without_copying_has_only_the_pages_it_is_given(editor, issue):
    data = {
        "year": "2015",
        "number": "4",
        "page_list": "",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    editor.post(reverse("admin:magazine_issue_add"), data)
    assert not Issue.objects.get(year=2015, number=4).sections.exists()


@pytest.mark.parametrize(
    "existing, proposed",
    [
        ([], None),
        ([(2025, 11)], (2025, 12)),
        ([(2025, 12), (2024, 12)], (2026, 1)),
        ([(2025, 6), (2024, 12)], (2025, 7)),
        ([(2025, 9999)], (2026, 1)),
    ],
)
def test_next_key(existing, proposed):
    for year, number in existing:
        Issue.objects.create(year=year, number=number)
    expected = proposed or (timezone.localdate().year, 1)
    assert Issue.objects.next_key() == expected


def test_the_first_issue_of_all_is_added_without_a_page_list_to_copy(editor):
    form = editor.get(reverse("admin:magazine_issue_add"))
    assert form.status_code == 200 and "copy_pages" not in form.content.decode()
    Issue.objects.create(year=2015, number=1)  # an issue without pages: nothing to copy
    form = editor.get(reverse("admin:magazine_issue_add"))
    assert form.status_code == 200 and "copy_pages" not in form.content.decode()
