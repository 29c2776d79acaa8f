"""An issue has at most MAX_PAGES_PER_ISSUE pages, and its admin page works at that many.

Before, a page list of 10,000 pages imported, and the issue's form was then
23 MB, took 23 s and could not be saved (400 TooManyFieldsSent from some 200
pages on).
"""

from io import StringIO

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from magazine.models import Issue
from sections.models import MAX_PAGES_PER_ISSUE, Section, TooManyPages
from tests.admin_forms import unchanged_post_data
from tests.textfiles import article_bytes, import_text

pytestmark = pytest.mark.django_db


def page_list(count, start=1):
    return " ".join(f"{n:04d}版: 版面{n}" for n in range(start, start + count))


def test_an_import_of_too_many_pages_is_refused_in_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "big.txt").write_bytes(article_bytes(title="一万个版面", pages=page_list(10_000)))
    (tmp_path / "ok.txt").write_bytes(article_bytes(title="正常文章", pages=page_list(70)))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        import_text(str(tmp_path), "--issue", "2014-5", out=out, err=err)
    (line,) = err.getvalue().strip().splitlines()
    assert line.startswith("refused: ") and "big.txt: line 2: 2014, No. 5 would have" in line
    assert f"at most {MAX_PAGES_PER_ISSUE}" in line
    issue = Issue.objects.get()
    assert issue.sections.count() == 70
    assert list(Article.objects.values_list("title", flat=True)) == ["正常文章"]


def test_the_domain_refuses_a_page_list_that_would_pass_the_limit(issue):
    Section.objects.merge(issue, [(f"{n:04d}", "版") for n in range(1, MAX_PAGES_PER_ISSUE)])
    with pytest.raises(TooManyPages):
        Section.objects.merge(issue, [("A1", "甲"), ("A2", "乙")])
    assert issue.sections.count() == MAX_PAGES_PER_ISSUE - 1
    Section.objects.merge(issue, [("A1", "甲")])  # up to the limit is fine
    assert issue.sections.count() == MAX_PAGES_PER_ISSUE


def test_the_admin_page_list_is_refused_beyond_the_limit(admin_client, issue):
    response = admin_client.post(
        f"/admin/magazine/issue/{issue.pk}/change/",
        {
            "year": "2014",
            "number": "5",
            "page_list": page_list(MAX_PAGES_PER_ISSUE + 1),
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "page_list" in response.context["adminform"].form.errors
    assert not issue.sections.exists()


def test_a_full_issue_takes_no_page_from_the_page_form(admin_client, issue):
    Section.objects.merge(issue, [(f"{n:04d}", "版") for n in range(1, MAX_PAGES_PER_ISSUE + 1)])
    response = admin_client.post(
        "/admin/sections/section/add/",
        {
            "issue": str(issue.pk),
            "position": "999",
            "code": "X1",
            "name": "多一版",
            "articles-TOTAL_FORMS": "0",
            "articles-INITIAL_FORMS": "0",
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Section.objects.filter(code="X1").exists()


def change_form(admin_client, issue):
    url = f"/admin/magazine/issue/{issue.pk}/change/"
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    assert response.status_code == 200
    return url, response, len(queries)


def test_the_issue_form_at_the_most_pages_renders_in_fixed_queries_and_saves(admin_client):
    small = Issue.objects.create(year=2014, number=5)
    full = Issue.objects.create(year=2014, number=6)
    Section.objects.merge(small, [("01", "卷首语"), ("02", "要闻")])
    Section.objects.merge(
        full, [(f"{n:04d}", f"版面{n}") for n in range(1, MAX_PAGES_PER_ISSUE + 1)]
    )
    _, _, few = change_form(admin_client, small)
    url, response, many = change_form(admin_client, full)
    assert many == few
    assert len(response.content) < 2_000_000
    data = unchanged_post_data(response)
    data[f"sections-{MAX_PAGES_PER_ISSUE - 1}-name"] = "改过的名字"
    saved = admin_client.post(url, data)
    assert saved.status_code == 302
    assert full.sections.order_by("position").last().name == "改过的名字"
    assert full.sections.count() == MAX_PAGES_PER_ISSUE


def test_the_pages_inline_refuses_rows_beyond_the_limit(admin_client, issue):
    data = {
        "year": "2014",
        "number": "5",
        "page_list": "",
        "sections-TOTAL_FORMS": str(MAX_PAGES_PER_ISSUE + 1),
        "sections-INITIAL_FORMS": "0",
    }
    for n in range(MAX_PAGES_PER_ISSUE + 1):
        data |= {
            f"sections-{n}-position": str(n),
            f"sections-{n}-code": f"{n:04d}",
            f"sections-{n}-name": "版",
        }
    response = admin_client.post(f"/admin/magazine/issue/{issue.pk}/change/", data)
    assert response.status_code == 200
    assert not issue.sections.exists()
