"""The Simplified Chinese translation is complete and its compiled .mo is current."""

import ast
from pathlib import Path

from django.utils import translation

from articles.models import Article
from magazine.models import Issue

PO_FILE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def po_entries(path):
    """(msgid, msgstr, msgctxt) of each entry of a .po file, multi-line strings joined."""
    entries, current, key = [], {}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#") or not line:
            if "msgid" in current:
                entries.append(
                    (current["msgid"], current.get("msgstr", ""), current.get("msgctxt"))
                )
            current, key = ({}, None) if not line else (current, key)
            continue
        if line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
            key, _, rest = line.partition(" ")
            key = "msgstr" if key == "msgstr[0]" else key
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    return [entry for entry in entries if entry[0]]


def test_every_string_has_a_chinese_translation():
    entries = po_entries(PO_FILE)
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr, _context in entries if not msgstr]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with translation.override("zh-hans"):
        stale = [
            msgid
            for msgid, msgstr, context in po_entries(PO_FILE)
            if "%" not in msgid
            and (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            != msgstr
        ]
    assert stale == []


def test_models_speak_chinese_by_default_and_english_on_request():
    with translation.override("zh-hans"):
        assert str(Issue._meta.verbose_name) == "期"
        assert str(Article._meta.get_field("kicker").verbose_name) == "引题"
    with translation.override("en"):
        assert str(Article._meta.get_field("kicker").verbose_name) == "kicker"
