"""Two editors on one article, page or issue: a save from a form opened before the
other's save is refused, both inputs survive, and the message names who saved,
when, and what they changed. The same by every route that saves from a form."""

import re

import pytest
from concurrency.exceptions import RecordModifiedError
from django.db import transaction
from django.urls import reverse

from articles.models import Article, ArticleArea
from magazine.models import Issue
from magazine.roles import CHIEF_EDITORS, EDITORS
from sections.models import Section
from tests.admin_forms import unchanged_post_data
from tests.test_review import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = Issue.objects.create(year=2026, number=12)
    Section.objects.merge(issue, [("01", "卷首语"), ("03", "本期策划")])
    Article(
        issue=issue,
        section=issue.sections.get(code="03"),
        title="城市的河",
        byline="文/林晓",
        body="第一段。\n第二段。\n第三段。",
    ).save_and_index()
    return issue


@pytest.fixture
def lin():
    return account("linxiao", EDITORS)


@pytest.fixture
def wang():
    return account("wangfang", EDITORS)


def opened(client, url):
    """The form as an editor has it open: its fields as the page rendered them."""
    response = client.get(url)
    assert response.status_code == 200
    return unchanged_post_data(response)


def errors(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", " ".join(re.findall(r'errorlist nonfield">(.*?)</ul>', html, re.S)))


def test_the_second_save_of_an_article_is_refused_and_both_inputs_survive(issue, lin, wang):
    article = issue.articles.get()
    url = reverse("admin:articles_article_change", args=[article.pk])
    form_of_wang = opened(wang, url)  # opened a minute earlier
    form_of_lin = opened(lin, url)
    form_of_lin["body"] = "第一段。\n第二段，林晓改过。\n第三段。"
    assert lin.post(url, form_of_lin).status_code == 302

    form_of_wang["title"] = "城市里的河"
    refused = wang.post(url, form_of_wang, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    message = errors(refused)
    assert "linxiao saved this article at" in message
    assert "paragraph 2: “第二段。” → “第二段，林晓改过。”" in message
    assert 'value="城市里的河"' in refused.content.decode()  # Wang's input is kept
    article.refresh_from_db()
    assert (article.title, article.body) == ("城市的河", "第一段。\n第二段，林晓改过。\n第三段。")

    # Wang merges (takes Lin's paragraph) and saves again: the form now holds the
    # stored version, so it goes through.
    again = unchanged_post_data(refused)
    again["body"] = article.body
    assert wang.post(url, again).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("城市里的河", "第一段。\n第二段，林晓改过。\n第三段。")


def test_a_pages_form_is_refused_after_someone_saved_its_areas(issue, lin, wang):
    page = issue.sections.get(code="03")
    article = issue.articles.get()
    url = reverse("admin:sections_section_change", args=[page.pk])
    form_of_wang = opened(wang, url)
    form_of_lin = opened(lin, url)
    form_of_lin.update(
        {
            "areas-TOTAL_FORMS": "1",
            "areas-0-article": str(article.pk),
            "areas-0-x": "0.1",
            "areas-0-y": "0.1",
            "areas-0-w": "0.5",
            "areas-0-h": "0.4",
        }
    )
    assert lin.post(url, form_of_lin).status_code == 302
    form_of_wang["name"] = "本期策划（上）"
    refused = wang.post(url, form_of_wang, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "linxiao saved this page" in errors(refused)
    page.refresh_from_db()
    assert page.name == "本期策划" and ArticleArea.objects.filter(section=page).count() == 1


def test_an_issues_form_is_refused_after_someone_saved_it(issue, lin, wang):
    url = reverse("admin:magazine_issue_change", args=[issue.pk])
    form_of_wang = opened(wang, url)
    form_of_lin = opened(lin, url)
    form_of_lin["cumulative_number"] = "300"
    assert lin.post(url, form_of_lin).status_code == 302
    form_of_wang["cover_alt"] = "封面：一条河"
    refused = wang.post(url, form_of_wang, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert "cumulative number: “—” → “300”" in errors(refused)
    issue.refresh_from_db()
    assert issue.cumulative_number == 300 and issue.cover_alt == ""


def test_a_page_row_of_the_issue_form_is_refused_after_its_page_was_saved(issue, lin, wang):
    url = reverse("admin:magazine_issue_change", args=[issue.pk])
    form_of_wang = opened(wang, url)
    page = issue.sections.get(code="01")
    page_url = reverse("admin:sections_section_change", args=[page.pk])
    form_of_lin = opened(lin, page_url)
    form_of_lin["name"] = "卷首"
    assert lin.post(page_url, form_of_lin).status_code == 302
    row = next(k for k, v in form_of_wang.items() if k.endswith("-id") and v == str(page.pk))
    form_of_wang[row.replace("-id", "-name")] = "卷首语（改）"
    refused = wang.post(url, form_of_wang, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "linxiao saved this page" in refused.content.decode()
    assert Section.objects.get(pk=page.pk).name == "卷首"


@pytest.mark.parametrize("version", ["", "12", "1:forged-signature"])
def test_a_missing_or_altered_version_is_refused_and_nothing_is_written(issue, lin, version):
    article = issue.articles.get()
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = opened(lin, url)
    form.update(version=version, title="改过的标题")
    refused = lin.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert "version is missing or was altered" in errors(refused)
    assert Article.objects.get(pk=article.pk).title == "城市的河"


def test_a_restore_opened_before_someone_saved_is_refused(issue, lin, wang):
    article = issue.articles.get()
    first = article.history.earliest("history_date")
    form_of_lin = opened(lin, reverse("admin:articles_article_change", args=[article.pk]))
    form_of_lin["title"] = "第二稿"
    assert (
        lin.post(
            reverse("admin:articles_article_change", args=[article.pk]), form_of_lin
        ).status_code
        == 302
    )
    restore = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    form_of_wang = opened(wang, restore)
    form_of_lin = opened(lin, reverse("admin:articles_article_change", args=[article.pk]))
    form_of_lin["title"] = "第三稿"
    assert (
        lin.post(
            reverse("admin:articles_article_change", args=[article.pk]), form_of_lin
        ).status_code
        == 302
    )
    refused = wang.post(restore, form_of_wang, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "linxiao saved this article" in errors(refused)
    assert Article.objects.get(pk=article.pk).title == "第三稿"
    # Opened afresh, the restore goes through.
    assert wang.post(restore, opened(wang, restore)).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "城市的河"


def test_an_action_on_a_row_changed_since_the_list_was_shown_does_nothing(issue, lin):
    chief = account("zhubian", CHIEF_EDITORS)
    article = issue.articles.get()
    listed = chief.get(reverse("admin:articles_article_changelist")).content.decode()
    version = re.search(rf'name="_version_{article.pk}" value="(\d+)"', listed).group(1)
    form = opened(lin, reverse("admin:articles_article_change", args=[article.pk]))
    form["title"] = "改过的标题"
    lin.post(reverse("admin:articles_article_change", args=[article.pk]), form)
    response = chief.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "place_on_page",
            "_selected_action": [str(article.pk)],
            f"_version_{article.pk}": version,
            "section": issue.sections.get(code="01").pk,
            "apply": "1",
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Nothing was done: “改过的标题” changed after this list was shown" in (
        response.content.decode()
    )
    assert Article.objects.get(pk=article.pk).section.code == "03"


def test_a_position_typed_in_a_stale_list_is_refused_on_its_row(issue, lin, wang):
    article = issue.articles.get()
    url = reverse("admin:articles_article_changelist") + f"?issue__id__exact={issue.pk}"
    listed = wang.get(url)
    data = unchanged_post_data_of_list(listed)
    form = opened(lin, reverse("admin:articles_article_change", args=[article.pk]))
    form["position"] = "5"
    lin.post(reverse("admin:articles_article_change", args=[article.pk]), form)
    data["form-0-position"] = "9"
    refused = wang.post(url, {**data, "_save": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "linxiao saved this article" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).position == 5


def unchanged_post_data_of_list(response):
    formset = response.context["cl"].formset
    data = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for bound in form:
            if bound.value() is not None:
                data[bound.html_name] = str(bound.value())
    return data


def test_a_save_that_slips_between_check_and_write_is_shown_again(issue, lin, wang, monkeypatch):
    from editorial.admin import concurrency

    article = issue.articles.get()
    url = reverse("admin:articles_article_change", args=[article.pk])
    form_of_wang = opened(wang, url)
    Article.objects.filter(pk=article.pk).update(version=article.version + 1)  # someone wrote
    checks = []
    real = concurrency.conflict

    def late(model, pk, opened_at):
        checks.append(pk)
        return None if len(checks) == 1 else real(model, pk, opened_at)  # misses it once

    monkeypatch.setattr(concurrency, "conflict", late)
    form_of_wang["title"] = "新标题"
    response = wang.post(url, form_of_wang)
    assert response.status_code == 200 and len(checks) == 2
    assert Article.objects.get(pk=article.pk).title == "城市的河"


def test_the_model_refuses_a_stale_save_from_any_code(issue):
    first, second = Article.objects.get(), Article.objects.get()
    first.title = "甲"
    first.save()
    second.title = "乙"
    with pytest.raises(RecordModifiedError), transaction.atomic():
        second.save()
    assert Article.objects.get().title == "甲"


def test_publishing_neither_checks_nor_moves_the_issues_version(issue):
    stale = Issue.objects.get(pk=issue.pk)
    fresh = Issue.objects.get(pk=issue.pk)
    fresh.cover_alt = "一条河"
    fresh.save()
    stale.publish()  # an instance read before the edit: publishing still works
    assert Issue.objects.get(pk=issue.pk).version == fresh.version
