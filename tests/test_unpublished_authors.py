"""An author whose articles are all unpublished cannot be confirmed by name: the
Traditional form of the name answers as a name that does not exist does."""

import pytest

from articles.models import Article
from magazine.models import Issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_author():
    draft = Issue.objects.create(year=2015, number=4)
    Article(issue=draft, title="未发表", byline="文/滕将华", body="正文。").save_and_index()
    published = Issue.objects.create(year=2015, number=3)
    Article(issue=published, title="已发表", byline="文/林晓", body="正文。").save_and_index()
    published.publish()


@pytest.mark.usefixtures("hidden_author")
@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_the_traditional_name_of_an_unpublished_author_answers_like_no_name(client, prefix):
    assert client.get(f"{prefix}/authors/滕將華/").status_code == 404
    assert client.get(f"{prefix}/authors/無此人/").status_code == 404
    # A published author's Traditional name still leads to their page.
    assert client.get(f"{prefix}/authors/林曉/").status_code == 301


@pytest.mark.usefixtures("hidden_author")
def test_the_search_form_echoes_what_was_typed_for_an_unpublished_author(client):
    html = client.get("/search/", {"author": "滕將華"}).content.decode()
    assert 'value="滕將華"' in html and "滕将华" not in html
    shown = client.get("/search/", {"author": "林曉"}).content.decode()
    assert 'value="林晓"' in shown
