"""Every rule of the text import format, on files made here (no Django needed)."""

import codecs
import random

import pytest

from articles.textformat import (
    MAX_BYTES,
    ParsedArticle,
    Refusal,
    format_article,
    parse,
    parse_page_list,
)
from tests.textfiles import PAGES, article_bytes, article_text


def refusal(data):
    with pytest.raises(Refusal) as excinfo:
        parse(data)
    return excinfo.value


# Encodings and line endings


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("gb18030", b""),
        ("gbk", b""),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_encoding_and_line_ending_gives_the_same_article(encoding, bom, newline):
    data = bom + article_bytes(encoding=encoding, newline=newline)
    article = parse(data)
    assert article.title == "一条老街的新生"
    assert article.byline == "文/王芳"
    assert article.paragraphs == ("第一段正文。", "第二段正文。")
    assert len(article.pages) == 6


def test_trailing_white_space_is_ignored():
    text = article_text().replace("\n", " \t\u3000\n")
    article = parse(text.encode())
    assert article.title == "一条老街的新生"
    assert article.paragraphs == ("第一段正文。", "第二段正文。")


# Line 1 and the title


def test_title_is_the_head_line_equal_to_line_1():
    article = parse(article_bytes(head=["引题一", "一条老街的新生", "——副题"]))
    assert (article.kicker, article.title, article.subtitle) == (
        "引题一",
        "一条老街的新生",
        "——副题",
    )


@pytest.mark.parametrize("mark", ["......", "...", "…", "……"])
def test_truncated_announced_title_finds_the_full_title(mark):
    article = parse(article_bytes(title="一条老街的新生：居民议事会", announced="一条老街" + mark))
    assert article.title == "一条老街的新生：居民议事会"
    assert article.announced_title == "一条老街" + mark


def test_exact_match_wins_over_an_earlier_prefix_match():
    head = ["一条老街的新生系列", "一条老街的新生"]
    article = parse(article_bytes(head=head, announced="一条老街的新生"))
    assert article.kicker == "一条老街的新生系列"
    assert article.title == "一条老街的新生"


def test_first_prefix_match_is_the_title_when_none_is_equal():
    head = ["城市更新系列", "一条老街的新生：上", "一条老街的新生：下"]
    article = parse(article_bytes(head=head, announced="一条老街的新生..."))
    assert article.title == "一条老街的新生：上"
    assert article.kicker == "城市更新系列"
    assert article.subtitle == "一条老街的新生：下"


def test_several_kicker_and_subtitle_lines_and_blank_lines_between():
    text = article_text(head=["引题一", "", "引题二", "一条老街的新生", "副题一", "", "——副题二"])
    article = parse(text.encode())
    assert article.kicker == "引题一\n引题二"
    assert article.subtitle == "副题一\n——副题二"


def test_no_head_line_matching_line_1_is_refused():
    error = refusal(article_bytes(announced="另一个标题"))
    assert "no title" in error.reason and error.line == 1


def test_blank_line_1_is_refused():
    error = refusal(("\n" + article_text().split("\n", 1)[1]).encode())
    assert error.line == 1 and "blank" in error.reason


def test_title_only_in_line_1_without_head_is_refused():
    error = refusal(article_bytes(head=[]))
    assert "no title" in error.reason


# Line 2, the page list


def test_page_list_in_order_with_both_colons_and_optional_spaces():
    pages = parse_page_list("0001版: 封面 01版：卷首语 02版:目录\t10版:  本期策划 9901版: 封底")
    assert pages == (
        ("0001", "封面"),
        ("01", "卷首语"),
        ("02", "目录"),
        ("10", "本期策划"),
        ("9901", "封底"),
    )


def test_page_names_may_contain_spaces():
    assert parse_page_list("57版: 博览 · 读书 58版: 封 底 广告") == (
        ("57", "博览 · 读书"),
        ("58", "封 底 广告"),
    )


def test_full_width_space_separates_tokens():
    assert parse_page_list("01版: 卷首语\u300002版: 目录") == (("01", "卷首语"), ("02", "目录"))


def test_a_code_listed_twice_with_the_same_name_counts_once():
    assert parse_page_list("01版: 卷首语 02版: 目录 01版: 卷首语") == (
        ("01", "卷首语"),
        ("02", "目录"),
    )


def test_a_code_listed_twice_with_different_names_is_refused():
    error = refusal(article_bytes(pages="01版: 卷首语 02版: 目录 01版: 封面"))
    assert error.line == 2 and "01" in error.reason and "different names" in error.reason


@pytest.mark.parametrize("line", ["", "   ", "\t\u3000"])
def test_blank_line_2_means_no_page_list(line):
    assert parse(article_bytes(pages=line)).pages == ()


@pytest.mark.parametrize(
    "line, words",
    [
        ("这一行不是版面列表", "not a page list"),
        ("目录 01版: 卷首语", "text before the first page"),
        ("01版: 02版: 目录", "has no name"),
    ],
)
def test_a_line_2_that_is_not_a_page_list_is_refused(line, words):
    error = refusal(article_bytes(pages=line))
    assert error.line == 2 and words in error.reason


@pytest.mark.parametrize(
    "line", ["01版: 卷首语 " + "B" * 50 + "版: 名字", "A123456789版: 封面 01版: 卷首语"]
)
def test_a_page_code_over_8_characters_is_refused_not_glued_to_a_name(line):
    error = refusal(article_bytes(pages=line))
    assert error.line == 2 and "1 to 8 letters or digits" in error.reason
    assert "characters long" in error.reason


def test_the_admin_page_list_refuses_an_over_long_code_too(admin_client):
    from magazine.models import Issue

    issue = Issue.objects.create(year=2014, number=5)
    response = admin_client.post(
        f"/admin/magazine/issue/{issue.pk}/change/",
        {
            "year": "2014",
            "number": "5",
            "page_list": "01版: 卷首语 " + "B" * 50 + "版: 名字",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
        },
    )
    assert "代码应为 1 到 8 个字母或数字" in str(response.context["adminform"].form.errors)
    assert not issue.sections.exists()


def test_over_long_page_name_is_refused():
    error = refusal(article_bytes(pages="01版: " + "长" * 101))
    assert error.line == 2 and "longer than 100" in error.reason


# Byline and body


@pytest.mark.parametrize("indent", ["  ", "\t", "\u3000\u3000", " \u3000\t", "\u3000"])
def test_indentation_by_spaces_tabs_or_full_width_spaces(indent):
    article = parse(article_bytes(indent=indent))
    assert article.byline == "文/王芳"
    assert article.paragraphs == ("第一段正文。", "第二段正文。")


def test_a_lone_short_first_line_is_the_byline():
    assert parse(article_bytes(byline="本刊记者 陈晓 通讯员 林一帆")).byline == (
        "本刊记者 陈晓 通讯员 林一帆"
    )


def test_byline_at_exactly_40_characters_and_indentation_not_counted():
    byline = "字" * 40
    assert parse(article_bytes(byline=byline, indent="\u3000" * 8)).byline == byline


def test_a_first_line_over_40_characters_is_a_paragraph():
    long_line = "字" * 41
    article = parse(article_bytes(byline=long_line))
    assert article.byline == ""
    assert article.paragraphs[0] == long_line
    assert len(article.paragraphs) == 3


@pytest.mark.parametrize("mark", ["。", "！", "？"])
def test_a_first_line_with_sentence_punctuation_is_a_paragraph(mark):
    article = parse(article_bytes(byline=f"短短一句{mark}"))
    assert article.byline == ""
    assert article.paragraphs[0] == f"短短一句{mark}"


def test_a_first_line_that_does_not_stand_alone_is_a_paragraph():
    text = article_text(byline="", paragraphs=("短句", "第二段。"))
    article = parse(text.encode())
    assert article.byline == ""
    assert article.paragraphs == ("短句", "第二段。")


def test_a_byline_at_the_end_of_the_file_with_no_body_is_refused():
    text = "标题\n\n\n标题\n\n\u3000\u3000文/王芳"
    error = refusal(text.encode())
    assert "no body" in error.reason


def test_continuation_lines_join_the_paragraph_before_without_a_space():
    text = article_text(paragraphs=("第一段前半，", "第二段。")).replace(
        "第一段前半，\n", "第一段前半，\n后半接在这里。\n"
    )
    article = parse(text.encode())
    assert article.paragraphs == ("第一段前半，后半接在这里。", "第二段。")


def test_blank_lines_in_the_body_carry_no_meaning():
    text = article_text(paragraphs=("第一段。", "", "", "第二段。"))
    assert parse(text.encode()).paragraphs == ("第一段。", "第二段。")


def test_no_indented_line_is_refused_as_no_body():
    text = "标题\n" + PAGES + "\n\n标题\n\n"
    error = refusal(text.encode())
    assert "no body" in error.reason and error.line == 4


# Refusals of the bytes themselves


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t", "\u3000\n".encode()])
def test_empty_or_white_space_only_is_refused(data):
    assert "empty" in refusal(data).reason


def test_larger_than_5_mib_is_refused():
    data = article_bytes() + b"\xe3\x80\x80" * ((MAX_BYTES // 3) + 1)
    assert len(data) > MAX_BYTES
    assert "larger than 5 MiB" in refusal(data).reason


def test_exactly_5_mib_is_read():
    base = article_bytes()
    padding = MAX_BYTES - len(base)
    data = base + b" " * padding
    assert len(data) == MAX_BYTES
    assert parse(data).title == "一条老街的新生"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"[:0] + "\x9b"])
def test_control_characters_are_refused_with_their_line(char):
    text = article_text().replace("第二段正文。", f"第二段{char}正文。")
    error = refusal(text.encode())
    assert "control character" in error.reason
    assert error.line == 9


def test_nul_bytes_in_utf16_are_refused():
    data = codecs.BOM_UTF16_LE + article_text().encode("utf-16-le") + b"\x00\x00"
    assert "control character U+0000" in refusal(data).reason


def test_a_byte_order_mark_in_the_middle_is_refused():
    data = article_bytes().replace("第二段".encode(), codecs.BOM_UTF8 + "第二段".encode())
    error = refusal(data)
    assert "byte-order mark" in error.reason and error.line == 9


def test_bytes_that_are_no_text_are_refused():
    assert "cannot be read" in refusal(bytes(range(256)) * 4).reason


def test_gb18030_that_decodes_only_to_rare_characters_is_refused():
    # Valid GBK byte pairs, but outside everyday Chinese: what random bytes look like.
    pairs = random.Random(7)
    noise = bytes(
        b
        for _ in range(300)
        for b in (pairs.randint(0x81, 0xFE), pairs.choice([*range(0x40, 0x7F), *range(0x80, 0xFF)]))
    )
    data = article_text(paragraphs=("X",)).encode("gb18030").replace(b"X", noise)
    assert "nonsense" in refusal(data).reason


def test_utf8_read_as_gb18030_after_corruption_is_refused():
    data = article_bytes() + b"\xff"  # one bad byte: not UTF-8, and GBK makes it mojibake
    with pytest.raises(Refusal):
        parse(data)


def test_truncated_utf16_is_refused():
    data = codecs.BOM_UTF16_LE + article_text().encode("utf-16-le")[:-1]
    assert "cannot be read" in refusal(data).reason


def test_refusal_is_one_line_naming_the_line():
    error = refusal(article_bytes(pages="目录 01版: 卷首语"))
    assert str(error).startswith("line 2: ")
    assert "\n" not in str(error)


def test_refuses_anything_that_is_not_bytes():
    with pytest.raises(Refusal):
        parse("text, not bytes")


# Writing the format back


def test_format_then_parse_gives_back_every_field():
    original = ParsedArticle(
        announced_title="一条老街的新生",
        title="一条老街的新生",
        pages=(("01", "卷首语"), ("57", "博览 · 读书")),
        kicker="城市更新系列报道之三\n从“脏乱差”到“网红打卡地”",
        subtitle="——记杭州市上城区某社区",
        byline="□ 王芳",
        paragraphs=("第一段。", "第二段，很长很长。"),
    )
    text = format_article(
        title=original.title,
        pages=original.pages,
        kicker=original.kicker,
        subtitle=original.subtitle,
        byline=original.byline,
        paragraphs=original.paragraphs,
    )
    assert parse(text.encode("utf-8")) == original


def test_format_without_byline_or_pages():
    text = format_article(title="标题", paragraphs=("只有一段，而且是完整的一句话。",))
    article = parse(text.encode())
    assert article.pages == () and article.byline == ""
    assert article.paragraphs == ("只有一段，而且是完整的一句话。",)
