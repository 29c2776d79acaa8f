"""三审制: the review chain of three levels (初审 编辑, 复审 编辑部主任, 终审 主编),
over HTTP and in the model: each level signs off to the next or sends back with a
note; none signs a level that is not theirs or skips one, by any route; a text
change after a level signed lapses the later sign-offs of the article it touched;
an office that had the single review step keeps its issues' states."""

import re
import sqlite3

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from articles.models import Article
from magazine.models import Issue, ReviewLevel, ReviewRefused, ReviewState
from magazine.roles import CHIEF_EDITORS, EDITORS, OFFICE_HEADS
from sections.models import Section
from tests.admin_forms import unchanged_post_data
from tests.test_review import account, article_form_post
from tests.test_upgrades import migrate

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return account("bianji", EDITORS)


@pytest.fixture
def head():
    return account("zhuren", OFFICE_HEADS)


@pytest.fixture
def chief():
    return account("zhubian", CHIEF_EDITORS)


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2016, number=4)
    Section.objects.merge(issue, [("01", "卷首语"), ("10", "本期策划")])
    page = issue.sections.get(code="10")
    Article.objects.create(issue=issue, section=page, title="城市的河", body="　　正文一。")
    Article.objects.create(issue=issue, section=page, title="山里的路", body="　　正文二。")
    return issue


def url(name, issue):
    return reverse(f"admin:magazine_issue_{name}", args=[issue.pk])


def refresh(issue):
    issue.refresh_from_db()
    return issue


def levels():
    return {level.name: level for level in ReviewLevel.chain()}


def test_the_default_chain_has_three_levels_each_held_by_its_group():
    assert [(level.name, level.group.name) for level in ReviewLevel.chain()] == [
        ("初审", EDITORS),
        ("复审", OFFICE_HEADS),
        ("终审", CHIEF_EDITORS),
    ]


def test_the_issue_passes_each_level_in_order_and_the_last_publishes(editor, head, chief, issue):
    editor.post(url("sign", issue), {"note": "初审完毕"})
    assert refresh(issue).review_level.name == "复审" and issue.review == ReviewState.SUBMITTED
    # What waits for each: the head of the office sees it, the chief editor not yet.
    head_desk = head.get("/admin/").content.decode()
    assert 'id="review-dashboard"' in head_desk and "初审完毕" in head_desk
    assert 'id="review-dashboard"' not in chief.get("/admin/").content.decode()
    head.post(url("sign", issue), {"note": "复审同意"})
    assert refresh(issue).review_level.name == "终审"
    chief_desk = chief.get("/admin/").content.decode()
    assert 'id="review-dashboard"' in chief_desk and "复审同意" in chief_desk
    chief.post(url("publish", issue), {"note": "签发"})
    assert refresh(issue).is_published()
    kept = [
        (step.kind, step.level_name, step.user.username, step.note)
        for step in issue.review_steps.order_by("at", "id")
    ]
    assert kept == [
        ("signed", "初审", "bianji", "初审完毕"),
        ("signed", "复审", "zhuren", "复审同意"),
        ("published", "终审", "zhubian", "签发"),
    ]
    # Who reviewed it, on the published issue's page.
    page = chief.get(url("change", issue)).content.decode()
    for text in ("初审", "复审", "终审", "bianji", "zhuren", "zhubian"):
        assert text in page


def test_sending_back_needs_a_note_and_goes_to_any_earlier_level(editor, head, chief, issue):
    issue.sign_off(editor.user, "初审")
    issue.sign_off(head.user, "复审")
    before = list(issue.review_steps.values_list("id", "lapsed_at"))
    response = chief.post(url("send_back", issue), {"note": "  "}, follow=True)
    assert "退回必须附说明" in response.content.decode()
    assert list(issue.review_steps.values_list("id", "lapsed_at")) == before
    assert refresh(issue).review_level.name == "终审"
    with pytest.raises(ReviewRefused):
        issue.send_back(chief.user, "")
    # To 复审: 初审's sign-off holds, 复审's does not.
    chief.post(url("send_back", issue), {"note": "第10版再看", "to": levels()["复审"].pk})
    issue = refresh(issue)
    assert (issue.review, issue.review_level.name) == (ReviewState.RETURNED, "复审")
    valid = issue.valid_sign_offs()
    assert [step.level_name for step in valid.values()] == ["初审"]
    assert 'id="sent-back-dashboard"' in head.get("/admin/").content.decode()
    assert 'id="sent-back-dashboard"' not in editor.get("/admin/").content.decode()
    # A level after the one it waits at is no target.
    issue.sign_off(head.user, "改好了")
    with pytest.raises(ReviewRefused):
        refresh(issue).send_back(chief.user, "x", to=levels()["终审"])


@pytest.mark.parametrize(
    "who, how",
    [
        ("editor", "sign"),  # 复审 is not theirs
        ("chief", "sign"),  # nor the chief editor's: no level is skipped
        ("chief", "publish"),
        ("chief", "schedule"),
        ("chief", "publish_now"),  # the list's action
        ("chief", "schedule_action"),
        ("editor", "send_back"),
    ],
)
def test_no_one_signs_a_level_not_theirs_or_skips_one(editor, head, chief, issue, who, how):
    issue.sign_off(editor.user, "初审")
    client = {"editor": editor, "chief": chief}[who]
    before = list(issue.review_steps.values_list("id", flat=True))
    if how == "publish_now":
        client.post(
            "/admin/magazine/issue/", {"action": "publish_now", "_selected_action": [issue.pk]}
        )
    elif how == "schedule_action":
        client.post(
            "/admin/magazine/issue/",
            {
                "action": "schedule",
                "_selected_action": [issue.pk],
                "apply": "1",
                "publish_at": "2099-01-01T08:00",
            },
        )
    elif how == "schedule":
        client.post(url("schedule", issue), {"publish_at": "2099-01-01T08:00"})
    else:
        client.post(url(how, issue), {"note": "越级", "to": levels()["初审"].pk})
    issue = refresh(issue)
    assert issue.published_at is None
    assert issue.review_level.name == "复审" and issue.review == ReviewState.SUBMITTED
    assert list(issue.review_steps.values_list("id", flat=True)) == before


def test_the_model_refuses_what_the_views_refuse(editor, head, chief, issue):
    with pytest.raises(ReviewRefused):
        issue.sign_off(head.user)  # 初审 is the editors'
    issue.sign_off(editor.user)
    with pytest.raises(ReviewRefused):
        issue.publish(by=chief.user)  # 复审 has not passed it
    with pytest.raises(ReviewRefused):
        issue.sign_off(editor.user)
    issue.sign_off(head.user)
    with pytest.raises(ReviewRefused):
        issue.sign_off(chief.user)  # the last level publishes; it does not sign on
    with pytest.raises(ReviewRefused):
        issue.publish(by=head.user)  # 复审 may not publish
    issue.publish(by=chief.user)
    assert refresh(issue).is_published()


def test_historys_restore_and_a_stale_form_do_not_move_the_chain(editor, head, chief, issue):
    old = issue.history.first()
    issue.sign_off(editor.user)
    issue.sign_off(head.user)
    # History's restore of the issue as it was before any sign-off.
    restore = reverse("admin:magazine_issue_simple_history", args=[issue.pk, old.history_id])
    data = unchanged_post_data(editor.get(restore))
    editor.post(restore, data)
    issue = refresh(issue)
    assert issue.review_level.name == "终审" and len(issue.valid_sign_offs()) == 2
    # A form field named like the state is not read.
    data = unchanged_post_data(editor.get(url("change", issue)))
    data.update({"review": "editing", "review_level": levels()["初审"].pk})
    editor.post(url("change", issue), data)
    assert refresh(issue).review_level.name == "终审"


def test_a_text_change_after_the_second_level_lapses_that_articles_later_sign_offs(
    editor, head, chief, issue
):
    river, road = issue.articles.order_by("title")
    issue.sign_off(editor.user, "初审")
    issue.sign_off(head.user, "复审")
    assert article_form_post(editor, river, body="　　正文一，改过。").status_code == 302
    issue = refresh(issue)
    assert issue.review_level.name == "复审"  # back to the level whose sign-off lapsed
    second = issue.review_steps.get(kind="signed", level_name="复审")
    first = issue.review_steps.get(kind="signed", level_name="初审")
    assert second.lapsed_at is not None and not second.holds_for(river.pk)
    assert second.holds_for(road.pk)  # the article it did not touch
    assert first.lapsed_at is None  # the editor's own level: theirs to vouch for
    assert [change["what"] for change in second.lapsed_for] == [river.title]
    page = chief.get(url("change", issue)).content.decode()
    assert "已失效" in page and river.title in page
    with pytest.raises(ReviewRefused):
        issue.publish(by=chief.user)
    # A change to where an article stands on its page is no text change.
    article_form_post(editor, road, position="5")
    assert refresh(issue).review_steps.get(kind="signed", level_name="初审").lapsed_at is None
    # 复审 signs the changed text again; the chief editor can publish.
    issue.sign_off(head.user, "改动已复审")
    issue.publish(by=chief.user)
    assert refresh(issue).is_published()


def test_a_change_by_the_chief_editor_lapses_nothing_below_and_none_after_publication(
    editor, head, chief, issue
):
    river = issue.articles.get(title="城市的河")
    issue.sign_off(editor.user)
    issue.sign_off(head.user)
    article_form_post(chief, river, body="　　主编改的。")
    assert len(refresh(issue).valid_sign_offs()) == 2
    issue.publish(by=chief.user)
    article_form_post(editor, river, body="　　发布后的更正。")
    assert len(refresh(issue).valid_sign_offs()) == 2  # the record of its review stays


def test_the_last_level_must_be_held_by_a_group_that_publishes(chief):
    admin_user = User.objects.create_superuser("root", password="pw")
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:magazine_reviewlevel_add"),
        {"position": "9", "name": "签发", "group": Group.objects.get(name=EDITORS).pk},
    )
    assert response.status_code == 200 and "发布权限" in response.content.decode()
    assert not ReviewLevel.objects.filter(name="签发").exists()
    # The chief editor sets the chain; editors only read it.
    assert chief.get(reverse("admin:magazine_reviewlevel_changelist")).status_code == 200
    assert (
        account("bj2", EDITORS)
        .post(
            reverse("admin:magazine_reviewlevel_add"),
            {"position": "4", "name": "四审", "group": Group.objects.get(name=CHIEF_EDITORS).pk},
        )
        .status_code
        == 403
    )


@pytest.mark.own_sqlite
def test_an_office_with_the_single_review_step_keeps_its_issues_states(tmp_path):
    """Migrated from the release before the chain: two levels, each issue where it was."""
    database = tmp_path / "earlier.sqlite3"
    for app, migration in [
        ("magazine", "0013"),
        ("sections", "0009"),
        ("jobs", "0005"),
        ("articles", "0014"),
    ]:
        before = migrate(database, app, migration)
        assert before.returncode == 0, before.stderr[-2000:]
    with sqlite3.connect(database) as connection:
        # The tables' CHECK constraints call Django's REGEXP.
        connection.create_function(
            "REGEXP", 2, lambda pattern, text: re.search(pattern, text or "") is not None
        )
        connection.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined) VALUES ('', 0, 'bianji', '', '', '', 1, 1, "
            "'2026-01-01')"
        )
        for number, review in [(1, "submitted"), (2, "returned"), (3, "editing")]:
            insert(connection, "magazine_issue", year=2016, number=number, review=review)
        connection.execute(
            "INSERT INTO magazine_reviewstep (issue_id, kind, note, user_id, at) "
            "VALUES (1, 'submitted', '请审', 1, '2026-01-02 08:00:00')"
        )
    after = migrate(database)
    assert after.returncode == 0, after.stderr[-2000:]
    with sqlite3.connect(database) as connection:
        chain = connection.execute(
            "SELECT l.name, g.name FROM magazine_reviewlevel l JOIN auth_group g "
            "ON g.id = l.group_id ORDER BY l.position"
        ).fetchall()
        states = connection.execute(
            "SELECT i.number, i.review, l.name FROM magazine_issue i LEFT JOIN "
            "magazine_reviewlevel l ON l.id = i.review_level_id ORDER BY i.number"
        ).fetchall()
        signed = connection.execute(
            "SELECT issue_id, level_name, user_id, note FROM magazine_reviewstep "
            "WHERE kind = 'signed'"
        ).fetchall()
    assert chain == [("初审", EDITORS), ("终审", CHIEF_EDITORS)]
    assert states == [(1, "submitted", "终审"), (2, "returned", "初审"), (3, "editing", None)]
    assert signed == [(1, "初审", 1, "请审")]


def insert(connection, table, **values):
    """A row with the given values and the type's empty value in every other NOT NULL
    column (the migration reads only a few)."""
    for _cid, name, kind, notnull, _default, primary in connection.execute(
        f"PRAGMA table_info({table})"
    ):
        if name in values or primary or not notnull:
            continue
        kind = kind.lower()
        values[name] = (
            0
            if "int" in kind or "bool" in kind
            else "2026-01-01 00:00:00"
            if "datetime" in kind
            else "{}"
            if "json" in kind or ("text" == kind and name.endswith("renditions"))
            else ""
        )
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
