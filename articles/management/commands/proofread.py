"""Run the proofing checks (编校检查) over an issue's articles.

    python manage.py proofread --issue YEAR-NUMBER [--json FILE]

Lists each finding (article, paragraph, position, rule, what was found, what to
write instead) and the issue's error rate per 10,000 characters against the
2/10,000 line; ``--json`` writes the findings as a list of objects with those
fields (``-`` for the terminal). Exits 0 either way: a finding is for an editor
to judge, not an error of the command.
"""

import json
import sys

from django.utils.translation import gettext as _

from articles import proofing
from articles.models import WrongWord
from infra.commands import StaffCommand
from infra.schema import require_migrated
from sections.arguments import existing_issue, issue_argument


class Command(StaffCommand):
    help = "Run the proofing checks over an issue's articles and give its error rate."

    def add_arguments(self, parser):
        issue_argument(parser)
        parser.add_argument(
            "--json", dest="json_file", metavar="FILE", help="write the findings as JSON"
        )

    def handle(self, *args, issue, json_file, verbosity, **options):
        require_migrated()
        found = existing_issue(issue)
        proof = proofing.proofread(found, wrong=WrongWord.pairs())
        rows = [
            {
                "article": article.title,
                "article_id": article.pk,
                "paragraph": finding.paragraph,
                "position": finding.position,
                "rule": finding.rule,
                "found": finding.found,
                "suggestion": finding.suggestion,
            }
            for article, findings in proof.articles
            for finding in findings
        ]
        if verbosity >= 1:
            for row in rows:
                self.stdout.write(
                    _(
                        "《%(article)s》 paragraph %(paragraph)s, at %(position)s: "
                        "%(rule)s: “%(found)s” → “%(suggestion)s”"
                    )
                    % row
                )
        if json_file:
            text = _dump(rows)
            if json_file == "-":
                sys.stdout.write(text)
            else:
                with open(json_file, "w", encoding="utf-8") as handle:
                    handle.write(text)
        line = proofing.LIMIT_PER_10000
        summary = _(
            "%(issue)s: %(findings)s findings in %(characters)s characters, "
            "%(rate)s per 10,000 (the line is %(line)s)"
        ) % {
            "issue": found,
            "findings": proof.findings,
            "characters": proof.characters,
            "rate": proof.rate,
            "line": line,
        }
        style = self.style.SUCCESS if proof.rate <= line else self.style.WARNING
        self.stdout.write(style(summary))


def _dump(rows):
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
