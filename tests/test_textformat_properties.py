"""Property-based tests: the parser never fails but by refusing; export/import round-trips."""

import codecs
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.textformat import (
    ParsedArticle,
    Refusal,
    format_article,
    is_byline,
    parse,
)
from magazine.models import Issue
from sections.models import Section
from tests.textfiles import article_bytes

HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理世车"
)
PUNCTUATION = "，、“”：；（）《》——…！？。·"
TEXT = HANZI + PUNCTUATION + "abcXYZ0123 "


def line_of(min_size=1, max_size=30, alphabet=TEXT):
    return (
        st.text(alphabet=alphabet, min_size=min_size, max_size=max_size).map(str.strip).filter(bool)
    )


page_names = line_of(max_size=8, alphabet=HANZI + " ·")
page_lists = st.lists(
    st.tuples(st.from_regex(r"[0-9]{2}|99[0-9]{2}", fullmatch=True), page_names),
    max_size=12,
    unique_by=lambda page: page[0],
)


@st.composite
def articles(draw):
    title = draw(line_of(max_size=40))
    kicker = draw(st.lists(line_of(max_size=20), max_size=2).filter(lambda ls: title not in ls))
    subtitle = draw(st.lists(line_of(max_size=20), max_size=2))
    byline = draw(st.one_of(st.just(""), line_of(max_size=40).filter(is_byline)))
    paragraphs = draw(st.lists(line_of(max_size=200), min_size=1, max_size=6))
    if not byline and len(paragraphs) == 1:
        assume(not is_byline(paragraphs[0]))
    return ParsedArticle(
        announced_title=title,
        title=title,
        pages=tuple(draw(page_lists)),
        kicker="\n".join(kicker),
        subtitle="\n".join(subtitle),
        byline=byline,
        paragraphs=tuple(paragraphs),
    )


def write(article):
    return format_article(
        title=article.title,
        pages=article.pages,
        kicker=article.kicker,
        subtitle=article.subtitle,
        byline=article.byline,
        paragraphs=article.paragraphs,
    )


def parse_or_refuse(data):
    """Either an article or a Refusal; anything else fails the test."""
    try:
        result = parse(data)
    except Refusal as refusal:
        assert str(refusal) and "\n" not in str(refusal)
        return refusal
    assert isinstance(result, ParsedArticle)
    assert result.title and result.paragraphs
    return result


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=4096))
@example(b"\xff\xfe")
@example(codecs.BOM_UTF8)
@example(b"\xfe\xff\x00")
@example("标题\n01版: 卷\n\n标题\n\n\u3000\u3000正文".encode("utf-16"))
def test_random_bytes_only_ever_give_an_article_or_a_refusal(data):
    parse_or_refuse(data)


@st.composite
def mutated_files(draw):
    data = bytearray(
        draw(
            st.sampled_from(
                [
                    article_bytes(),
                    article_bytes(encoding="gb18030", newline="\r\n"),
                    codecs.BOM_UTF8 + article_bytes(newline="\r"),
                    codecs.BOM_UTF16_LE + article_bytes(encoding="utf-16-le"),
                ]
            )
        )
    )
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
        chunk = draw(
            st.one_of(
                st.binary(min_size=1, max_size=6),
                st.sampled_from(
                    [b"\n", b"\r", b"  ", "\u3000".encode(), "版:".encode(), "。".encode(), b"\t"]
                ),
            )
        )
        if action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        elif action == "replace":
            data[position : position + len(chunk)] = chunk
        else:
            del data[position:]
    return bytes(data)


@settings(max_examples=500, deadline=None)
@given(mutated_files())
def test_mutated_valid_files_only_ever_give_an_article_or_a_refusal(data):
    parse_or_refuse(data)


@settings(max_examples=300, deadline=None)
@given(
    articles(),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_written_articles_parse_back_to_the_same_fields(article, encoding, newline):
    data = write(article).replace("\n", newline).encode(encoding)
    assert parse(data) == ParsedArticle(**{**article.__dict__, "encoding": encoding})


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(articles(), min_size=1, max_size=4, unique_by=lambda a: a.title), page_lists)
def test_export_then_import_gives_back_the_same_fields(generated, pages):
    Issue.objects.all().delete()
    issue = Issue.objects.create(year=2014, number=5)
    sections = [
        Section.objects.create(issue=issue, code=code, name=name, position=i)
        for i, (code, name) in enumerate(pages)
    ]
    for index, article in enumerate(generated):
        Article(
            issue=issue,
            section=sections[index % len(sections)] if sections and index % 2 else None,
            position=index,
            title=article.title,
            kicker=article.kicker,
            subtitle=article.subtitle,
            byline=article.byline,
            body=article.body,
        ).save_and_index()

    def state():
        return (
            list(issue.sections.values_list("code", "name")),
            sorted(
                Article.objects.values_list(
                    "title", "kicker", "subtitle", "byline", "body", "section__code"
                )
            ),
        )

    before = state()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export"
        err = StringIO()
        call_command("export_text", str(out), "--issue", "2014-5", stdout=StringIO(), stderr=err)
        assert err.getvalue() == ""
        Issue.objects.all().delete()
        call_command("import_text", str(out), "--issue", "2014-5", stdout=StringIO())
    issue = Issue.objects.get(year=2014, number=5)
    assert state() == before
