"""How well and how fast the proofing checks (编校检查) work, on text the tests never
see: paragraphs written by tests/print_issues.py's Writer with other seeds, one
known error put into each by kind (GB/T 15834 punctuation, GB/T 15835 numbers,
Traditional and nonstandard characters, doubled characters, misprinted words
from the project's list), and the demo issues' own text as clean text.

    .venv/bin/python bench/proofing_bench.py [--articles 300] [--quick]

Prints the share of known errors found where they were put with their rule,
the findings per 10,000 characters of clean text, and the time to check and
keep the findings of an issue of ``--articles`` articles (about 2,000
characters each) in a scratch database; writes bench/out/proofing.json.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
import django

django.setup()

import opencc  # noqa: E402

from articles import proofing  # noqa: E402
from tests.print_issues import Writer  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "proofing.json"
PROJECT = Path(__file__).resolve().parent.parent
SEED = 9137  # the tests use others


S2T = opencc.OpenCC("s2t")


def to_traditional_characters(char):
    return S2T.convert(char)


def at_comma(paragraph, rng):
    commas = [i for i, c in enumerate(paragraph) if c == "，"]
    return rng.choice(commas) if commas else None


def inject(paragraph, kind, rng, wrong_pairs):
    """``(text, position, found)`` with one error of ``kind`` put in, or None."""
    if kind == "punct.half_width":
        at = at_comma(paragraph, rng)
        return None if at is None else (paragraph[:at] + "," + paragraph[at + 1 :], at, ",")
    if kind == "punct.space":
        at = at_comma(paragraph, rng)
        return None if at is None else (paragraph[:at] + " " + paragraph[at:], at, " ")
    if kind == "punct.ellipsis":
        form = rng.choice(["。。。", "..."])
        at = len(paragraph) - 1
        return paragraph[:at] + form, at, form
    if kind == "punct.dash":
        at = at_comma(paragraph, rng)
        return None if at is None else (paragraph[:at] + "--" + paragraph[at + 1 :], at, "--")
    if kind == "punct.doubled":
        at = at_comma(paragraph, rng)
        return None if at is None else (paragraph[:at] + "，，" + paragraph[at + 1 :], at, "，，")
    if kind == "punct.unpaired":
        at = at_comma(paragraph, rng)
        return (
            None if at is None else (paragraph[: at + 1] + "“" + paragraph[at + 1 :], at + 1, "“")
        )
    if kind == "number.mixed":
        year = f"二0{rng.choice('一二')}{rng.choice('一二三四五六七八九')}年"
        at = at_comma(paragraph, rng)
        if at is None:
            return None
        return paragraph[: at + 1] + year + paragraph[at + 1 :], at + 1, year[:-1]
    if kind == "number.full_width":
        digits = "".join(rng.choice("１２３４５６７８９") for _ in range(3))
        text = f"共有{digits}人"
        at = at_comma(paragraph, rng)
        if at is None:
            return None
        return paragraph[: at + 1] + text + paragraph[at + 1 :], at + 3, digits
    if kind == "char.traditional":
        spots = [i for i, c in enumerate(paragraph) if to_traditional_characters(c) not in (c, "")]
        if not spots:
            return None
        at = rng.choice(spots)
        old = to_traditional_characters(paragraph[at])[0]
        return paragraph[:at] + old + paragraph[at + 1 :], at, old
    if kind == "char.doubled":
        spots = [i for i, c in enumerate(paragraph) if c in "的了"]
        if not spots:
            return None
        at = rng.choice(spots)
        return paragraph[:at] + paragraph[at] + paragraph[at:], at, paragraph[at] * 2
    if kind == "char.nonstandard":
        at = rng.randrange(len(paragraph))
        rare = rng.choice(RARE)
        return paragraph[:at] + rare + paragraph[at:], at, rare
    if kind == "number.inconsistent":
        at = at_comma(paragraph, rng)
        if at is None:
            return None
        year = "二〇一" + rng.choice("一二三四五六七八九") + "年"
        text = paragraph[: at + 1] + year + paragraph[at + 1 :] + "2020年的事。"
        return text, at + 1, year
    if kind == "word.wrong":
        wrong, _right = rng.choice(wrong_pairs)
        at = at_comma(paragraph, rng)
        if at is None:
            return None
        return paragraph[: at + 1] + wrong + paragraph[at + 1 :], at + 1, wrong
    raise ValueError(kind)


KINDS = [
    "punct.half_width",
    "punct.space",
    "punct.ellipsis",
    "punct.dash",
    "punct.doubled",
    "punct.unpaired",
    "number.mixed",
    "number.full_width",
    "char.traditional",
    "char.doubled",
    "word.wrong",
    "char.nonstandard",
    "number.inconsistent",
]
# Characters outside the 通用规范汉字表 that OpenCC does not map (Cantonese and
# archaic forms, and 巿 for 市): what a wrong input method gives.
RARE = "巿冇嘢啲咁噉佢囖氹冚嬲攰揾"


def recall(cases, rng):
    writer = Writer(random.Random(SEED))
    pairs = sorted(proofing.wrong_words().items())
    found, tried, by_kind = 0, 0, {}
    for _ in range(cases):
        kind = rng.choice(KINDS)
        made = inject(writer.paragraph(120), kind, rng, pairs)
        if made is None:
            continue
        text, at, what = made
        hits = proofing.check(["干净的第一段。", text])
        ok = any(
            f.rule == kind and f.paragraph == 2 and abs(f.position - at) <= 1 and what in f.found
            for f in hits
        )
        tried += 1
        found += ok
        done, total = by_kind.get(kind, (0, 0))
        by_kind[kind] = (done + ok, total + 1)
    return found, tried, {k: round(d / t, 4) for k, (d, t) in sorted(by_kind.items())}


def clean_rate(paragraphs):
    findings = proofing.check(paragraphs)
    chars = proofing.characters(paragraphs)
    return len(findings), chars, proofing.error_rate(len(findings), chars)


def demo_paragraphs():
    """The demo articles as the checks read them (heads, then the body's paragraphs)."""
    from articles.textformat import parse

    lines = []
    for path in sorted((PROJECT / "demo").rglob("*.txt")):
        parsed = parse(path.read_bytes())
        lines += [parsed.title, parsed.kicker, parsed.subtitle, *parsed.paragraphs]
    return lines


def issue_timing(articles):
    """An issue of ``articles`` articles checked and kept, in a scratch database."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from articles import proofing_runs
    from articles.models import Article
    from magazine.models import Issue

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        issue = Issue.objects.create(year=2099, number=1)
        writer = Writer(random.Random(SEED + 1))
        Article.objects.bulk_create(
            Article(
                issue=issue,
                title=writer.title(),
                body="\n".join(writer.paragraph(200) for _ in range(10)),
                position=n,
            )
            for n in range(articles)
        )
        started = time.perf_counter()
        rate = proofing_runs.check_issue(issue)
        seconds = time.perf_counter() - started
        return {"articles": articles, "characters": rate.characters, "seconds": round(seconds, 2)}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    cases = 300 if args.quick else args.cases
    articles = 60 if args.quick else args.articles

    found, tried, by_kind = recall(cases, random.Random(SEED))
    writer = Writer(random.Random(SEED + 2))
    generated = [writer.paragraph(200) for _ in range(200 if args.quick else 1000)]
    gen_findings, gen_chars, gen_rate = clean_rate(generated)
    demo_findings, demo_chars, demo_rate = clean_rate(demo_paragraphs())
    timing = issue_timing(articles)
    results = {
        "known_errors": {"found": found, "tried": tried, "share": round(found / tried, 4)},
        "by_rule": by_kind,
        "clean_generated": {
            "findings": gen_findings,
            "characters": gen_chars,
            "per_10000": gen_rate,
        },
        "clean_demo": {"findings": demo_findings, "characters": demo_chars, "per_10000": demo_rate},
        "issue": timing,
    }
    print(f"known errors found: {found}/{tried} ({found / tried:.1%}), target ≥ 90 %")
    for kind, share in by_kind.items():
        print(f"  {kind:20} {share:.1%}")
    print(
        f"clean text: generated {gen_findings} findings in {gen_chars} characters "
        f"({gen_rate}/10,000); demo issues {demo_findings} in {demo_chars} ({demo_rate}/10,000); "
        "target ≤ 1/10,000"
    )
    print(
        f"an issue of {timing['articles']} articles, {timing['characters']} characters, "
        f"checked and kept in {timing['seconds']} s (target ≤ 10 s for 300 articles)"
    )
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
