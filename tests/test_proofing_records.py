"""编校检查 kept and decided: checks on every save and import and for a whole issue
as a job, 接受修改 and 忽略 (remembered), the office's own wrong words, the
issue's own rules (an author written two ways, 目次与正文), the error rate on the
issue's page and at publication (asked twice above the line, or refused), and
the proofing rounds on the 目录与字数 page."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from articles import proofing, proofing_runs
from articles.models import Article, ProofCheck, ProofFinding, ProofRound, WrongWord
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.admin_forms import unchanged_post_data
from tests.jobs_helpers import run_jobs
from tests.review_chain import signed_through
from tests.test_review import account
from tests.textfiles import article_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return account("bianji", EDITORS)


@pytest.fixture
def chief():
    return account("zhubian", CHIEF_EDITORS)


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2016, number=5)
    Section.objects.merge(issue, [("01", "目录"), ("03", "本期策划"), ("05", "基层")])
    return issue


def add(issue, title, body, code="03", byline=""):
    article = Article(
        issue=issue,
        section=issue.sections.get(code=code),
        title=title,
        byline=byline,
        body=body,
    )
    article.save_and_index()
    return article


def open_findings(article):
    return list(
        ProofFinding.objects.open()
        .filter(article=article)
        .values_list("rule", "found", "suggestion")
        .order_by("paragraph", "position")
    )


def test_a_saved_article_is_checked_and_its_findings_kept(issue):
    article = add(issue, "河边的路", "　　我们要再接再励,把路修好。\n　　一切正常。")
    assert open_findings(article) == [
        ("word.wrong", "再接再励", "再接再厉"),
        ("punct.half_width", ",", "，"),
    ]
    counted = proofing.characters(proofing.article_paragraphs(article))
    assert ProofCheck.objects.get(article=article).characters == counted == 22
    # Saved again with the text corrected: nothing open.
    article.body = "　　我们要再接再厉，把路修好。\n　　一切正常。"
    article.save()
    assert open_findings(article) == []


def test_accepting_writes_the_suggestion_and_counts_an_error(issue, editor):
    article = add(issue, "河边的路", "　　我们要再接再励，把路修好。")
    finding = ProofFinding.objects.get(article=article)
    page = editor.get(reverse("admin:magazine_issue_proofing", args=[issue.pk]))
    assert "再接再励" in page.content.decode() and "接受修改" in page.content.decode()
    editor.post(
        reverse("admin:magazine_issue_proofing", args=[issue.pk]),
        {"finding": finding.pk, "decision": "accept"},
    )
    article.refresh_from_db()
    assert article.body == "我们要再接再厉，把路修好。"
    assert article.history.first().history_user == editor.user  # a save like an editor's
    finding.refresh_from_db()
    assert (finding.status, finding.decided_by) == ("accepted", editor.user)
    rate = proofing_runs.IssueRate.of(issue)
    assert (rate.errors, rate.open) == (1, 0)
    assert rate.rate == round(10000 / rate.characters, 2)
    # Deciding it again is refused, and writes nothing.
    response = editor.post(
        reverse("admin:magazine_issue_proofing", args=[issue.pk]),
        {"finding": finding.pk, "decision": "ignore"},
        follow=True,
    )
    assert "已处理过" in response.content.decode()
    assert ProofFinding.objects.get(pk=finding.pk).status == "accepted"


def test_an_ignored_finding_is_not_raised_again_for_that_article(issue, editor):
    article = add(issue, "一篇", "　　他说:好。")
    other = add(issue, "两篇", "　　她说:好。")
    finding = ProofFinding.objects.get(article=article)
    editor.post(
        reverse("admin:magazine_issue_proofing", args=[issue.pk]),
        {"finding": finding.pk, "decision": "ignore"},
    )
    article.body = "　　他说:好。又说一遍。"
    article.save()
    assert open_findings(article) == []
    assert open_findings(other) == [("punct.half_width", ":", "：")]
    assert Article.objects.get(pk=article.pk).body.endswith("他说:好。又说一遍。")  # untouched


def test_a_stale_accept_is_refused_without_writing(issue, editor):
    article = add(issue, "一篇", "　　我们要再接再励。")
    finding = ProofFinding.objects.get(article=article)
    Article.objects.filter(pk=article.pk).update(body="　　全改了。")
    response = editor.post(
        reverse("admin:magazine_issue_proofing", args=[issue.pk]),
        {"finding": finding.pk, "decision": "accept"},
        follow=True,
    )
    assert "正文已改动" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "　　全改了。"
    assert ProofFinding.objects.get(pk=finding.pk).status == "open"


def test_the_offices_own_wrong_words_are_checked(issue, editor):
    response = editor.post(
        reverse("admin:articles_wrongword_add"),
        {"wrong": "基屋", "right": "基层", "note": "本刊常见"},
    )
    assert response.status_code == 302
    assert WrongWord.objects.get().added_by == editor.user
    article = add(issue, "走进基屋", "　　正文。")
    assert open_findings(article) == [("word.wrong", "基屋", "基层")]
    # A word and its correction that are the same are refused, nothing written.
    response = editor.post(reverse("admin:articles_wrongword_add"), {"wrong": "好", "right": "好"})
    assert response.status_code == 200 and WrongWord.objects.count() == 1


def test_an_import_checks_what_it_writes(tmp_path, issue):
    folder = tmp_path / "2016-5"
    folder.mkdir()
    (folder / "001.txt").write_text(
        article_text(title="按装路灯", pages="03版: 本期策划", paragraphs=("村里按装了路灯。",)),
        encoding="utf-8",
    )
    call_command("import_text", str(folder), "--issue", "2016-5", stdout=io.StringIO(), verbosity=0)
    article = Article.objects.get(title="按装路灯")
    assert ("word.wrong", "按装", "安装") in open_findings(article)
    assert ProofCheck.objects.filter(article=article).exists()


def test_the_whole_issue_is_checked_as_a_job_with_its_own_rules(
    issue, editor, django_capture_on_commit_callbacks
):
    add(issue, "甲文", "　　正文一。", byline="文/张晓明")
    add(issue, "乙文", "　　正文二。", byline="文/张晓明")
    odd = add(issue, "丙文", "　　正文三。", byline="文/張曉明", code="05")
    with django_capture_on_commit_callbacks(execute=True):  # the job's task is queued
        response = editor.post(reverse("admin:magazine_issue_proofread", args=[issue.pk]))
    assert response.status_code == 302
    run_jobs()
    found = ProofFinding.objects.get(rule="consistency.author")
    assert (found.article, found.found, found.suggestion) == (odd, "張曉明", "张晓明")
    from jobs.models import Job

    job = Job.objects.get(kind="proofread")
    assert job.state == "done" and job.done == job.total == 3
    # Accepted: the byline takes the usual spelling.
    proofing_runs.accept(found, editor.user)
    odd.refresh_from_db()
    assert odd.byline == "文/张晓明"


def contents_pdf(lines):
    """A one-page PDF printing a contents page (目录 and its lines)."""
    from reportlab.pdfgen import canvas

    from articles import print_layout

    print_layout.register_font()
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(595, 842))
    sheet.setFont(print_layout.FONT, 20)
    sheet.drawString(60, 780, "目录")
    sheet.setFont(print_layout.FONT, 11)
    for row, (title, page) in enumerate(lines):
        sheet.drawString(60, 740 - 22 * row, title)
        sheet.drawRightString(530, 740 - 22 * row, str(page))
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def test_the_contents_page_is_compared_with_the_articles(issue):
    add(issue, "城市的河", "　　正文。", code="03")
    add(issue, "山里的路", "　　正文。", code="05")
    page = issue.sections.get(code="01")
    page.pdf.save(
        "01.pdf",
        ContentFile(contents_pdf([("城市的河", 3), ("山里的路", 7), ("海边的灯", 9)])),
        save=True,
    )
    assert proofing_runs.contents_entries(issue) == [
        ("城市的河", 3),
        ("山里的路", 7),
        ("海边的灯", 9),
    ]
    found = proofing_runs.check_consistency(issue)
    assert sorted((f.found, f.suggestion) for f in found) == [
        ("山里的路 7", "山里的路 5"),
        ("海边的灯 9", ""),
    ]


def test_the_rate_shows_on_the_issue_and_publishing_above_the_line_asks_twice(issue, chief):
    article = add(issue, "短文", "　　我们要再接再励，按装好。")
    for finding in ProofFinding.objects.filter(article=article):
        proofing_runs.accept(finding, chief.user)
    signed_through(issue)
    page = chief.get(reverse("admin:magazine_issue_change", args=[issue.pk])).content.decode()
    assert "差错率" in page and "万分之" in page
    question = chief.get(reverse("admin:magazine_issue_publish", args=[issue.pk]))
    assert "超过期刊质量标准" in question.content.decode()
    # Once is not enough: the page asks again, nothing published.
    again = chief.post(reverse("admin:magazine_issue_publish", args=[issue.pk]), {"note": ""})
    assert again.status_code == 200 and "勾选确认" in again.content.decode()
    assert not Issue.objects.get(pk=issue.pk).is_published()
    # Nor from the list's action, which cannot ask twice.
    chief.post("/admin/magazine/issue/", {"action": "publish_now", "_selected_action": [issue.pk]})
    assert not Issue.objects.get(pk=issue.pk).is_published()
    chief.post(reverse("admin:magazine_issue_publish", args=[issue.pk]), {"above_line": "1"})
    assert Issue.objects.get(pk=issue.pk).is_published()


@override_settings(PROOFING_ABOVE_LINE="refuse")
def test_above_the_line_publishing_can_be_refused_outright(issue, chief):
    article = add(issue, "短文", "　　我们要再接再励。")
    proofing_runs.accept(ProofFinding.objects.get(article=article), chief.user)
    signed_through(issue)
    response = chief.post(
        reverse("admin:magazine_issue_publish", args=[issue.pk]),
        {"above_line": "1"},
        follow=True,
    )
    assert "请改正后再发布" in response.content.decode()
    assert not Issue.objects.get(pk=issue.pk).is_published()


def test_proofing_rounds_are_marked_and_shown_with_what_is_missing(issue, editor):
    first = add(issue, "城市的河", "　　正文。")
    second = add(issue, "山里的路", "　　正文。")
    contents = reverse("admin:magazine_issue_contents", args=[issue.pk])
    page = editor.get(contents).content.decode()
    assert "一校 2 篇" in page.replace("\n", " ")
    editor.post(
        reverse("admin:magazine_issue_rounds", args=[issue.pk]),
        {"round": "1", "article": [first.pk, second.pk]},
    )
    editor.post(
        reverse("admin:magazine_issue_rounds", args=[issue.pk]),
        {"round": "read", "article": [first.pk]},
    )
    assert set(ProofRound.objects.values_list("article_id", "round", "user")) == {
        (first.pk, "1", editor.user.pk),
        (second.pk, "1", editor.user.pk),
        (first.pk, "read", editor.user.pk),
    }
    page = editor.get(contents).content.decode()
    assert "一校 ✓" in page and "通读 1 篇" in page and "二校 2 篇" in page
    assert page.count("bianji") >= 3
    # An article of another issue, or no round named: refused, nothing written.
    other = Issue.objects.create(year=2016, number=6)
    stranger = Article.objects.create(issue=other, title="别处", body="　　正文。")
    editor.post(
        reverse("admin:magazine_issue_rounds", args=[issue.pk]),
        {"round": "2", "article": [stranger.pk]},
    )
    editor.post(reverse("admin:magazine_issue_rounds", args=[issue.pk]), {"article": [first.pk]})
    assert ProofRound.objects.count() == 3


def test_a_user_who_may_only_view_cannot_decide_or_mark(issue):
    viewer = User.objects.create_user("kan", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(
        Permission.objects.get(codename="view_issue"),
        Permission.objects.get(codename="view_article"),
    )
    client = Client()
    client.force_login(viewer)
    article = add(issue, "一篇", "　　再接再励。")
    finding = ProofFinding.objects.get(article=article)
    url = reverse("admin:magazine_issue_proofing", args=[issue.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"finding": finding.pk, "decision": "accept"}).status_code == 403
    rounds = reverse("admin:magazine_issue_rounds", args=[issue.pk])
    assert client.post(rounds, {"round": "1", "article": [article.pk]}).status_code == 403
    assert ProofFinding.objects.get(pk=finding.pk).status == "open"
    assert not ProofRound.objects.exists()


def test_a_heartbeat_of_unchanged_post_data_keeps_findings(issue, editor):
    """Saving the form unchanged checks again and finds the same, no more."""
    article = add(issue, "一篇", "　　再接再励。")
    address = reverse("admin:articles_article_change", args=[article.pk])
    editor.post(address, unchanged_post_data(editor.get(address)))
    assert open_findings(article) == [("word.wrong", "再接再励", "再接再厉")]
