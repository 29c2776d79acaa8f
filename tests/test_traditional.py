"""繁體中文: every reader page under /zh-hant/, converted by OpenCC; search in both scripts."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from articles.models import Article, Author
from infra.chinese_script import to_simplified, to_traditional
from magazine.models import Issue
from reader.management.commands.traditional_catalogue import catalogue_path, converted_catalogue
from sections.models import Section

pytestmark = pytest.mark.django_db


# The converter: words, not characters


@pytest.mark.parametrize(
    "simplified, traditional",
    [
        ("头发", "頭髮"),  # 发 as hair
        ("发展", "發展"),  # 发 as to send out
        ("理发店的头发", "理髮店的頭髮"),
        ("软件", "軟體"),  # Taiwan's word, with s2twp
        ("打印机", "印表機"),
        ("后来", "後來"),
        ("皇后", "皇后"),  # 后 as empress stays
        ("干部", "幹部"),
        ("乾隆", "乾隆"),
    ],
)
def test_opencc_converts_the_words_a_character_table_gets_wrong(simplified, traditional):
    assert to_traditional(simplified) == traditional


def test_the_standard_is_a_setting(settings):
    assert to_traditional("软件") == "軟體"
    settings.TRADITIONAL_CHINESE = "s2hk"
    assert to_traditional("软件") == "軟件"  # Hong Kong keeps the word
    assert to_simplified("軟件") == "软件"


def test_text_without_traditional_characters_is_left_as_it_is():
    # The way back knows Taiwan's words: 文件 (a document, in Taiwan) would be
    # 文档, but 文件 is Simplified too.
    assert to_simplified("文件") == "文件"
    assert to_simplified("頭髮") == "头发"
    assert to_simplified("軟體") == "软件"
    assert to_simplified("abc 123") == "abc 123"


# Every reader page in Traditional


def build():
    issue = Issue.objects.create(year=2014, number=5, published_at=timezone.now())
    first = Section.objects.create(issue=issue, code="01", name="卷首语", position=1)
    feature = Section.objects.create(issue=issue, code="10", name="本期策划", position=2)
    hair = Article(
        issue=issue,
        section=first,
        title="理发店里的头发",
        byline="文/滕将华",
        body="乡村发展离不开软件。\n\n老师傅的手艺。",
    )
    hair.save_and_index()
    files = Article(issue=issue, section=feature, title="文件柜", body="整理文件。")
    files.save_and_index()
    Issue.objects.create(year=2014, number=6)  # a draft: never listed
    return issue, hair, files


PAGES = {
    "home": lambda issue, hair: "/",
    "archive": lambda issue, hair: "/issues/",
    "year": lambda issue, hair: "/issues/2014/",
    "contents": lambda issue, hair: issue.get_absolute_url(),
    "page": lambda issue, hair: hair.section.get_absolute_url(),
    "article": lambda issue, hair: hair.get_absolute_url(),
    "search": lambda issue, hair: "/search/?q=头发",
    "authors": lambda issue, hair: "/authors/",
    "author": lambda issue, hair: "/authors/滕将华/",
}


@pytest.mark.parametrize("name", PAGES)
def test_every_reader_page_is_served_in_traditional_chinese(client, name):
    issue, hair, _ = build()
    path = PAGES[name](issue, hair)
    simplified = client.get(path).content.decode()
    response = client.get(f"/zh-hant{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-TW">' in html
    assert "往期回顧" in html and "往期回顾" not in html  # the interface
    assert "基層月刊" in html
    if name not in ("home", "archive", "year", "contents"):
        assert "理发店里的头发" in simplified or "滕将华" in simplified
        assert "理髮店裡的頭髮" in html or "滕將華" in html  # the content
        assert "头发" not in html.replace("%E5%A4%B4%E5%8F%91", "")


def test_article_texts_page_names_and_bylines_are_converted(client):
    issue, hair, _ = build()
    html = client.get(f"/zh-hant{hair.get_absolute_url()}").content.decode()
    assert '<h1 id="article-title">理髮店裡的頭髮</h1>' in html
    assert "鄉村發展離不開軟體。" in html
    assert "滕將華" in html
    assert "卷首語" in html
    # Addresses are percent-encoded, so the byline still links to 滕将华.
    assert 'href="/zh-hant/authors/%E6%BB%95%E5%B0%86%E5%8D%8E/"' in html
    contents = client.get(f"/zh-hant{issue.get_absolute_url()}").content.decode()
    assert "本期策劃" in contents and "本期策划" not in contents


def test_quotation_marks_are_set_as_traditional_chinese_sets_them(client):
    _, hair, _ = build()
    hair.body = "老师傅说：“这叫‘剃头’，不叫理发。”\nChildren’s Day 那天，店里很忙。"
    hair.save_and_index()
    simplified = client.get(hair.get_absolute_url()).content.decode()
    assert "“这叫‘剃头’，不叫理发。”" in simplified  # as written, in Simplified
    html = client.get(f"/zh-hant{hair.get_absolute_url()}").content.decode()
    assert "「這叫『剃頭』，不叫理髮。」" in html
    assert "Children’s Day" in html  # an apostrophe in English stays one
    assert "“" not in html and "‘剃" not in html


def test_traditional_pages_ask_for_traditional_fonts_first(client):
    from pathlib import Path

    css = (Path(__file__).parent.parent / "static/css/site.css").read_text()
    rule = css[css.index(":root:lang(zh-TW)") :]
    rule = rule[: rule.index("}")]
    sans = rule[rule.index("--sans:") :]
    assert sans.index("Noto Sans CJK TC") < sans.index("Noto Sans CJK SC")
    html = client.get("/zh-hant/").content.decode()
    assert '<html lang="zh-TW">' in html  # what the rule matches


def test_links_stay_in_the_readers_script(client):
    issue, hair, files = build()
    html = client.get(f"/zh-hant{hair.get_absolute_url()}").content.decode()
    switch = html.index('<p class="script-switch">')
    html = html[:switch] + html[html.index("</p>", switch) :]  # the one way out
    assert f'href="/zh-hant{issue.get_absolute_url()}"' in html
    assert 'href="/zh-hant/search/"' in html
    assert f'href="/zh-hant/articles/{files.pk}/"' in html  # 下一篇
    assert 'href="/issues/' not in html and 'href="/articles/' not in html


def test_the_switch_leads_to_the_same_page_in_the_other_script(client):
    _, hair, _ = build()
    path = hair.get_absolute_url()
    simplified = client.get(path).content.decode()
    assert f'<a href="/zh-hant{path}" lang="zh-Hant" hreflang="zh-Hant"' in simplified
    assert ">繁體</a>" in simplified
    traditional = client.get(f"/zh-hant{path}").content.decode()
    # The Simplified site's name stays Simplified on a Traditional page.
    assert f'<a href="{path}" lang="zh-Hans" hreflang="zh-Hans"' in traditional
    assert "<!--as-is-->简体<!--/as-is--></a>" in traditional
    search = client.get("/zh-hant/search/?q=%E9%A0%AD%E9%AB%AE&sort=relevance").content.decode()
    assert 'href="/search/?q=%E9%A0%AD%E9%AB%AE&amp;sort=relevance"' in search


def test_hreflang_alternates_and_canonical_links_in_both_scripts(client):
    _, hair, _ = build()
    path = hair.get_absolute_url()
    for shown in (path, f"/zh-hant{path}"):
        html = client.get(shown).content.decode()
        assert f'<link rel="canonical" href="http://testserver{shown}">' in html
        assert f'<link rel="alternate" hreflang="zh-Hans" href="http://testserver{path}">' in html
        assert (
            f'<link rel="alternate" hreflang="zh-Hant" href="http://testserver/zh-hant{path}">'
            in html
        )
        assert f'hreflang="x-default" href="http://testserver{path}"' in html


def test_an_authors_page_links_the_other_script_by_the_same_name(client):
    build()
    html = client.get("/zh-hant/authors/滕将华/").content.decode()
    encoded = "/authors/%E6%BB%95%E5%B0%86%E5%8D%8E/"  # 滕将华, percent-encoded
    assert f'<a href="{encoded}" lang="zh-Hans"' in html
    assert f'hreflang="zh-Hans" href="http://testserver{encoded}"' in html
    assert f'<link rel="canonical" href="http://testserver/zh-hant{encoded}">' in html


def test_a_browser_asking_for_traditional_gets_the_simplified_address_as_it_is(client):
    _, hair, _ = build()
    html = client.get(hair.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "理发店里的头发" in html and '<html lang="zh-CN">' in html
    english = client.get(hair.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english
    assert client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-TW").status_code == 200


def test_drafts_stay_hidden_in_traditional(client):
    issue, hair, _ = build()
    Issue.objects.filter(pk=issue.pk).update(published_at=None)
    for path in ("/", hair.get_absolute_url(), issue.get_absolute_url()):
        response = client.get(f"/zh-hant{path}")
        assert "理髮店" not in response.content.decode()
    assert client.get(f"/zh-hant{hair.get_absolute_url()}").status_code == 404
    assert client.get("/zh-hant/issues/2014/6/").status_code == 404


def test_a_missing_page_is_a_traditional_404(client):
    response = client.get("/zh-hant/articles/999999/")
    assert response.status_code == 404
    assert '<html lang="zh-TW">' in response.content.decode()
    assert client.get("/zh-hant/api/v1/issues").status_code == 404
    assert client.get("/zh-hant/sitemap.xml").status_code == 404


# Search in both scripts


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sorted(hit.title for hit in response.context.get("articles", []))


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_a_query_in_either_script_finds_the_same_articles(client, prefix):
    build()
    for query in ("头发", "頭髮", "软件", "軟體", "理发 发展", "理髮 發展"):
        assert titles(client, f"{prefix}/search/?q={query}") == ["理发店里的头发"], query
    assert titles(client, f"{prefix}/search/?q=文件") == ["文件柜"]  # not 文档


def test_highlights_are_shown_in_the_readers_script(client):
    build()
    html = client.get("/zh-hant/search/?q=頭髮").content.decode()
    assert "理髮店裡的<mark>頭髮</mark>" in html
    assert 'value="頭髮"' in html
    simplified = client.get("/search/?q=頭髮").content.decode()
    assert "理发店里的<mark>头发</mark>" in simplified


def test_the_search_filters_take_traditional_names(client):
    build()
    # The page name as a Traditional page's form sends it, the author as typed.
    assert titles(client, "/zh-hant/search/?section=本期策劃") == ["文件柜"]
    assert titles(client, "/zh-hant/search/?author=滕將華") == ["理发店里的头发"]
    assert titles(client, "/search/?author=滕將華") == ["理发店里的头发"]
    assert client.get("/zh-hant/search/?section=沒有這版").status_code == 400


def test_an_authors_traditional_name_finds_them(client):
    build()
    response = client.get("/zh-hant/authors/滕將華/")
    assert response.status_code == 301
    assert response["Location"] == "/zh-hant/authors/%E6%BB%95%E5%B0%86%E5%8D%8E/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "理髮店裡的頭髮" in page.content.decode()
    assert client.get("/zh-hant/authors/無此人/").status_code == 404


def test_an_author_written_in_traditional_is_found_as_written(client):
    _, hair, _ = build()
    author = Author.objects.create(name="陳國華")
    hair.authors.add(author)
    assert client.get("/authors/陳國華/").status_code == 200
    assert client.get("/zh-hant/authors/陳國華/").status_code == 200


# Caches, feed, sitemap


def test_the_page_cache_keeps_the_scripts_apart_and_converts_only_on_a_miss(client, monkeypatch):
    import reader.traditional

    build()
    calls = []
    convert = reader.traditional.to_traditional
    monkeypatch.setattr(
        reader.traditional, "to_traditional", lambda text: calls.append(1) or convert(text)
    )
    with override_settings(PAGE_CACHE_ENABLED=True, FRAGMENT_CACHE_ENABLED=True):
        simplified = client.get("/")
        traditional = client.get("/zh-hant/")
        assert simplified["X-Page-Cache"] == traditional["X-Page-Cache"] == "miss"
        converted = len(calls)
        assert converted > 0
        again = client.get("/zh-hant/")
        assert again["X-Page-Cache"] == "hit"
        assert len(calls) == converted
        assert client.get("/")["X-Page-Cache"] == "hit"
        assert "往期回顾" in client.get("/").content.decode()
        assert "往期回顧" in again.content.decode()


def test_the_feed_comes_in_both_scripts(client):
    _, hair, _ = build()
    feed = client.get("/zh-hant/feeds/latest/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "<title>理髮店裡的頭髮</title>" in body
    assert f'href="http://testserver/zh-hant/articles/{hair.pk}/"' in body
    assert "理发店里的头发" in client.get("/feeds/latest/").content.decode()


def test_the_sitemap_lists_both_scripts_with_alternates(client):
    _, hair, _ = build()
    body = client.get("/sitemap.xml").content.decode()
    for path in ("/", hair.get_absolute_url(), hair.section.get_absolute_url()):
        assert f"<loc>http://testserver{path}</loc>" in body
        assert f"<loc>http://testserver/zh-hant{path}</loc>" in body
        assert f'hreflang="zh-hant" href="http://testserver/zh-hant{path}"' in body
    assert "/issues/2014/6/" not in body


# The interface catalogue


def test_the_traditional_catalogue_is_the_simplified_one_converted():
    source = catalogue_path("zh_Hans").read_text(encoding="utf-8")
    committed = catalogue_path("zh_Hant").read_text(encoding="utf-8")
    assert committed == converted_catalogue(source), "run make messages"
    assert 'msgid "Past issues"\nmsgstr "往期回顧"' in committed


def test_the_compiled_catalogue_is_up_to_date():
    def compiled(locale):
        path = Path(catalogue_path(locale)).with_suffix(".mo")
        with path.open("rb") as handle:
            return gettext.GNUTranslations(handle)._catalog

    simplified, traditional = compiled("zh_Hans"), compiled("zh_Hant")
    assert len(traditional) == len(simplified) > 300
    for msgid, msgstr in simplified.items():
        if msgid:  # the header differs by its Language
            assert traditional[msgid] == to_traditional(msgstr), msgid


def test_the_setting_refuses_an_unknown_standard():
    from django.core.exceptions import ImproperlyConfigured

    from infra.env import env_choice

    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRADITIONAL_CHINESE must be one of"):
        env_choice(
            {"DJANGO_TRADITIONAL_CHINESE": "s2x"}, "DJANGO_TRADITIONAL_CHINESE", "s2twp", ("s2twp",)
        )
    assert settings.TRADITIONAL_CHINESE == "s2twp"


def test_fragments_are_kept_converted_and_not_converted_again(client, monkeypatch):
    import reader.traditional

    _, hair, _ = build()
    converted = []
    convert = reader.traditional.to_traditional
    monkeypatch.setattr(
        reader.traditional,
        "to_traditional",
        lambda text: converted.append(len(text)) or convert(text),
    )
    path = f"/zh-hant{hair.get_absolute_url()}"
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=True):
        first = client.get(path).content.decode()
        first_cost, converted[:] = sum(converted), []
        second = client.get(path).content.decode()
    assert second == first
    assert "<!--as-is-->" in first and "卷首語" in first and "卷首语" not in first
    assert 0 < sum(converted) < first_cost  # the page list came converted from the cache
