"""The shared sample files give what expected.json says (skipped, visibly, without ../shared)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.textformat import Refusal, parse


def test_each_sample_parses_as_expected(samples_dir, expected_samples):
    assert expected_samples, "expected.json lists no samples"
    for name, expected in expected_samples.items():
        data = (samples_dir / name).read_bytes()
        if expected.get("error"):
            with pytest.raises(Refusal):
                parse(data)
            continue
        article = parse(data)
        got = {
            "kicker": article.kicker,
            "title": article.title,
            "subtitle": article.subtitle,
            "byline": article.byline,
            "paragraphs": len(article.paragraphs),
            "sections": len(article.pages),
        }
        assert got == expected, name


@pytest.mark.django_db
def test_each_sample_imports_into_its_own_issue(samples_dir, expected_samples):
    for number, (name, expected) in enumerate(sorted(expected_samples.items()), start=1):
        out, err = StringIO(), StringIO()
        args = [str(samples_dir / name), "--issue", f"2030-{number}"]
        if expected.get("error"):
            with pytest.raises(CommandError):
                call_command("import_text", "--language", "en", *args, stdout=out, stderr=err)
            assert f"refused: {samples_dir / name}: " in err.getvalue()
            assert not Article.objects.filter(issue__number=number).exists()
            continue
        call_command("import_text", "--language", "en", *args, stdout=out, stderr=err)
        article = Article.objects.get(issue__year=2030, issue__number=number)
        assert article.title == expected["title"]
        assert article.kicker == expected["kicker"]
        assert article.subtitle == expected["subtitle"]
        assert article.byline == expected["byline"]
        assert len(article.paragraphs) == expected["paragraphs"]
        assert article.issue.sections.count() == expected["sections"]
