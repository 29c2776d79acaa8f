"""编校检查: the proofing checks find the errors GB/T 15834 (punctuation), GB/T 15835
(numbers), the character tables and the list of misprinted words name, say where
and what to write instead, and leave clean text alone."""

import pytest

from articles import proofing
from tests.print_pages import text

# Each paragraph holds one known error: (paragraph, rule, found, suggestion).
KNOWN = [
    ("今年秋天,村里的合作社第一次把稻米卖到了省城。", "punct.half_width", ",", "，"),
    ("老支书说:“路通了，心也就通了。”", "punct.half_width", ":", "："),
    ("他翻开那本《乡村振兴读本，一页一页地念给大家听。", "punct.unpaired", "《", "《》"),
    ("大家都说“这回可好了。", "punct.unpaired", "“", "“”"),
    ("夜校开课那天，教室里坐满了人。。。", "punct.ellipsis", "。。。", "……"),
    ("他想了想，说道...还是明天再去吧。", "punct.ellipsis", "...", "……"),
    ("她停了一下…又接着往下讲。", "punct.ellipsis", "…", "……"),
    ("这就是我们的目标--让每个孩子都有书读。", "punct.dash", "--", "——"),
    ("真的吗？？他不敢相信自己的耳朵。", "punct.doubled", "？？", "？"),
    ("天快黑了。。他还没有回来。", "punct.doubled", "。。", "。"),
    ("会上 ，大家一致同意修路。", "punct.space", " ", ""),
    ("村史馆落成于二0一四年秋天。", "number.mixed", "二0一四", "2014"),
    ("全村共有１２８户人家。", "number.full_width", "１２８", "128"),
    ("这是他们第一次走進县城的图书馆。", "char.traditional", "進", "进"),
    ("这是我的的心愿。", "char.doubled", "的的", "的"),
    ("新买的空调已经按装好了。", "word.wrong", "按装", "安装"),
    ("大家要再接再励，把明年的活干好。", "word.wrong", "再接再励", "再接再厉"),
    ("既使下雨，他也照常巡山。", "word.wrong", "既使", "即使"),
    (
        "村口那座桥二〇一四年建成，2016年又加宽了一次。",
        "number.inconsistent",
        "二〇一四年",
        "2014年",
    ),
    ("他在菜巿场门口等了一上午。", "char.nonstandard", "巿", ""),
]


@pytest.mark.parametrize(("paragraph", "rule", "found", "suggestion"), KNOWN)
def test_each_known_error_is_found_where_it_is_with_its_suggestion(
    paragraph, rule, found, suggestion
):
    findings = proofing.check(["第一段是干净的。", paragraph])
    assert [(f.rule, f.found, f.suggestion) for f in findings] == [(rule, found, suggestion)]
    (finding,) = findings
    assert finding.paragraph == 2
    assert paragraph[finding.position : finding.position + len(found)] == found


def test_the_checks_find_at_least_nine_in_ten_of_the_known_errors():
    text_with_errors = [paragraph for paragraph, *_ in KNOWN]
    found = {(f.paragraph, f.rule) for f in proofing.check(text_with_errors)}
    known = {(number, rule) for number, (_, rule, *_) in enumerate(KNOWN, start=1)}
    assert len(found & known) / len(known) >= 0.9


@pytest.mark.parametrize(
    "clean",
    [
        "沈括（1031—1095）是北宋的科学家。",  # 一字线 in a range
        "列车从北京—上海开了整整一夜。",
        "圆周率约等于3.14，他记得很清楚。",
        "全县人口1,024,000人。",
        "他说：“我们的的确确做到了。”",  # 的的确确
        "这件事不甚了了。",
        "——记浙西山区一位护林员的二十年",  # a subtitle's 破折号
        "Children’s Day 那天，店里很忙。",
        "“他说‘好’。”",
    ],
)
def test_clean_text_is_left_alone(clean):
    assert proofing.check([clean]) == []


def test_long_clean_text_reports_at_most_one_finding_in_ten_thousand_characters():
    paragraphs = text(400, 507)  # the tests' own writer: well-formed Chinese
    assert proofing.characters(paragraphs) > 10000
    assert len(proofing.check(paragraphs)) <= proofing.characters(paragraphs) / 10000


def test_the_error_rate_is_per_ten_thousand_characters_against_the_two_line():
    assert proofing.error_rate(3, 15000) == 2.0
    assert proofing.passes(3, 15000) and not proofing.passes(4, 15000)
    assert proofing.error_rate(0, 0) == 0.0
    assert proofing.characters(["一 二\n三", "四"]) == 4


def test_editors_words_join_the_list_and_the_list_names_its_source():
    assert (
        proofing.check(["他把帐本交给了会计。"], wrong=[("帐本", "账本")])[0].suggestion == "账本"
    )
    notes = (proofing.DATA / "wrong_words.tsv").read_text(encoding="utf-8")
    assert "Source:" in notes and "咬文嚼字" in notes
    assert all(wrong != right for wrong, right in proofing.wrong_words().items())
    assert len(proofing.wrong_words()) >= 80


@pytest.mark.django_db
def test_proofread_lists_an_issues_findings_and_its_rate(tmp_path):
    import io
    import json

    from django.core.management import call_command

    from articles.models import Article
    from magazine.models import Issue

    issue = Issue.objects.create(year=2026, number=12)
    Article.objects.create(
        issue=issue, title="新空调", body="新买的空调已经按装好了。\n第二段,写得有点急。"
    )
    Article.objects.create(issue=issue, title="干净的文章", body="这一篇没有错误。")
    out = io.StringIO()
    path = tmp_path / "findings.json"
    call_command(
        "proofread", "--issue", "2026-12", "--json", str(path), "--language", "en", stdout=out
    )
    said = out.getvalue()
    assert "《新空调》 paragraph 4, at 7: word.wrong: “按装” → “安装”" in said
    assert "《新空调》 paragraph 5, at 3: punct.half_width: “,” → “，”" in said
    assert "2026, No. 12: 2 findings in 38 characters, 526.32 per 10,000 (the line is 2)" in said
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert [
        (r["article"], r["paragraph"], r["rule"], r["found"], r["suggestion"]) for r in rows
    ] == [
        ("新空调", 4, "word.wrong", "按装", "安装"),
        ("新空调", 5, "punct.half_width", ",", "，"),
    ]


def test_a_figure_written_two_ways_is_found_across_paragraphs_in_its_rarer_form():
    findings = proofing.check(["增长了百分之三十。", "去年是12%，前年是9%。"])
    assert [(f.paragraph, f.rule, f.found, f.suggestion) for f in findings] == [
        (1, "number.inconsistent", "百分之三十", "30%")
    ]
    # One form throughout is consistent, whichever it is.
    assert proofing.check(["二〇一四年建成。", "二〇一六年加宽。"]) == []


def test_the_character_table_holds_the_8105_characters_and_rare_ones_are_found():
    table = proofing.general_standard_characters()
    assert len(table) == 8105 and {"的", "厉", "巿"} & table == {"的", "厉"}
    # A Traditional character is char.traditional's, not also nonstandard.
    assert [f.rule for f in proofing.check(["走進来。"])] == ["char.traditional"]
